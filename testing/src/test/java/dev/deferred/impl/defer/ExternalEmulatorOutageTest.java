package dev.deferred.impl.defer;

import static java.util.concurrent.TimeUnit.SECONDS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.deferred.DeferredTask;
import dev.deferred.Deferrer;
import dev.deferred.EnqueueException;
import dev.deferred.emulator.CloudTasksEmulator;
import dev.deferred.impl.testing.DeferredTest;
import dev.deferred.impl.testing.DeferredTestExtension;
import dev.deferred.impl.testing.LogCapture;
import jakarta.inject.Inject;
import jakarta.transaction.TransactionManager;
import java.time.YearMonth;
import java.util.ArrayList;
import java.util.List;
import org.jboss.weld.junit5.auto.AddBeanClasses;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Fault suite, Cloud Tasks: in emulator mode the external emulator stops while defers are made and
 * starts again on the same port. Immediate defers fail at the call site, transactional ones end
 * FAILED and are logged for re-creation, and every task reported enqueued runs.
 */
@DeferredTest(
    config = {
      "deferred.mode=emulator",
      "deferred.create-queues=false",
      "deferred.signing.keys=MDEyMzQ1Njc4OWFiY2RlZjAxMjM0NTY3ODlhYmNkZWY="
    })
@AddBeanClasses(ReportService.class)
class ExternalEmulatorOutageTest {

  static final int DEFERS_PER_PHASE = 5;
  static CloudTasksEmulator emulator;
  static int grpcPort;
  static int httpPort;

  @Inject Deferrer deferrer;
  @Inject TransactionManager transactions;

  static CloudTasksEmulator start(int grpc, int http) {
    return CloudTasksEmulator.builder()
        .host("127.0.0.1")
        .grpcPort(grpc)
        .httpPort(http)
        .project("deferred-local")
        .location("us-central1")
        .queue("default")
        .start();
  }

  @BeforeAll
  static void externalEmulator() {
    emulator = start(0, 0);
    grpcPort = emulator.grpcPort();
    httpPort = emulator.httpPort();
    DeferredTestExtension.configure("deferred.emulator.host", "127.0.0.1:" + grpcPort);
    DeferredTestExtension.configure("deferred.emulator.jwks-url", emulator.jwksUri().toString());
  }

  @AfterAll
  static void stopEmulator() {
    if (emulator != null) {
      emulator.close();
    }
  }

  @Test
  void whileTheEmulatorIsDownNothingIsReportedEnqueuedThatWasNot() throws Exception {
    ReportService.RUNS.clear();
    List<DeferredTask> enqueued = new ArrayList<>();
    long id = 0;
    for (int i = 0; i < DEFERS_PER_PHASE; i++) {
      long c = ++id;
      enqueued.add(deferrer.defer(ReportService.class, r -> r.generate(c, YearMonth.of(2026, 1))));
    }
    List<Long> ran = new ArrayList<>();
    // They run before the emulator stops: its queues are in memory and go with it.
    awaitRuns(ran, DEFERS_PER_PHASE);

    emulator.close();
    int immediateFailed = 0;
    int transactionalFailed = 0;
    try (LogCapture log = LogCapture.of(DeferEngine.class)) {
      for (int i = 0; i < DEFERS_PER_PHASE; i++) {
        long c = 1000 + i;
        assertThatThrownBy(
                () ->
                    deferrer.defer(ReportService.class, r -> r.generate(c, YearMonth.of(2026, 2))))
            .isInstanceOf(EnqueueException.class)
            .hasMessageStartingWith(
                "DEFERRED-0301: Could not create task (automatic name) on queue 'default':"
                    + " UNAVAILABLE");
        immediateFailed++;
        transactions.begin();
        DeferredTask pending =
            deferrer.defer(ReportService.class, r -> r.generate(c + 100, YearMonth.of(2026, 3)));
        transactions.commit();
        assertThat(pending.state()).isEqualTo(DeferredTask.State.FAILED);
        transactionalFailed++;
      }
      assertThat(log.messages())
          .hasSize(DEFERS_PER_PHASE)
          .allSatisfy(
              m ->
                  assertThat(m)
                      .startsWith(
                          "DEFERRED-0302: The transaction committed but task (automatic name)"
                              + " could not be created on queue 'default'; it is lost unless"
                              + " re-created. To re-create it, create this task: queue=default"));
    }

    emulator = start(grpcPort, httpPort);
    // The client's channel reconnects after its backoff; until then a defer fails at the call
    // site, never reported enqueued.
    int failedWhileReconnecting = 0;
    long restarted = System.nanoTime();
    long c6 = ++id;
    while (true) {
      try {
        enqueued.add(
            deferrer.defer(ReportService.class, r -> r.generate(c6, YearMonth.of(2026, 4))));
        break;
      } catch (EnqueueException e) {
        failedWhileReconnecting++;
        assertThat(System.nanoTime() - restarted)
            .as("reconnected within 150 s")
            .isLessThan(SECONDS.toNanos(150));
        // Waits before the next try, and shows that nothing runs while nothing is enqueued.
        assertThat(ReportService.RUNS.poll(200, java.util.concurrent.TimeUnit.MILLISECONDS))
            .isNull();
      }
    }
    long reconnectMillis =
        java.util.concurrent.TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - restarted);
    for (int i = 1; i < DEFERS_PER_PHASE; i++) {
      long c = ++id;
      transactions.begin();
      enqueued.add(deferrer.defer(ReportService.class, r -> r.generate(c, YearMonth.of(2026, 4))));
      transactions.commit();
    }

    assertThat(enqueued).allMatch(t -> t.state() == DeferredTask.State.ENQUEUED);
    awaitRuns(ran, 2 * DEFERS_PER_PHASE);
    assertThat(ran).containsExactlyInAnyOrder(1L, 2L, 3L, 4L, 5L, 6L, 7L, 8L, 9L, 10L);
    System.out.printf(
        "Fault suite, emulator down: %d enqueued before, %d immediate defers failed at the call"
            + " site, %d transactional defers FAILED and logged for re-creation, %d enqueued after"
            + " restart (%d defers failed at the call site while the channel reconnected, %d ms);"
            + " %d runs, 0 reported enqueued that were not%n",
        DEFERS_PER_PHASE,
        immediateFailed,
        transactionalFailed,
        DEFERS_PER_PHASE,
        failedWhileReconnecting,
        reconnectMillis,
        ran.size());
  }

  private static void awaitRuns(List<Long> ran, int total) throws InterruptedException {
    while (ran.size() < total) {
      ReportService.Run run = ReportService.RUNS.poll(60, SECONDS);
      assertThat(run).as("run %d of %d", ran.size() + 1, total).isNotNull();
      ran.add(run.customerId());
    }
  }
}
