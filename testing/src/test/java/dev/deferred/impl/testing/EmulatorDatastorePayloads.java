package dev.deferred.impl.testing;

import com.google.cloud.datastore.Datastore;
import dev.deferred.impl.store.DatastorePayloadStore;
import dev.deferred.impl.store.PayloadStore;
import dev.deferred.impl.testsupport.DatastoreEmulatorInstance;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;

/**
 * The application's payload store in Datastore, on the real Datastore emulator, for a CDI test
 * class: add this class with {@code @AddBeanClasses}, call {@link #connect} in {@code @BeforeAll}
 * and {@link #close} in {@code @AfterAll}. Each connection has a namespace of its own.
 */
@ApplicationScoped
public class EmulatorDatastorePayloads {
  private static Datastore datastore;

  /** Connects to a fresh namespace of the emulator; the producer below stores payloads there. */
  public static void connect(DatastoreEmulatorInstance emulator) {
    datastore = emulator.datastore(emulator.newNamespace());
  }

  /** The connected client, to read or rewrite what the store wrote. */
  public static Datastore datastore() {
    if (datastore == null) {
      throw new IllegalStateException("call EmulatorDatastorePayloads.connect in @BeforeAll");
    }
    return datastore;
  }

  public static void close() throws Exception {
    if (datastore != null) {
      datastore.close();
      datastore = null;
    }
  }

  @Produces
  @ApplicationScoped
  PayloadStore payloads() {
    return new DatastorePayloadStore(datastore());
  }
}
