package dev.deferred.impl.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.deferred.impl.testsupport.DatastoreEmulator;
import dev.deferred.impl.testsupport.DatastoreEmulatorInstance;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

@DatastoreEmulator
class StoresTest {

  @Test
  void withoutDatastoreConfigurationOutsideCloudModeStoresAreInMemory() {
    try (Stores stores = Stores.select(false, 1000, k -> Optional.empty(), k -> null)) {
      assertThat(stores.shared()).isFalse();
      assertThat(stores.payloads()).isInstanceOf(InMemoryPayloadStore.class);
      assertThat(stores.payloads().maxPayloadBytes()).isEqualTo(1000);
      assertThat(stores.failures()).isInstanceOf(InMemoryFailureStore.class);
    }
  }

  @Test
  void configuredDatastoreEmulatorIsUsedAndReallyWrittenTo(DatastoreEmulatorInstance emulator) {
    Map<String, String> config =
        Map.of(
            "deferred.datastore.project", emulator.projectId(),
            "deferred.datastore.namespace", emulator.newNamespace());
    Map<String, String> env = Map.of("DATASTORE_EMULATOR_HOST", emulator.hostPort());
    try (Stores stores =
        Stores.select(false, 1000, k -> Optional.ofNullable(config.get(k)), env::get)) {
      assertThat(stores.shared()).isTrue();
      String key = stores.payloads().put(new byte[5000]);
      assertThat(stores.payloads().get(key)).hasValueSatisfying(p -> assertThat(p).hasSize(5000));
      assertThat(stores.payloads().maxPayloadBytes()).isEqualTo(32L * 1024 * 1024);
    }
  }

  @Test
  void cloudModeWithoutProjectFailsNamingTheKey() {
    assertThatThrownBy(() -> Stores.select(true, 1000, k -> Optional.empty(), k -> null))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("DEFERRED-3010:");
  }
}
