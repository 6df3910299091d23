package dev.deferred.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;

import dev.deferred.Deferrer;
import dev.deferred.testing.internal.TestEnvironment;
import jakarta.inject.Inject;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.jboss.weld.junit5.auto.AddBeanClasses;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.platform.engine.TestExecutionResult;
import org.junit.platform.launcher.LauncherDiscoveryRequest;
import org.junit.platform.launcher.TestExecutionListener;
import org.junit.platform.launcher.TestIdentifier;
import org.junit.platform.launcher.core.LauncherDiscoveryRequestBuilder;
import org.junit.platform.launcher.core.LauncherFactory;

/** What the extension does to whole test classes, run here with the JUnit launcher. */
class ExtensionLifecycleTest {

  @Test
  void aClassWithOneContainerForAllItsTestsStillStartsEachTestWithEmptyQueues() {
    Map<String, TestExecutionResult> results = run(PerClassCase.class);

    assertThat(results.get("firstLeavesATask()").getStatus())
        .isEqualTo(TestExecutionResult.Status.SUCCESSFUL);
    assertThat(results.get("secondSeesNone()").getStatus())
        .isEqualTo(TestExecutionResult.Status.SUCCESSFUL);
    assertThat(results.get("aTestsOwnConfigurationCannotApply()").getThrowable())
        .get()
        .isInstanceOf(IllegalStateException.class)
        .extracting(Throwable::getMessage)
        .isEqualTo(
            "DEFERRED-7008: @TestConfig on void"
                + " dev.deferred.testing.ExtensionLifecycleTest$PerClassCase"
                + ".aTestsOwnConfigurationCannotApply() cannot apply: the class uses"
                + " @TestInstance(Lifecycle.PER_CLASS), so its container and configuration were"
                + " created once for all its tests. Move the entries to @DeferredTest(config) or"
                + " use a container per test method (the default)");
  }

  @Test
  void outsideADeferredTestThereIsNoEnvironment() {
    assertThatThrownBy(TestEnvironment::current)
        .isInstanceOf(IllegalStateException.class)
        .hasMessage(
            "DEFERRED-7006: No Deferred test is running: TaskQueues is available in a class"
                + " annotated @DeferredTest (or extended with DeferredTestExtension)");
  }

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
                if (id.isTest()) {
                  results.put(id.getDisplayName(), result);
                }
              }
            });
    assertThat(results).hasSize(3);
    return results;
  }

  /** Run by the test above only (a nested class: the build's test scan skips it). */
  @DeferredTest
  @AddBeanClasses(Chores.class)
  @TestInstance(TestInstance.Lifecycle.PER_CLASS)
  @TestMethodOrder(MethodOrderer.OrderAnnotation.class)
  static class PerClassCase {
    @Inject Deferrer deferrer;
    @Inject TaskQueues tasks;

    @Test
    @Order(1)
    void firstLeavesATask() {
      deferrer.defer(Chores.class, c -> c.record("left behind"));
      tasks.assertCount(1);
    }

    @Test
    @Order(2)
    void secondSeesNone() {
      tasks.assertCount(0);
      deferrer.defer(Chores.class, c -> c.record("again"));
      assertThat(tasks.pending())
          .extracting(PendingTask::arguments)
          .containsExactly(List.of("again"));
    }

    @Test
    @Order(3)
    @TestConfig("deferred.queues.reports.rate-per-second=1")
    void aTestsOwnConfigurationCannotApply() {}
  }
}
