package dev.deferred.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;

import com.google.cloud.tasks.v2.Queue;
import com.google.cloud.tasks.v2.QueueName;
import dev.deferred.impl.config.QueueConfig;
import dev.deferred.impl.testing.LibraryParts;
import java.util.Map;
import java.util.TreeMap;
import org.jboss.weld.junit5.auto.AddBeanClasses;
import org.junit.jupiter.api.Test;
import org.junit.platform.engine.TestExecutionResult;
import org.junit.platform.launcher.LauncherDiscoveryRequest;
import org.junit.platform.launcher.TestExecutionListener;
import org.junit.platform.launcher.TestIdentifier;
import org.junit.platform.launcher.core.LauncherDiscoveryRequestBuilder;
import org.junit.platform.launcher.core.LauncherFactory;

/**
 * What a single test may change: a queue's settings, in layers (the application's file, then the
 * class's {@code @DeferredTest(config)}, then the test's {@code @TestConfig}), seen alike by the
 * library and by the queue in the emulator; and what it may not: the mode, per class or per test.
 */
@DeferredTest(config = "deferred.queues.mail.retry-max-attempts=4")
@AddBeanClasses(Mailer.class)
class PerTestConfigTest {

  @Test
  void withoutEntriesOfItsOwnATestHasTheClasssSettingsOverTheApplications() {
    assertSettings("mail", 5.0, 4);
  }

  @Test
  @TestConfig({
    "deferred.queues.mail.rate-per-second=1",
    "deferred.queues.mail.retry-max-attempts=2"
  })
  void aTestsEntriesOverrideTheQueuesSettingsForThatTestOnly() {
    assertSettings("mail", 1.0, 2);
  }

  @Test
  void aTestCannotChooseAnotherMode() {
    Map<String, TestExecutionResult> results = run(ModeOfOneMethod.class);

    assertThat(results.get("embedded()").getThrowable())
        .get()
        .isInstanceOf(IllegalArgumentException.class)
        .extracting(Throwable::getMessage)
        .isEqualTo(
            "DEFERRED-7014: deferred.mode=embedded in @TestConfig cannot apply: a Deferred test"
                + " runs the library in emulator mode on the test's own emulator, whose queues it"
                + " pauses so that TaskQueues decides when tasks run; the mode, the emulator's"
                + " address and JWKS and the creation of the queues are the test's. Remove the"
                + " entry, and test embedded or cloud mode on a running server (TaskQueues.remote"
                + " drives its emulator)");
    assertThat(results.get("unchanged()").getStatus())
        .isEqualTo(TestExecutionResult.Status.SUCCESSFUL);
  }

  @Test
  void aClassCannotChooseAnotherMode() {
    Map<String, TestExecutionResult> results = run(ModeOfAClass.class);

    assertThat(results.get(ModeOfAClass.class.getName()).getThrowable())
        .get()
        .isInstanceOf(IllegalArgumentException.class)
        .extracting(Throwable::getMessage)
        .asString()
        .startsWith("DEFERRED-7014: deferred.mode=cloud in @DeferredTest(config) cannot apply");
  }

  /** The queue's settings as the library reads them and as the emulator holds them. */
  private static void assertSettings(String queue, double ratePerSecond, int maxAttempts) {
    QueueConfig config = LibraryParts.config().queues().get(queue);
    assertThat(config.ratePerSecond().orElseThrow()).isEqualTo(ratePerSecond);
    assertThat(config.retryMaxAttempts().orElseThrow()).isEqualTo(maxAttempts);
    Queue created =
        LibraryParts.connection()
            .client()
            .getQueue(
                QueueName.of(
                    LibraryParts.config().project(), LibraryParts.config().location(), queue));
    assertThat(created.getRateLimits().getMaxDispatchesPerSecond()).isEqualTo(ratePerSecond);
    assertThat(created.getRetryConfig().getMaxAttempts()).isEqualTo(maxAttempts);
    assertThat(created.getState()).isEqualTo(Queue.State.PAUSED);
  }

  /**
   * Runs a class with the JUnit launcher: the results of its tests by display name, of the class by
   * its name.
   */
  private static Map<String, TestExecutionResult> run(Class<?> testClass) {
    Map<String, TestExecutionResult> results = new TreeMap<>();
    LauncherDiscoveryRequest request =
        LauncherDiscoveryRequestBuilder.request().selectors(selectClass(testClass)).build();
    LauncherFactory.create()
        .execute(
            request,
            new TestExecutionListener() {
              @Override
              public void executionFinished(TestIdentifier id, TestExecutionResult result) {
                results.put(
                    id.isTest() ? id.getDisplayName() : id.getLegacyReportingName(), result);
              }
            });
    return results;
  }

  /** Run by the tests above only (nested classes: the build's test scan skips them). */
  @DeferredTest
  @AddBeanClasses(Chores.class)
  static class ModeOfOneMethod {
    @Test
    @TestConfig("deferred.mode=embedded")
    void embedded() {}

    @Test
    void unchanged() {
      assertThat(LibraryParts.config().mode().name()).isEqualTo("EMULATOR");
    }
  }

  /** See {@link ModeOfOneMethod}. */
  @DeferredTest(config = "deferred.mode=cloud")
  @AddBeanClasses(Chores.class)
  static class ModeOfAClass {
    @Test
    void never() {}
  }
}
