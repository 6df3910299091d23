package dev.deferred.impl.health;

import static org.assertj.core.api.Assertions.assertThat;

import dev.deferred.impl.testing.DeferredTest;
import dev.deferred.impl.testing.EmulatorDatastorePayloads;
import dev.deferred.impl.testsupport.DatastoreEmulator;
import dev.deferred.impl.testsupport.DatastoreEmulatorInstance;
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
@AddBeanClasses(EmulatorDatastorePayloads.class)
class DatastoreHealthTest {
  @Inject @Readiness HealthCheck readiness;

  @BeforeAll
  static void connect(DatastoreEmulatorInstance emulator) {
    EmulatorDatastorePayloads.connect(emulator);
  }

  @AfterAll
  static void close() throws Exception {
    EmulatorDatastorePayloads.close();
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
