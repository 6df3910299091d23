package dev.deferred.impl.handler;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.deferred.DeferOptions;
import dev.deferred.Deferrer;
import dev.deferred.SingularTaskFailure;
import dev.deferred.impl.store.TaskFailure;
import dev.deferred.impl.testing.DeferredTest;
import dev.deferred.impl.testing.DeferredTestExtension;
import dev.deferred.impl.testing.LibraryParts;
import dev.deferred.testing.internal.TaskHttpServer;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.EnumMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.jboss.weld.junit5.auto.AddBeanClasses;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The promise of the handler under faults: {@value #TASKS} tasks go through the emulator and the
 * real handler while about a fifth of all attempts fail at random, in every way a delivery can
 * fail: the task throws, it asks for a retry, something in front of the handler answers 5xx, the
 * connection closes after the handler ran but before the answer, the answer comes after the
 * dispatch deadline. Every task's effect must happen exactly once (the task records an idempotency
 * key, as docs/reliability.md tells applications to), none may be lost, and every task that
 * exhausts its attempts must be in the failure store.
 *
 * <p>The faults are injected by a small HTTP server that stands where a load balancer would,
 * between the emulator and the handler. Each attempt's fault is drawn from the seed printed at the
 * start and the task's name and retry count, so a run can be repeated with {@code
 * -Ddeferred.fault.seed=N}.
 */
@DeferredTest(config = {"deferred.queues.default.rate-per-second=500"})
@AddBeanClasses(FaultSuiteTest.Work.class)
class FaultSuiteTest {
  static final int TASKS = 2_000;
  // One task in 40 always throws and has maxAttempts 3: it must end in the failure store.
  static final int DOOMED_EVERY = 40;
  static final int DOOMED_ATTEMPTS = 3;
  private static final Logger LOG = Logger.getLogger(FaultSuiteTest.class.getName());

  /** How an attempt fails; the percentages add up to a fifth of all attempts. */
  enum Fault {
    THROWS(7),
    SINGULAR(3),
    ANSWER_503_BEFORE_HANDLER(5),
    CONNECTION_CLOSED_AFTER_HANDLER(3),
    ANSWER_AFTER_DEADLINE(2);

    final int percent;

    Fault(int percent) {
      this.percent = percent;
    }
  }

  static final long SEED = Long.getLong("deferred.fault.seed", System.nanoTime());
  static final Map<Fault, AtomicInteger> INJECTED = new EnumMap<>(Fault.class);
  static final AtomicInteger ATTEMPTS = new AtomicInteger();
  // key -> times the effect was applied; the idempotency keys are its key set.
  static final Map<String, AtomicInteger> EFFECTS = new ConcurrentHashMap<>();
  static final AtomicInteger RUNS_AFTER_SUCCESS = new AtomicInteger();
  static final Object PROGRESS = new Object();

  private static FaultyFront front;

  @Inject Deferrer deferrer;

  @BeforeAll
  static void startFront() throws IOException {
    for (Fault f : Fault.values()) {
      INJECTED.put(f, new AtomicInteger());
    }
    front = new FaultyFront();
    DeferredTestExtension.configure("deferred.handler.url", front.url());
  }

  @AfterAll
  static void stopFront() {
    front.close();
  }

  /** The fault of one attempt, the same for the task and for the front. */
  static Fault faultOf(String taskName, int retryCount) {
    SplittableRandom r = new SplittableRandom(SEED ^ (taskName.hashCode() * 31L + retryCount));
    int roll = r.nextInt(100);
    for (Fault f : Fault.values()) {
      if (roll < f.percent) {
        return f;
      }
      roll -= f.percent;
    }
    return null;
  }

  @ApplicationScoped
  public static class Work {
    @Inject dev.deferred.TaskContext context;

    public void apply(String key, boolean doomed) {
      ATTEMPTS.incrementAndGet();
      Fault fault = faultOf(context.taskName(), context.retryCount());
      if (doomed) {
        throw new IllegalStateException("doomed " + key);
      }
      if (fault == Fault.THROWS) {
        INJECTED.get(fault).incrementAndGet();
        throw new IllegalStateException("injected failure of " + key);
      }
      if (fault == Fault.SINGULAR) {
        INJECTED.get(fault).incrementAndGet();
        throw new SingularTaskFailure("injected retry of " + key);
      }
      // The idempotency key: the effect is applied once, whatever the deliveries.
      AtomicInteger applied = new AtomicInteger();
      AtomicInteger previous = EFFECTS.putIfAbsent(key, applied);
      if (previous == null) {
        applied.incrementAndGet();
      } else {
        RUNS_AFTER_SUCCESS.incrementAndGet();
      }
      synchronized (PROGRESS) {
        PROGRESS.notifyAll();
      }
    }
  }

  @Test
  void everyTaskTakesEffectExactlyOnceOrIsRecordedUnderRandomFaults() throws Exception {
    LOG.info("Fault suite seed " + SEED + " (repeat with -Ddeferred.fault.seed=" + SEED + ")");
    // Silence the expected error logs of thousands of injected failures.
    Logger handlerLog = Logger.getLogger(TaskHandler.class.getName());
    Level previous = handlerLog.getLevel();
    handlerLog.setLevel(Level.OFF);
    long started = System.nanoTime();
    Set<String> expected = new HashSet<>();
    Set<String> doomed = new HashSet<>();
    DeferOptions options = DeferOptions.defaults().dispatchDeadline(Duration.ofSeconds(15));
    try {
      for (int i = 0; i < TASKS; i++) {
        String key = "k" + i;
        boolean isDoomed = i % DOOMED_EVERY == 0;
        if (isDoomed) {
          doomed.add(key);
          deferrer.defer(Work.class, w -> w.apply(key, true), options.maxAttempts(DOOMED_ATTEMPTS));
        } else {
          expected.add(key);
          deferrer.defer(Work.class, w -> w.apply(key, false), options);
        }
      }

      long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(4);
      while (!(EFFECTS.keySet().containsAll(expected) && recordedKeys().containsAll(doomed))) {
        assertThat(System.nanoTime())
            .as(
                "all tasks done within 4 minutes; missing effects: %d, doomed not recorded: %d",
                missing(expected), doomed.size() - recordedKeys().size())
            .isLessThan(deadline);
        synchronized (PROGRESS) {
          PROGRESS.wait(500);
        }
      }
      DeferredTestExtension.awaitIdle();
    } finally {
      handlerLog.setLevel(previous);
    }
    long seconds = TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - started);

    int injected = INJECTED.values().stream().mapToInt(AtomicInteger::get).sum();
    int deliveries = front.requests.get();
    LOG.info(
        "Fault suite: "
            + TASKS
            + " tasks ("
            + doomed.size()
            + " doomed), "
            + deliveries
            + " deliveries, "
            + injected
            + " failures injected "
            + INJECTED
            + ", effects applied "
            + EFFECTS.values().stream().mapToInt(AtomicInteger::get).sum()
            + ", runs absorbed by the idempotency key "
            + RUNS_AFTER_SUCCESS.get()
            + ", lost "
            + missing(expected)
            + ", failure records "
            + failures().size()
            + ", "
            + seconds
            + " s");

    assertThat(EFFECTS.keySet()).containsExactlyInAnyOrderElementsOf(expected);
    assertThat(EFFECTS.values()).allSatisfy(n -> assertThat(n).hasValue(1));
    assertThat(recordedKeys()).containsExactlyInAnyOrderElementsOf(doomed);
    // The faults really happened, each kind of them.
    assertThat(INJECTED.values()).allSatisfy(n -> assertThat(n.get()).isPositive());
    assertThat(injected).isGreaterThan(deliveries / 10);
    // An answer lost after the handler ran makes Cloud Tasks deliver the task again.
    assertThat(RUNS_AFTER_SUCCESS.get()).isPositive();
  }

  private static int missing(Set<String> expected) {
    int n = 0;
    for (String k : expected) {
      if (!EFFECTS.containsKey(k)) {
        n++;
      }
    }
    return n;
  }

  private static List<TaskFailure> failures() {
    return LibraryParts.failureStore().recent(10_000);
  }

  private static final java.util.regex.Pattern KEY =
      java.util.regex.Pattern.compile("\"arguments\":\\[\\{\"value\":\"(k[0-9]+)\"");

  /** The keys of the tasks in the failure store, read from the payloads the records hold. */
  private static Set<String> recordedKeys() {
    Set<String> keys = new HashSet<>();
    for (TaskFailure f : failures()) {
      java.util.regex.Matcher m = KEY.matcher(new String(f.payload(), StandardCharsets.UTF_8));
      if (m.find()) {
        keys.add(m.group(1));
      }
    }
    return keys;
  }

  /**
   * Stands between the emulator and the handler, like a load balancer, and fails deliveries on
   * purpose: answers 503 without passing the request on, closes the connection after the handler
   * ran, or holds the handler's answer until the emulator has given up on it (the next attempt of
   * the same task arrives).
   */
  static final class FaultyFront implements AutoCloseable {
    final HttpServer server;
    final ExecutorService executor = Executors.newCachedThreadPool();
    final AtomicInteger requests = new AtomicInteger();
    final Map<String, CountDownLatch> heldUntilNextAttempt = new ConcurrentHashMap<>();

    FaultyFront() throws IOException {
      server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
      server.createContext(TaskHttpServer.PATH, this::handle);
      server.setExecutor(executor);
      server.start();
    }

    String url() {
      return "http://127.0.0.1:" + server.getAddress().getPort() + TaskHttpServer.PATH;
    }

    private void handle(HttpExchange exchange) throws IOException {
      requests.incrementAndGet();
      byte[] body;
      try (InputStream in = exchange.getRequestBody()) {
        body = in.readAllBytes();
      }
      Map<String, String> headers = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
      exchange.getRequestHeaders().forEach((k, v) -> headers.put(k, v.get(0)));
      String task = headers.getOrDefault("X-CloudTasks-TaskName", "?");
      int retry = Integer.parseInt(headers.getOrDefault("X-CloudTasks-TaskRetryCount", "0"));
      CountDownLatch waiting = heldUntilNextAttempt.remove(task);
      if (waiting != null) {
        waiting.countDown();
      }
      Fault fault = faultOf(task, retry);
      if (fault == Fault.ANSWER_503_BEFORE_HANDLER) {
        INJECTED.get(fault).incrementAndGet();
        answer(exchange, 503, "injected");
        return;
      }
      TaskHandler.Response response;
      try {
        response = TaskHttpServer.send(headers, body);
      } catch (RuntimeException e) {
        response = new TaskHandler.Response(599, "handler threw " + e);
      }
      if (fault == Fault.CONNECTION_CLOSED_AFTER_HANDLER) {
        INJECTED.get(fault).incrementAndGet();
        exchange.close();
        return;
      }
      if (fault == Fault.ANSWER_AFTER_DEADLINE) {
        INJECTED.get(fault).incrementAndGet();
        CountDownLatch next = new CountDownLatch(1);
        heldUntilNextAttempt.put(task, next);
        try {
          // The emulator gives up after the dispatch deadline and retries: that retry releases it.
          next.await(60, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      }
      answer(exchange, response.status(), response.body());
    }

    private static void answer(HttpExchange exchange, int status, String text) {
      try (exchange) {
        byte[] out = text.getBytes(StandardCharsets.UTF_8);
        exchange.sendResponseHeaders(status, out.length == 0 ? -1 : out.length);
        try (OutputStream os = exchange.getResponseBody()) {
          os.write(out);
        }
      } catch (IOException e) {
        // The emulator stopped waiting: the answer is lost, which is the point of the fault.
      }
    }

    @Override
    public void close() {
      server.stop(0);
      executor.shutdownNow();
    }
  }
}
