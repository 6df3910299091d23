package dev.deferred.impl.health;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.cloud.datastore.Datastore;
import dev.deferred.impl.store.DatastorePayloadStore;
import dev.deferred.impl.store.PayloadStore;
import dev.deferred.impl.testing.DeferredTest;
import dev.deferred.impl.testsupport.DatastoreEmulator;
import dev.deferred.impl.testsupport.DatastoreEmulatorInstance;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Inject;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;
import org.jboss.weld.junit5.auto.AddBeanClasses;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Readiness with the Datastore payload store, on the real Datastore emulator: the store is asked
 * for a key of its own form, and a reachable store leaves the check UP.
 */
@DatastoreEmulator
@DeferredTest
@AddBeanClasses(DatastoreHealthTest.DatastoreStore.class)
class DatastoreHealthTest {
  private static Datastore datastore;

  @Inject @Readiness HealthCheck readiness;

  /** The application's payload store: Datastore, on the real emulator. */
  @ApplicationScoped
  static class DatastoreStore {
    @Produces
    @ApplicationScoped
    PayloadStore payloads() {
      return new DatastorePayloadStore(datastore);
    }
  }

  @BeforeAll
  static void connect(DatastoreEmulatorInstance emulator) {
    datastore = emulator.datastore(emulator.newNamespace());
  }

  @AfterAll
  static void close() throws Exception {
    datastore.close();
  }

  @Test
  void readinessIsUpWithAReachableDatastorePayloadStore() {
    HealthCheckResponse r = readiness.call();

    assertThat(r.getData().orElseThrow())
        .containsEntry("payloadStore", "Datastore, reachable")
        .doesNotContainKey("problems");
    assertThat(r.getStatus()).isEqualTo(HealthCheckResponse.Status.UP);
  }
}
