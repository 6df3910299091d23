package dev.deferred.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;

import dev.deferred.Deferrer;
import dev.deferred.impl.config.HostEnvironment;
import dev.deferred.impl.config.Mode;
import dev.deferred.impl.store.InMemoryMarkerStore;
import dev.deferred.impl.store.InMemoryPayloadStore;
import dev.deferred.impl.testing.LibraryParts;
import jakarta.enterprise.inject.spi.CDI;
import jakarta.inject.Inject;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.jboss.weld.junit5.auto.AddBeanClasses;
import org.junit.jupiter.api.Test;
import org.junit.platform.launcher.LauncherDiscoveryRequest;
import org.junit.platform.launcher.core.LauncherDiscoveryRequestBuilder;
import org.junit.platform.launcher.core.LauncherFactory;
import org.junit.platform.launcher.listeners.SummaryGeneratingListener;
import org.junit.platform.launcher.listeners.TestExecutionSummary;

/**
 * A Deferred test run in a shell that looks like Cloud Run, App Engine and a developer's machine
 * with both emulators set: a JVM of its own, started with those environment variables, runs {@link
 * InShell} and must report it successful.
 */
class ShellEnvironmentIsolationTest {

  /** What the shell sets; every address points at a port nothing listens on. */
  static final Map<String, String> SHELL =
      Map.of(
          "CLOUD_TASKS_EMULATOR_HOST", "127.0.0.1:9",
          "K_SERVICE", "shell-service",
          "GAE_APPLICATION", "s~shell-application",
          "GAE_SERVICE", "shell-service",
          "GAE_VERSION", "shell-version",
          "GOOGLE_CLOUD_PROJECT", "shell-project",
          "DATASTORE_EMULATOR_HOST", "127.0.0.1:9");

  @Test
  void theShellsCloudAndEmulatorVariablesChangeNothingInADeferredTest() throws Exception {
    String classPath =
        System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
    ProcessBuilder builder =
        new ProcessBuilder(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp",
                classPath,
                ShellEnvironmentIsolationTest.class.getName())
            .redirectErrorStream(true);
    builder.environment().putAll(SHELL);
    Process process = builder.start();
    String output;
    try {
      output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      process.destroyForcibly();
      throw e;
    }
    assertThat(process.waitFor(5, TimeUnit.MINUTES)).as(output).isTrue();
    assertThat(process.exitValue()).as(output).isZero();
    assertThat(output).contains("2 tests successful", "0 tests failed");
  }

  /** Runs {@link InShell} in this JVM, after checking that the shell's variables are there. */
  public static void main(String[] args) {
    SHELL.forEach(
        (name, value) -> {
          if (!value.equals(System.getenv(name))) {
            System.out.println(name + " is not set to " + value + ": nothing would be proven");
            System.exit(2);
          }
        });
    LauncherDiscoveryRequest request =
        LauncherDiscoveryRequestBuilder.request().selectors(selectClass(InShell.class)).build();
    SummaryGeneratingListener listener = new SummaryGeneratingListener();
    LauncherFactory.create().execute(request, listener);
    TestExecutionSummary summary = listener.getSummary();
    PrintWriter out = new PrintWriter(System.out, true, StandardCharsets.UTF_8);
    summary.printTo(out);
    summary.printFailuresTo(out, 50);
    out.flush();
    System.exit(
        summary.getTestsFailedCount() == 0 && summary.getTestsSucceededCount() == 2 ? 0 : 1);
  }

  /** Run by the test above only, in its JVM (a nested class: the build's test scan skips it). */
  @DeferredTest
  @AddBeanClasses(Chores.class)
  static class InShell {
    @Inject Deferrer deferrer;
    @Inject TaskQueues tasks;

    @Test
    void theLibrarySeesNoneOfTheShellsVariables() {
      assertThat(LibraryParts.config().mode()).isEqualTo(Mode.EMULATOR);
      assertThat(LibraryParts.config().project()).isEqualTo("deferred-local");
      // Stores.select chooses all three stores together: Datastore's if an emulator host is seen.
      assertThat(LibraryParts.payloadStore()).isInstanceOf(InMemoryPayloadStore.class);
      assertThat(LibraryParts.markerStore()).isInstanceOf(InMemoryMarkerStore.class);
      HostEnvironment host = CDI.current().select(HostEnvironment.class).get();
      SHELL.keySet().forEach(name -> assertThat(host.variable(name)).as(name).isNull());
    }

    @Test
    void aDeferredTaskWaitsInTheTestsQueueAndRunsThroughTheHandler() {
      Chores.DONE.clear();
      deferrer.defer(Chores.class, c -> c.record("isolated"));
      tasks.assertCount("default", 1);
      tasks.process();
      assertThat(Chores.DONE).containsExactly("isolated");
    }
  }
}
