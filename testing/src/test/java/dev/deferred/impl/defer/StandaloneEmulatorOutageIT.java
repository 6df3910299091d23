package dev.deferred.impl.defer;

import static java.util.concurrent.TimeUnit.SECONDS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.deferred.DeferredTask;
import dev.deferred.Deferrer;
import dev.deferred.EnqueueException;
import dev.deferred.impl.testing.DeferredTest;
import dev.deferred.impl.testing.DeferredTestExtension;
import dev.deferred.impl.testing.LogCapture;
import jakarta.inject.Inject;
import jakarta.transaction.TransactionManager;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.YearMonth;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.jboss.weld.junit5.auto.AddBeanClasses;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Fault suite, Cloud Tasks: in emulator mode the standalone emulator ({@code
 * cloud-tasks-emulator.jar}, a separate JVM, as users run it) is killed (SIGKILL: no orderly
 * shutdown, its connections simply drop) while defers are made, and started again on the same
 * ports. Immediate defers fail at the call site, transactional ones end FAILED and are logged for
 * re-creation, and every task reported enqueued runs exactly once.
 */
@DeferredTest(
    config = {
      "deferred.mode=emulator",
      "deferred.create-queues=false",
      "deferred.signing.keys=MDEyMzQ1Njc4OWFiY2RlZjAxMjM0NTY3ODlhYmNkZWY="
    })
@AddBeanClasses(ReportService.class)
class StandaloneEmulatorOutageIT {

  static final int DEFERS_PER_PHASE = 5;
  static final Path WORK = Path.of("target", "standalone-emulator-outage").toAbsolutePath();
  static int grpcPort;
  static int restPort;
  static Process emulator;

  @Inject Deferrer deferrer;
  @Inject TransactionManager transactions;

  @BeforeAll
  static void standaloneEmulator() throws Exception {
    grpcPort = freePort();
    restPort = freePort();
    emulator = launch("first");
    DeferredTestExtension.configure("deferred.emulator.host", "127.0.0.1:" + grpcPort);
    DeferredTestExtension.configure(
        "deferred.emulator.jwks-url", "http://127.0.0.1:" + restPort + "/oauth2/v3/certs");
  }

  @AfterAll
  static void stopEmulator() throws InterruptedException {
    if (emulator != null) {
      emulator.destroy();
      emulator.waitFor(30, SECONDS);
    }
  }

  @Test
  void afterTheEmulatorWasKilledNothingIsReportedEnqueuedThatWasNot() throws Exception {
    ReportService.RUNS.clear();
    List<DeferredTask> enqueued = new ArrayList<>();
    long id = 0;
    for (int i = 0; i < DEFERS_PER_PHASE; i++) {
      long c = ++id;
      enqueued.add(deferrer.defer(ReportService.class, r -> r.generate(c, YearMonth.of(2026, 1))));
    }
    List<Long> ran = new ArrayList<>();
    // They run before the emulator is killed: its queues are in memory and go with it.
    awaitRuns(ran, DEFERS_PER_PHASE);

    emulator.destroyForcibly(); // SIGKILL
    assertThat(emulator.waitFor(30, SECONDS)).as("killed").isTrue();
    assertThat(emulator.exitValue()).as("128 + SIGKILL").isEqualTo(137);
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

    emulator = launch("second");
    // The client's channel reconnects after its backoff; until then a defer fails at the call
    // site, never reported enqueued.
    int failedWhileReconnecting = 0;
    long restarted = System.nanoTime();
    long first = ++id;
    while (true) {
      try {
        enqueued.add(
            deferrer.defer(ReportService.class, r -> r.generate(first, YearMonth.of(2026, 4))));
        break;
      } catch (EnqueueException e) {
        failedWhileReconnecting++;
        assertThat(System.nanoTime() - restarted)
            .as("reconnected within 150 s")
            .isLessThan(SECONDS.toNanos(150));
        // Waits before the next try, and shows that nothing runs while nothing is enqueued.
        assertThat(ReportService.RUNS.poll(200, TimeUnit.MILLISECONDS)).isNull();
      }
    }
    long reconnectMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - restarted);
    for (int i = 1; i < DEFERS_PER_PHASE; i++) {
      long c = ++id;
      transactions.begin();
      enqueued.add(deferrer.defer(ReportService.class, r -> r.generate(c, YearMonth.of(2026, 4))));
      transactions.commit();
    }

    assertThat(enqueued).allMatch(t -> t.state() == DeferredTask.State.ENQUEUED);
    awaitRuns(ran, 2 * DEFERS_PER_PHASE);
    assertThat(ran).containsExactlyInAnyOrder(1L, 2L, 3L, 4L, 5L, 6L, 7L, 8L, 9L, 10L);
    // Nothing else arrives: no task ran twice, none of the failed defers ran.
    assertThat(ReportService.RUNS.poll(2, SECONDS)).isNull();
    System.out.printf(
        "Fault suite, standalone emulator killed: %d enqueued before, %d immediate defers failed"
            + " at the call site, %d transactional defers FAILED and logged for re-creation, %d"
            + " enqueued after restart (%d defers failed at the call site while the channel"
            + " reconnected, %d ms); %d runs, 0 reported enqueued that were not%n",
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

  /** Runs the jar as users do and waits for its ready line. */
  private static Process launch(String name) throws Exception {
    Path jar = Path.of(System.getProperty("emulator.jar", "missing-emulator.jar"));
    assertThat(jar)
        .as("the standalone emulator built by the emulator module's `package`")
        .isRegularFile();
    Path dir = WORK.resolve(name);
    Files.createDirectories(dir);
    Process process =
        new ProcessBuilder(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-jar",
                jar.toAbsolutePath().toString(),
                "--host=127.0.0.1",
                "--port=" + grpcPort,
                "--rest-port=" + restPort,
                "--project=deferred-local",
                "--location=us-central1",
                "--queue=default")
            .directory(dir.toFile())
            // Files, not pipes: a killed process's pipes close before they can be read.
            .redirectOutput(dir.resolve("stdout.txt").toFile())
            .redirectError(dir.resolve("stderr.txt").toFile())
            .start();
    long deadline = System.nanoTime() + SECONDS.toNanos(90);
    while (System.nanoTime() < deadline) {
      String out = Files.readString(dir.resolve("stdout.txt"), StandardCharsets.UTF_8);
      if (out.contains("\n")) {
        assertThat(out).startsWith("Cloud Tasks emulator listening: gRPC 127.0.0.1:" + grpcPort);
        return process;
      }
      if (!process.isAlive()) {
        throw new AssertionError(
            "the emulator exited with "
                + process.exitValue()
                + " before it was ready: "
                + Files.readString(dir.resolve("stderr.txt"), StandardCharsets.UTF_8));
      }
      try {
        process.onExit().get(50, TimeUnit.MILLISECONDS);
      } catch (TimeoutException stillRunning) {
        // not ready yet
      }
    }
    process.destroyForcibly();
    throw new AssertionError("the emulator printed no ready line within 90 s");
  }

  private static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return socket.getLocalPort();
    }
  }
}
