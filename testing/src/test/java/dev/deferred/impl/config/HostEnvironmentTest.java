package dev.deferred.impl.config;

import static org.assertj.core.api.Assertions.assertThat;

import dev.deferred.impl.testing.DeferredTest;
import dev.deferred.impl.testing.LibraryParts;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

/**
 * The library reads the environment only through {@link HostEnvironment}: a CDI test sees the
 * variables it declares and none of the shell's, whatever is set on the machine running it.
 */
@DeferredTest(env = {"GAE_SERVICE=worker"})
class HostEnvironmentTest {

  @Inject HostEnvironment host;

  @Test
  void theRuntimeReadsTheInjectedEnvironmentNotTheShells() {
    // PATH is set in every shell; the test's environment does not have it.
    assertThat(System.getenv("PATH")).isNotNull();
    assertThat(host.variable("PATH")).isNull();
    assertThat(host.variable("GAE_SERVICE")).isEqualTo("worker");

    assertThat(LibraryParts.config().routingService()).contains("worker");
    // K_SERVICE, GAE_APPLICATION or CLOUD_TASKS_EMULATOR_HOST in the shell change nothing.
    assertThat(LibraryParts.config().mode()).isEqualTo(Mode.EMBEDDED);
    assertThat(LibraryParts.config().modeSource()).isEqualTo("default");
    assertThat(LibraryParts.config().project()).isEqualTo("deferred-local");
  }
}
