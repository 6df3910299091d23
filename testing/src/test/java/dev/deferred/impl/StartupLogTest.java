package dev.deferred.impl;

import static org.assertj.core.api.Assertions.assertThat;

import dev.deferred.impl.client.EmulatorLauncher;
import dev.deferred.impl.testing.DeferredTest;
import dev.deferred.impl.testing.DeferredTestExtension;
import dev.deferred.impl.testing.LibraryParts;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** At application start the library logs one INFO line that says where everything is. */
@DeferredTest(config = {"deferred.queues.mail.rate-per-second=5"})
class StartupLogTest {
  private static final Logger LOGGER = Logger.getLogger(DeferredRuntime.class.getName());
  private static final List<LogRecord> RECORDS = new CopyOnWriteArrayList<>();
  private static final Handler CAPTURE =
      new Handler() {
        @Override
        public void publish(LogRecord record) {
          RECORDS.add(record);
        }

        @Override
        public void flush() {}

        @Override
        public void close() {}
      };

  @BeforeAll
  static void capture() {
    LOGGER.addHandler(CAPTURE);
  }

  @AfterAll
  static void release() {
    LOGGER.removeHandler(CAPTURE);
  }

  @Test
  void oneInfoLineNamesModeEmulatorQueuesAndHandlerUrl() {
    EmulatorLauncher emulator = LibraryParts.connection().emulator().orElseThrow();
    List<LogRecord> summaries =
        RECORDS.stream().filter(r -> r.getMessage().startsWith("DEFERRED-0020")).toList();

    assertThat(summaries).hasSize(1);
    assertThat(summaries.get(0).getLevel()).isEqualTo(Level.INFO);
    assertThat(summaries.get(0).getMessage())
        .isEqualTo(
            "DEFERRED-0020: Deferred started in embedded mode (project "
                + LibraryParts.config().project()
                + ", location "
                + LibraryParts.config().location()
                + "); Cloud Tasks: the emulator embedded in the application, gRPC "
                + emulator.grpcTarget()
                + ", REST "
                + emulator.jwksUri().resolve("/")
                + ", console "
                + emulator.consoleUrl()
                + "; queues: default, mail (declared in the embedded emulator); tasks are sent to "
                + DeferredTestExtension.server().url()
                + "; payloads in memory, failure records in memory");
  }
}
