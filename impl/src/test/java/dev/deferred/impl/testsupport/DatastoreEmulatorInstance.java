package dev.deferred.impl.testsupport;

import com.google.cloud.NoCredentials;
import com.google.cloud.datastore.Datastore;
import com.google.cloud.datastore.DatastoreOptions;
import java.util.UUID;

/**
 * A running Datastore emulator.
 *
 * @param hostPort {@code 127.0.0.1:PORT}, the form {@code DATASTORE_EMULATOR_HOST} takes
 * @param projectId the project id the tests use
 */
public record DatastoreEmulatorInstance(String hostPort, String projectId) {

  /** A namespace no other test uses. */
  public String newNamespace() {
    return "t" + UUID.randomUUID().toString().replace("-", "");
  }

  /** A client for this emulator in {@code namespace}, over the HTTP transport. */
  public Datastore datastore(String namespace) {
    return DatastoreOptions.newBuilder()
        .setHost("http://" + hostPort)
        .setProjectId(projectId)
        .setNamespace(namespace)
        .setCredentials(NoCredentials.getInstance())
        .build()
        .getService();
  }
}
