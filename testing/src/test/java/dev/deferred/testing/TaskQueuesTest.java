package dev.deferred.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.deferred.DeferOptions;
import dev.deferred.Deferrer;
import dev.deferred.testing.internal.TestEnvironment;
import jakarta.inject.Inject;
import jakarta.transaction.TransactionManager;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.jboss.weld.junit5.auto.AddBeanClasses;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

@DeferredTest
@AddBeanClasses({Chores.class, Mailer.class})
class TaskQueuesTest {

  @Inject Deferrer deferrer;
  @Inject TaskQueues tasks;
  @Inject Mailer mailer;
  @Inject TransactionManager transactions;

  @BeforeEach
  void everyTestStartsWithEmptyQueues() {
    // Tasks left by an earlier test (several are) must not reach this one.
    assertThat(tasks.count()).isZero();
    Chores.DONE.clear();
    Chores.FLAKY_RUNS.set(0);
    Mailer.SENT.clear();
  }

  @AfterEach
  void noTransactionLeaks() throws Exception {
    if (transactions.getTransaction() != null) {
      transactions.rollback();
    }
  }

  @Test
  void aDeferredTaskWaitsUntilTheTestProcessesIt() {
    deferrer.defer(Chores.class, c -> c.record("a"));

    tasks.assertCount(1);
    // The queue is paused: the emulator, idle, has delivered nothing.
    assertThat(TestEnvironment.current().emulator().awaitIdle(Duration.ofSeconds(10))).isTrue();
    assertThat(TestEnvironment.current().server().deliveries()).isZero();
    assertThat(Chores.DONE).isEmpty();
    assertThat(tasks.process()).isEqualTo(1);
    assertThat(Chores.DONE).containsExactly("a");
    tasks.assertCount(0);
  }

  @Test
  void pendingTasksShowTheirBeanMethodAndDecodedArguments() {
    mailer.send("ada@example.com", new Mailer.Letter("Welcome", 2));

    List<PendingTask> pending = tasks.pending("mail");
    assertThat(pending).hasSize(1);
    PendingTask task = pending.get(0);
    assertThat(task.queue()).isEqualTo("mail");
    assertThat(task.bean()).isEqualTo(Mailer.class.getName());
    assertThat(task.method()).isEqualTo("send");
    assertThat(task.arguments())
        .containsExactly("ada@example.com", new Mailer.Letter("Welcome", 2));
    assertThat(task.attempts()).isZero();
    assertThat(task.toString())
        .isEqualTo(
            "mail/"
                + task.name()
                + " Mailer.send(\"ada@example.com\", Letter[subject=Welcome, copies=2]) eta "
                + task.eta()
                + " attempts 0");
    assertThat(Mailer.SENT).isEmpty();

    tasks.process("mail");
    assertThat(Mailer.SENT).containsExactly("ada@example.com: Welcome");
  }

  @Test
  void aLargeTaskIsListedAndRunFromThePayloadStore() {
    String big = "x".repeat(200_000);
    deferrer.defer(Chores.class, c -> c.record(big));

    assertThat(tasks.pending().get(0).arguments()).containsExactly(big);
    tasks.process();
    assertThat(Chores.DONE).containsExactly(big);
  }

  @Test
  void aFailedCountAssertionListsThePendingTasks() {
    deferrer.defer(Chores.class, c -> c.record("listed"));
    PendingTask pending = tasks.pending().get(0);

    assertThatThrownBy(() -> tasks.assertCount(2))
        .isInstanceOf(AssertionError.class)
        .hasMessage("DEFERRED-7003: Expected 2 tasks in all queues but found 1:\n  - " + pending);
    assertThatThrownBy(() -> tasks.assertCount("mail", 1))
        .hasMessage("DEFERRED-7003: Expected 1 task in queue 'mail' but found 0");
  }

  @Test
  void aTaskDeferredByATaskRunsInTheSameProcessing() {
    deferrer.defer(Chores.class, c -> c.thenRecord("x"));

    assertThat(tasks.process()).isEqualTo(2);
    assertThat(Chores.DONE).containsExactly("first x", "x");
    tasks.assertCount(0);
  }

  @Test
  void aTaskThatDefersItselfForeverStopsAtTheBoundAndSaysSo() {
    deferrer.defer(Chores.class, c -> c.forever(1));

    assertThatThrownBy(() -> tasks.process(null, FailureBehaviour.RAISE, 5))
        .isInstanceOf(AssertionError.class)
        .satisfies(
            e ->
                assertThat(e)
                    .hasMessage(
                        "DEFERRED-7002: Processing the queues stopped after 5 task attempts with"
                            + " tasks still due: a task that defers itself again every time it"
                            + " runs never lets its queue empty. If the work really is that long,"
                            + " pass a larger maxTasks to process(queue, onFailure, maxTasks). Due"
                            + " now:\n  - "
                            + tasks.pending().get(0)));
    assertThat(Chores.DONE).containsExactly("round 1", "round 2", "round 3", "round 4", "round 5");
    assertThat(tasks.pending()).extracting(PendingTask::arguments).containsExactly(List.of(6));
  }

  @Test
  void countdownAndEtaTasksRunOnlyOnceTheClockIsAdvancedPastThem() {
    deferrer.defer(
        Chores.class,
        c -> c.record("in 10 minutes"),
        DeferOptions.defaults().countdown(Duration.ofMinutes(10)));
    deferrer.defer(
        Chores.class,
        c -> c.record("in 2 hours"),
        DeferOptions.defaults().eta(Instant.now().plus(Duration.ofHours(2))));

    assertThat(tasks.process()).isZero();
    tasks.advanceClock(Duration.ofMinutes(9));
    assertThat(tasks.process()).isZero();
    tasks.advanceClock(Duration.ofMinutes(1));
    assertThat(tasks.process()).isEqualTo(1);
    assertThat(Chores.DONE).containsExactly("in 10 minutes");
    tasks.advanceClock(Duration.ofHours(2));
    assertThat(tasks.process()).isEqualTo(1);
    assertThat(Chores.DONE).containsExactly("in 10 minutes", "in 2 hours");
  }

  @Test
  void aTransactionalDeferAppearsOnlyAfterCommit() throws Exception {
    transactions.begin();
    deferrer.defer(Chores.class, c -> c.record("committed"));
    tasks.assertCount(0);
    transactions.commit();

    tasks.assertCount(1);
    tasks.process();
    assertThat(Chores.DONE).containsExactly("committed");
  }

  @Test
  void aRolledBackTransactionalDeferLeavesNothing() throws Exception {
    transactions.begin();
    deferrer.defer(Chores.class, c -> c.record("rolled back"));
    transactions.rollback();

    tasks.assertCount(0);
    assertThat(tasks.process()).isZero();
    assertThat(Chores.DONE).isEmpty();
  }

  @Test
  void flushDeletesWithoutRunning() {
    deferrer.defer(Chores.class, c -> c.record("flushed"));
    mailer.send("b@example.com", new Mailer.Letter("Hi", 1));
    tasks.flush("mail");
    tasks.assertCount("mail", 0);
    tasks.assertCount("default", 1);
    tasks.flush();
    tasks.assertCount(0);
    assertThat(Chores.DONE).isEmpty();
  }

  @Test
  void runRunsOnePendingTaskWhateverItsEta() {
    deferrer.defer(
        Chores.class,
        c -> c.record("tomorrow"),
        DeferOptions.defaults().countdown(Duration.ofDays(1)));
    tasks.run(tasks.pending().get(0));
    assertThat(Chores.DONE).containsExactly("tomorrow");
    tasks.assertCount(0);
  }

  @Test
  void theHelperIsAlsoATestParameter(TaskQueues parameter) {
    deferrer.defer(Chores.class, c -> c.record("p"));
    assertThat(parameter.count("default")).isEqualTo(1);
  }

  @Test
  @TestConfig("deferred.queues.reports.rate-per-second=1")
  void aTestCanAddAQueue() {
    deferrer.defer(Chores.class, c -> c.record("report"), DeferOptions.queue("reports"));
    tasks.assertCount("reports", 1);
    tasks.process("reports");
    assertThat(Chores.DONE).containsExactly("report");
  }

  @Test
  void theKeysThatPointTheLibraryAtTheTestsEmulatorAreNotATestsToChange() {
    assertThatThrownBy(() -> TestEnvironment.current().configure(List.of("deferred.mode=embedded")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(
            "DEFERRED-7014: deferred.mode=embedded in @TestConfig cannot apply: a Deferred test"
                + " runs the library in emulator mode on the test's own emulator, whose queues it"
                + " pauses so that TaskQueues decides when tasks run; the mode, the emulator's"
                + " address and JWKS and the creation of the queues are the test's. Remove the"
                + " entry, and test embedded or cloud mode on a running server (TaskQueues.remote"
                + " drives its emulator)");
  }

  @Test
  void aQueueNobodyConfiguredIsNamedWithTheFix() {
    assertThatThrownBy(() -> tasks.count("reports"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(
            "DEFERRED-7004: Queue 'reports' is not configured: the queues are [default, mail]. Add"
                + " deferred.queues.reports.rate-per-second (or any deferred.queues.reports.* key)"
                + " to microprofile-config.properties, @DeferredTest(config) or @TestConfig");
  }
}
