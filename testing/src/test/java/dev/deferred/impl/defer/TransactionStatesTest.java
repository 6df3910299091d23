package dev.deferred.impl.defer;

import static java.util.concurrent.TimeUnit.SECONDS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.cloud.tasks.v2.QueueName;
import com.google.cloud.tasks.v2.Task;
import com.google.cloud.tasks.v2.TaskName;
import dev.deferred.DeferOptions;
import dev.deferred.DeferredTask;
import dev.deferred.Deferrer;
import dev.deferred.impl.config.HostEnvironment;
import dev.deferred.impl.store.InMemoryPayloadStore;
import dev.deferred.impl.testing.DeferredTest;
import dev.deferred.impl.testing.DeferredTestExtension;
import dev.deferred.impl.testing.LibraryParts;
import dev.deferred.impl.testing.TestEnvironment;
import jakarta.inject.Inject;
import jakarta.transaction.Synchronization;
import jakarta.transaction.TransactionManager;
import java.time.Duration;
import java.time.Instant;
import java.time.YearMonth;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import org.jboss.weld.junit5.auto.AddBeanClasses;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A transactional defer in every state a JTA transaction can be in when the call is made, and the
 * payload store after each outcome.
 */
@DeferredTest(config = {"deferred.small-task.max-bytes=2000"})
@AddBeanClasses({ReportService.class, Payloads.class})
class TransactionStatesTest {

  private static final String LARGE = "x".repeat(5000);

  @Inject Deferrer deferrer;
  @Inject TransactionManager transactions;
  @Inject HostEnvironment host;

  @BeforeEach
  void clear() {
    ReportService.RUNS.clear();
    Payloads.SIZES.clear();
  }

  @AfterEach
  void settle() throws Exception {
    if (transactions.getTransaction() != null) {
      transactions.rollback();
    }
    DeferredTestExtension.awaitIdle();
  }

  private static long storedBytes() {
    return ((InMemoryPayloadStore) LibraryParts.payloadStore()).totalBytes();
  }

  @Test
  void aDeferInARollbackOnlyTransactionIsDroppedAndStoresNothing() throws Exception {
    transactions.begin();
    transactions.setRollbackOnly();

    DeferredTask task = deferrer.defer(Payloads.class, p -> p.take(LARGE));

    assertThat(task.state()).isEqualTo(DeferredTask.State.DROPPED);
    assertThatThrownBy(() -> task.completion().toCompletableFuture().join())
        .hasCauseInstanceOf(CancellationException.class);
    assertThat(storedBytes()).isZero();
    transactions.rollback();
    // An immediate defer made after it runs, and it is the only one.
    deferrer.defer(Payloads.class, p -> p.take("after"));
    DeferredTestExtension.awaitIdle();
    assertThat(Payloads.SIZES).containsExactly(5);
  }

  @Test
  void aLargeTransactionalDeferLeavesNoPayloadAfterRollback() throws Exception {
    transactions.begin();
    DeferredTask task = deferrer.defer(Payloads.class, p -> p.take(LARGE));
    assertThat(storedBytes()).isPositive();
    transactions.rollback();

    assertThat(task.state()).isEqualTo(DeferredTask.State.DROPPED);
    assertThat(storedBytes()).isZero();
  }

  @Test
  void aFailedEnqueueAfterCommitKeepsTheStoredPayloadForTheRecreation() throws Exception {
    transactions.begin();
    DeferredTask task = deferrer.defer(Payloads.class, p -> p.take(LARGE));
    LibraryParts.connection()
        .client()
        .deleteQueue(
            QueueName.of(
                LibraryParts.config().project(), LibraryParts.config().location(), "default"));
    transactions.commit();

    assertThat(task.state()).isEqualTo(DeferredTask.State.FAILED);
    assertThat(storedBytes()).isPositive();
  }

  @Test
  void aDeferInABeforeCompletionCallbackIsEnqueuedAfterCommit() throws Exception {
    CompletableFuture<DeferredTask> deferred = new CompletableFuture<>();
    transactions.begin();
    transactions
        .getTransaction()
        .registerSynchronization(
            new Synchronization() {
              @Override
              public void beforeCompletion() {
                // e.g. a JPA entity listener that defers while the transaction is flushed
                deferred.complete(
                    deferrer.defer(
                        ReportService.class, r -> r.generate(21L, YearMonth.of(2026, 1))));
              }

              @Override
              public void afterCompletion(int status) {}
            });
    transactions.commit();

    DeferredTask task = deferred.get(5, SECONDS);
    assertThat(task.completion().toCompletableFuture().get(30, SECONDS).state())
        .isEqualTo(DeferredTask.State.ENQUEUED);
    assertThat(ReportService.RUNS.poll(30, SECONDS).customerId()).isEqualTo(21L);
  }

  @Test
  void aDeferInAnAfterCommitCallbackIsEnqueuedAtOnceEvenWhenItAsksForATransaction()
      throws Exception {
    CompletableFuture<DeferredTask> byDefault = new CompletableFuture<>();
    CompletableFuture<DeferredTask> explicit = new CompletableFuture<>();
    transactions.begin();
    transactions
        .getTransaction()
        .registerSynchronization(
            new Synchronization() {
              @Override
              public void beforeCompletion() {}

              @Override
              public void afterCompletion(int status) {
                try {
                  byDefault.complete(
                      deferrer.defer(
                          ReportService.class, r -> r.generate(22L, YearMonth.of(2026, 2))));
                  // The commit it would wait for has happened.
                  explicit.complete(
                      deferrer.defer(
                          ReportService.class,
                          r -> r.generate(23L, YearMonth.of(2026, 3)),
                          DeferOptions.defaults().transactional(true)));
                } catch (RuntimeException e) {
                  explicit.completeExceptionally(e);
                }
              }
            });
    transactions.commit();

    assertThat(byDefault.get(5, SECONDS).state()).isEqualTo(DeferredTask.State.ENQUEUED);
    assertThat(explicit.get(5, SECONDS).state()).isEqualTo(DeferredTask.State.ENQUEUED);
    DeferredTestExtension.awaitIdle();
    assertThat(ReportService.RUNS)
        .extracting(ReportService.Run::customerId)
        .containsExactlyInAnyOrder(22L, 23L);
  }

  @Test
  void theCountdownOfATransactionalDeferIsMeasuredFromTheCommit() throws Exception {
    transactions.begin();
    DeferredTask task =
        deferrer.defer(
            ReportService.class,
            r -> r.generate(24L, YearMonth.of(2026, 4)),
            DeferOptions.defaults().countdown(Duration.ofHours(1)));
    // The transaction lasts ten minutes (on the library's clock).
    TestEnvironment.advanceClock(Duration.ofMinutes(10));
    try {
      Instant beforeCommit = Instant.now(host.clock());
      transactions.commit();
      Instant afterCommit = Instant.now(host.clock());

      assertThat(task.state()).isEqualTo(DeferredTask.State.ENQUEUED);
      TaskName name =
          TaskName.of(
              LibraryParts.config().project(),
              LibraryParts.config().location(),
              task.queue(),
              task.name().orElseThrow());
      Task created = LibraryParts.connection().client().getTask(name);
      Instant scheduled =
          Instant.ofEpochSecond(
              created.getScheduleTime().getSeconds(), created.getScheduleTime().getNanos());
      assertThat(scheduled)
          .isAfterOrEqualTo(beforeCommit.plus(Duration.ofHours(1)).minusMillis(1))
          .isBeforeOrEqualTo(afterCommit.plus(Duration.ofHours(1)));
      LibraryParts.connection().client().deleteTask(name);
    } finally {
      TestEnvironment.advanceClock(Duration.ofMinutes(-10));
    }
  }
}
