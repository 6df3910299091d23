package dev.deferred.impl.defer;

import static java.util.concurrent.TimeUnit.SECONDS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.cloud.tasks.v2.QueueName;
import dev.deferred.DeferOptions;
import dev.deferred.DeferredTask;
import dev.deferred.Deferrer;
import dev.deferred.EnqueueException;
import dev.deferred.impl.testing.DeferredTest;
import dev.deferred.impl.testing.DeferredTestExtension;
import dev.deferred.impl.testing.LibraryParts;
import jakarta.inject.Inject;
import jakarta.transaction.TransactionManager;
import java.time.YearMonth;
import java.util.concurrent.CancellationException;
import org.jboss.weld.junit5.auto.AddBeanClasses;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

@DeferredTest
@AddBeanClasses(ReportService.class)
class TransactionalDeferTest {

  @Inject Deferrer deferrer;
  @Inject TransactionManager transactions;

  @AfterEach
  void settle() {
    // No task of this test may reach the next test's container.
    DeferredTestExtension.awaitIdle();
  }

  @BeforeEach
  void clear() {
    ReportService.RUNS.clear();
  }

  @AfterEach
  void noTransactionLeaks() throws Exception {
    if (transactions.getTransaction() != null) {
      transactions.rollback();
    }
  }

  @Test
  void deferInsideATransactionIsEnqueuedAfterCommit() throws Exception {
    transactions.begin();
    DeferredTask task =
        deferrer.defer(ReportService.class, r -> r.generate(1L, YearMonth.of(2026, 1)));
    assertThat(task.state()).isEqualTo(DeferredTask.State.PENDING);
    assertThat(task.name()).isEmpty();
    transactions.commit();

    assertThat(task.completion().toCompletableFuture().get(30, SECONDS)).isSameAs(task);
    assertThat(task.state()).isEqualTo(DeferredTask.State.ENQUEUED);
    ReportService.Run run = ReportService.RUNS.poll(30, SECONDS);
    assertThat(run).isNotNull();
    assertThat(run.task()).isEqualTo(task.name().orElseThrow());
  }

  @Test
  void transactionalDeferIsDroppedOnRollback() throws Exception {
    transactions.begin();
    DeferredTask task =
        deferrer.defer(ReportService.class, r -> r.generate(2L, YearMonth.of(2026, 2)));
    transactions.rollback();

    assertThat(task.state()).isEqualTo(DeferredTask.State.DROPPED);
    assertThatThrownBy(() -> task.completion().toCompletableFuture().join())
        .hasCauseInstanceOf(CancellationException.class);
    // Prove the emulator would have delivered it: a later task does arrive, and it is the only one.
    deferrer.defer(ReportService.class, r -> r.generate(3L, YearMonth.of(2026, 3)));
    DeferredTestExtension.awaitIdle();
    assertThat(ReportService.RUNS).extracting(ReportService.Run::customerId).containsExactly(3L);
  }

  @Test
  void anExplicitImmediateDeferInsideATransactionIsEnqueuedAtOnce() throws Exception {
    transactions.begin();
    DeferredTask task =
        deferrer.defer(
            ReportService.class,
            r -> r.generate(4L, YearMonth.of(2026, 4)),
            DeferOptions.defaults().transactional(false));
    assertThat(task.state()).isEqualTo(DeferredTask.State.ENQUEUED);
    transactions.rollback();

    ReportService.Run run = ReportService.RUNS.poll(30, SECONDS);
    assertThat(run).isNotNull();
    assertThat(run.customerId()).isEqualTo(4L);
  }

  @Test
  void aFailureToEnqueueAfterCommitMarksTheTaskFailedAndKeepsTheCommit() throws Exception {
    transactions.begin();
    DeferredTask task =
        deferrer.defer(ReportService.class, r -> r.generate(6L, YearMonth.of(2026, 6)));
    // The queue disappears between the defer and the commit: the enqueue after commit fails.
    LibraryParts.connection()
        .client()
        .deleteQueue(
            QueueName.of(
                LibraryParts.config().project(), LibraryParts.config().location(), "default"));
    transactions.commit();

    assertThat(task.state()).isEqualTo(DeferredTask.State.FAILED);
    assertThatThrownBy(() -> task.completion().toCompletableFuture().join())
        .hasCauseInstanceOf(EnqueueException.class)
        .cause()
        .hasMessageStartingWith(
            "DEFERRED-0301: Could not create task (automatic name) on queue 'default': NOT_FOUND");
  }

  @Test
  void anExplicitTransactionalDeferWithoutATransactionIsRefused() {
    assertThatThrownBy(
            () ->
                deferrer.defer(
                    ReportService.class,
                    r -> r.generate(5L, YearMonth.of(2026, 5)),
                    DeferOptions.defaults().transactional(true)))
        .isInstanceOf(IllegalStateException.class)
        .hasMessage(
            "DEFERRED-0207: ReportService.generate(long, YearMonth) asks for a transactional"
                + " defer, but no JTA transaction is active: call it inside a transaction, or drop"
                + " transactional(true) / Transaction.AFTER_COMMIT");
  }
}
