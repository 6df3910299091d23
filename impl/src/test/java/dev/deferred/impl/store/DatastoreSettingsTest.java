package dev.deferred.impl.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

class DatastoreSettingsTest {

  private static Function<String, Optional<String>> config(Map<String, String> values) {
    return key -> Optional.ofNullable(values.get(key));
  }

  @Test
  void explicitKeysWinOverTheEnvironment() {
    DatastoreSettings settings =
        DatastoreSettings.fromConfig(
            config(
                Map.of(
                    "deferred.datastore.project", "stores",
                    "deferred.project", "tasks",
                    "deferred.datastore.namespace", "deferred",
                    "deferred.datastore.emulator-host", "127.0.0.1:8432",
                    "deferred.datastore.max-payload-bytes", "2000000")),
            Map.of("GOOGLE_CLOUD_PROJECT", "env", "DATASTORE_EMULATOR_HOST", "localhost:1")::get);
    assertThat(settings)
        .isEqualTo(
            new DatastoreSettings(
                "stores", Optional.of("deferred"), Optional.of("127.0.0.1:8432"), 2_000_000));
  }

  @Test
  void payloadLimitDefaultsTo32MiBAndMustHoldAChunk() {
    assertThat(
            DatastoreSettings.fromConfig(config(Map.of("deferred.project", "p")), k -> null)
                .maxPayloadBytes())
        .isEqualTo(32L * 1024 * 1024);
    assertThatThrownBy(
            () ->
                DatastoreSettings.fromConfig(
                    config(
                        Map.of(
                            "deferred.project", "p", "deferred.datastore.max-payload-bytes", "10")),
                    k -> null))
        .hasMessage(
            "DEFERRED-3015: the Datastore payload limit must be at least 1000000 bytes (one chunk),"
                + " was 10");
    assertThatThrownBy(
            () ->
                DatastoreSettings.fromConfig(
                    config(
                        Map.of(
                            "deferred.project",
                            "p",
                            "deferred.datastore.max-payload-bytes",
                            "1MB")),
                    k -> null))
        .hasMessage(
            "DEFERRED-3016: deferred.datastore.max-payload-bytes must be a whole number of bytes, was"
                + " '1MB'");
  }

  @Test
  void projectFallsBackToTheLibraryProjectThenTheEnvironment() {
    assertThat(
            DatastoreSettings.fromConfig(
                    config(Map.of("deferred.project", "tasks")), Map.<String, String>of()::get)
                .projectId())
        .isEqualTo("tasks");
    assertThat(
            DatastoreSettings.fromConfig(
                    config(Map.of()),
                    Map.of("DATASTORE_PROJECT_ID", "emu", "GOOGLE_CLOUD_PROJECT", "cloud")::get)
                .projectId())
        .isEqualTo("emu");
    assertThat(
            DatastoreSettings.fromConfig(
                    config(Map.of()), Map.of("GOOGLE_CLOUD_PROJECT", "cloud")::get)
                .projectId())
        .isEqualTo("cloud");
  }

  @Test
  void emulatorHostComesFromTheUsualEnvironmentVariable() {
    Function<String, String> env = Map.of("DATASTORE_EMULATOR_HOST", "localhost:8081")::get;
    assertThat(DatastoreSettings.emulatorConfigured(config(Map.of()), env)).isTrue();
    assertThat(
            DatastoreSettings.fromConfig(config(Map.of("deferred.project", "p")), env)
                .emulatorHost())
        .contains("localhost:8081");
    assertThat(
            DatastoreSettings.emulatorConfigured(config(Map.of()), Map.<String, String>of()::get))
        .isFalse();
  }

  @Test
  void blankNamespaceMeansTheDefaultNamespace() {
    assertThat(new DatastoreSettings("p", Optional.of(" "), Optional.empty()).namespace())
        .isEmpty();
  }

  @Test
  void missingProjectIsRejectedNamingTheKeys() {
    assertThatThrownBy(
            () -> DatastoreSettings.fromConfig(config(Map.of()), Map.<String, String>of()::get))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(
            "DEFERRED-3010: the Datastore stores need a Google Cloud project: set"
                + " deferred.datastore.project (or deferred.project, or the GOOGLE_CLOUD_PROJECT"
                + " environment variable)");
  }
}
