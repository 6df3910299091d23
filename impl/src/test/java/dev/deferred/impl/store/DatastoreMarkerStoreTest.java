package dev.deferred.impl.store;

import com.google.cloud.datastore.Datastore;
import dev.deferred.impl.testsupport.DatastoreEmulator;
import dev.deferred.impl.testsupport.DatastoreEmulatorInstance;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;

@DatastoreEmulator
class DatastoreMarkerStoreTest extends MarkerStoreContract {
  private Datastore datastore;
  private DatastoreMarkerStore store;

  @BeforeEach
  void connect(DatastoreEmulatorInstance emulator) {
    datastore =
        new DatastoreSettings(
                emulator.projectId(),
                Optional.of(emulator.newNamespace()),
                Optional.of(emulator.hostPort()))
            .createDatastore();
    store = new DatastoreMarkerStore(datastore, now::get);
  }

  @AfterEach
  void close() throws Exception {
    try {
      datastore.close();
    } catch (Exception e) {
      // the HTTP transport does not implement close()
    }
  }

  @Override
  MarkerStore store() {
    return store;
  }
}
