package dev.deferred.impl;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.deferred.DeferredTask;
import dev.deferred.Deferrer;
import dev.deferred.EnqueueException;
import dev.deferred.impl.defer.DeferEngine;
import dev.deferred.impl.defer.ReportService;
import dev.deferred.impl.testing.DeferredTest;
import dev.deferred.impl.testing.DeferredTestExtension;
import dev.deferred.impl.testing.LogCapture;
import jakarta.inject.Inject;
import jakarta.transaction.TransactionManager;
import java.time.YearMonth;
import org.jboss.weld.junit5.auto.AddBeanClasses;
import org.junit.jupiter.api.Test;

/**
 * Once shutdown has begun, nothing reopens the connection: a commit still in flight records its
 * task for re-creation instead of starting an emulator that no one would close.
 */
@DeferredTest
@AddBeanClasses(ReportService.class)
class ShutdownTest {

  private static final String SHUT_DOWN =
      "DEFERRED-0311: Deferred has shut down with the application: the Cloud Tasks connection is"
          + " closed and is not reopened";

  @Inject Deferrer deferrer;
  @Inject TransactionManager transactions;

  @Test
  void aCommitAfterShutdownBeganLogsTheTaskForRecreationAndOpensNothing() throws Exception {
    DeferredRuntime runtime = DeferredTestExtension.runtime();
    transactions.begin();
    DeferredTask task =
        deferrer.defer(ReportService.class, r -> r.generate(31L, YearMonth.of(2026, 1)));
    runtime.close();
    try (LogCapture log = LogCapture.of(DeferEngine.class)) {
      transactions.commit();

      assertThat(task.state()).isEqualTo(DeferredTask.State.FAILED);
      assertThat(log.messages())
          .singleElement()
          .asString()
          .startsWith(
              "DEFERRED-0302: The transaction committed but task (automatic name) could not be"
                  + " created on queue 'default'; it is lost unless re-created. To re-create it,"
                  + " create this task: queue=default, name=(automatic),"
                  + " method=ReportService.generate(long, YearMonth)");
    }
    assertThatThrownBy(() -> task.completion().toCompletableFuture().join())
        .cause()
        .isInstanceOf(EnqueueException.class)
        .hasMessage(
            "DEFERRED-0301: Could not create task (automatic name) on queue 'default': "
                + "java.lang.IllegalStateException: "
                + SHUT_DOWN);
    assertThatThrownBy(runtime::connection).hasMessage(SHUT_DOWN);
  }

  @Test
  void anImmediateDeferAfterShutdownFailsAtTheCallSite() {
    DeferredTestExtension.runtime().close();

    assertThatThrownBy(
            () -> deferrer.defer(ReportService.class, r -> r.generate(32L, YearMonth.of(2026, 2))))
        .isInstanceOf(EnqueueException.class)
        .hasMessage(
            "DEFERRED-0301: Could not create task (automatic name) on queue 'default': "
                + "java.lang.IllegalStateException: "
                + SHUT_DOWN);
  }
}
