package dev.deferred.impl.client;

import static org.assertj.core.api.Assertions.assertThat;

import dev.deferred.impl.config.DeferredConfig;
import io.smallrye.config.PropertiesConfigSource;
import io.smallrye.config.SmallRyeConfigBuilder;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.junit.jupiter.api.Test;

/**
 * Embedded mode never starts unnoticed: without the emulator module it fails the startup, and when
 * it starts it says, once, that tasks are kept in memory.
 */
class EmbeddedModeTest {

  /** A class loader that sees the JDK only, as an application without the emulator module. */
  private static final ClassLoader WITHOUT_EMULATOR = new ClassLoader(null) {};

  private static DeferredConfig config(Map<String, String> values, Map<String, String> env) {
    return DeferredConfig.read(
        new SmallRyeConfigBuilder()
            .withSources(new PropertiesConfigSource(values, "test", 100))
            .build(),
        env::get);
  }

  @Test
  void withNoModeSetAndNoEmulatorModuleTheStartupFailsNamingDeferredMode() {
    assertThat(EmulatorLauncher.missingEmulator(config(Map.of(), Map.of()), WITHOUT_EMULATOR))
        .contains(
            "DEFERRED-0030: No deferred.mode is set and no Google Cloud platform was detected (App"
                + " Engine, Cloud Run, GKE), so Deferred would run in embedded mode, but"
                + " dev.deferred:deferred-emulator is not on the class path: in production set"
                + " deferred.mode=cloud (with deferred.project and deferred.location); for an"
                + " external emulator set deferred.mode=emulator; for local development add the"
                + " emulator dependency");
  }

  @Test
  void anExplicitEmbeddedModeWithoutTheEmulatorModuleFailsTheStartup() {
    assertThat(
            EmulatorLauncher.missingEmulator(
                config(Map.of("deferred.mode", "embedded"), Map.of()), WITHOUT_EMULATOR))
        .contains(
            "DEFERRED-0012: Embedded mode runs the Cloud Tasks emulator in the application, but"
                + " dev.deferred:deferred-emulator is not on the class path: add it as a"
                + " dependency, or set deferred.mode=emulator (with deferred.emulator.host) or"
                + " deferred.mode=cloud");
  }

  @Test
  void otherModesDoNotNeedTheEmulatorModule() {
    assertThat(
            EmulatorLauncher.missingEmulator(
                config(Map.of(), Map.of("KUBERNETES_SERVICE_HOST", "10.0.0.1")), WITHOUT_EMULATOR))
        .isEmpty();
    assertThat(
            EmulatorLauncher.missingEmulator(
                config(Map.of("deferred.emulator.host", "localhost:8123"), Map.of()),
                WITHOUT_EMULATOR))
        .isEmpty();
  }

  @Test
  void withTheEmulatorModuleEmbeddedModeStartsWithOneWarningThatTasksAreInMemory() {
    assertThat(
            EmulatorLauncher.missingEmulator(
                config(Map.of(), Map.of()), EmbeddedModeTest.class.getClassLoader()))
        .isEmpty();
    List<LogRecord> records = new ArrayList<>();
    Handler capture =
        new Handler() {
          @Override
          public void publish(LogRecord record) {
            records.add(record);
          }

          @Override
          public void flush() {}

          @Override
          public void close() {}
        };
    Logger logger = Logger.getLogger(CloudTasksConnection.class.getName());
    logger.addHandler(capture);
    try (CloudTasksConnection connection =
        CloudTasksConnection.open(
            config(Map.of(), Map.of()), EmbeddedModeTest.class.getClassLoader())) {
      assertThat(connection.emulator()).isPresent();
    } finally {
      logger.removeHandler(capture);
    }
    assertThat(records)
        .filteredOn(r -> r.getLevel().intValue() >= Level.WARNING.intValue())
        .extracting(LogRecord::getMessage)
        .containsExactly(
            "DEFERRED-0031: Deferred runs in embedded mode (chosen by default): the Cloud Tasks"
                + " emulator runs inside this application, and its queues, tasks and large"
                + " payloads are kept in memory and lost when the application stops. Use it for"
                + " development and tests only; in production set deferred.mode=cloud");
  }
}
