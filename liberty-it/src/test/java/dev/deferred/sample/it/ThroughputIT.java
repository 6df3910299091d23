package dev.deferred.sample.it;

import static org.assertj.core.api.Assertions.assertThat;

import jakarta.json.JsonObject;
import jakarta.json.JsonString;
import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Figures 4 and 5 of docs/performance.md, on the running Open Liberty server: the task handler
 * against a no-op JAX-RS endpoint of the same application, and no-op deferred tasks end to end
 * (defer, enqueue, dispatch by the embedded emulator, handler, bean call) against direct HTTP calls
 * to that endpoint, each pair at the same concurrency and in the same minute.
 *
 * <p>Every build runs it at toy size, which proves that the harness works and asserts only what
 * must hold at any size (every request answered 2xx, every task ran exactly once per request). The
 * figures come from the {@code bench} profile of liberty-it, whose sizes are system properties:
 * {@code bench.liberty.tasks} (requests or tasks per measurement), {@code bench.liberty.rounds},
 * {@code bench.liberty.concurrency} (requests in flight, and dispatches in flight per queue) and
 * {@code bench.liberty.queues} (the queue counts of the end-to-end figure, e.g. {@code 1,4});
 * {@code bench} names the figures to run, comma-separated ({@code handler}, {@code endtoend}, or
 * {@code all}, the default; the benchmarks module's figure names are accepted and skip both).
 */
@ExtendWith(ServerLogOnFailure.class)
class ThroughputIT {

  private static final String HANDLER = "/_ah/queue/deferred";
  private static final String NOOP = "/api/throughput/noop";
  private static final int TASKS = Integer.getInteger("bench.liberty.tasks", 200);
  private static final int ROUNDS = Integer.getInteger("bench.liberty.rounds", 1);
  private static final int CONCURRENCY = Integer.getInteger("bench.liberty.concurrency", 16);
  private static final List<Integer> QUEUES =
      List.of(System.getProperty("bench.liberty.queues", "1").split(",")).stream()
          .map(String::trim)
          .map(Integer::valueOf)
          .toList();
  private static final List<String> FIGURES =
      List.of(System.getProperty("bench", "all").split(","));

  /** One client for the load, on its own threads (blocking send: no thread per completion). */
  private static final HttpClient HTTP =
      HttpClient.newBuilder()
          .version(HttpClient.Version.HTTP_1_1)
          .connectTimeout(Duration.ofSeconds(10))
          .executor(Executors.newFixedThreadPool(4))
          .build();

  /** A recorded delivery of a no-op task: its headers and body, replayed by the figures. */
  private static Map<String, String> deliveryHeaders;

  private static String deliveryBody;

  @BeforeAll
  static void recordADelivery() {
    SampleApp.awaitStarted();
    JsonObject deferred = deferTasks(1, "throughput-1");
    JsonObject delivery = Deliveries.first(deferred.getString("first"));
    assertThat(delivery.getInt("status")).isBetween(200, 299);
    deliveryHeaders = new LinkedHashMap<>();
    for (Map.Entry<String, ?> h : delivery.getJsonObject("headers").entrySet()) {
      String name = h.getKey();
      // The HTTP client sets these itself and refuses to be told.
      if (!List.of("host", "content-length", "connection", "expect", "upgrade").contains(name)) {
        deliveryHeaders.put(name, ((JsonString) h.getValue()).getString());
      }
    }
    deliveryBody = delivery.getString("body");
  }

  /**
   * Figure 4: a recorded delivery of a no-op task replayed to the task handler (OIDC token checked
   * against the emulator's keys, signature verified, payload decoded, bean method called) against
   * the same headers and body sent to a no-op JAX-RS endpoint of the same application.
   */
  @Test
  void handlerAgainstANoOpEndpoint() {
    if (!FIGURES.contains("handler") && !FIGURES.contains("all")) {
      return;
    }
    List<Double> handlerRates = new ArrayList<>();
    List<Double> baselineRates = new ArrayList<>();
    List<Double> ratios = new ArrayList<>();
    // Warm-up: both paths, a quarter of the size.
    int warmUp = Math.max(TASKS / 4, CONCURRENCY);
    load(NOOP, warmUp, CONCURRENCY);
    load(HANDLER, warmUp, CONCURRENCY);
    for (int round = 1; round <= ROUNDS; round++) {
      double baseline = load(NOOP, TASKS, CONCURRENCY);
      double handler = load(HANDLER, TASKS, CONCURRENCY);
      baselineRates.add(baseline);
      handlerRates.add(handler);
      ratios.add(handler / baseline);
      report(
          "handler, %d in flight, round %d: handler %.1f requests/s; no-op endpoint %.1f"
              + " requests/s; ratio %.2f",
          CONCURRENCY, round, handler, baseline, handler / baseline);
    }
    summary(
        "handler, " + CONCURRENCY + " in flight",
        "handler",
        handlerRates,
        "no-op endpoint",
        baselineRates,
        ratios,
        "no aim");
  }

  /**
   * Figure 5: no-op tasks deferred in the application and run through the queue, from the first
   * defer to the last bean call, against as many direct HTTP calls to the no-op endpoint with as
   * many requests in flight as the queues dispatch at once.
   */
  @Test
  void endToEndAgainstDirectCalls() throws Exception {
    if (!FIGURES.contains("endtoend") && !FIGURES.contains("all")) {
      return;
    }
    for (int queues : QUEUES) {
      String queueIds = queueIds(queues);
      int inFlight = queues * CONCURRENCY;
      List<Double> taskRates = new ArrayList<>();
      List<Double> baselineRates = new ArrayList<>();
      List<Double> ratios = new ArrayList<>();
      int warmUp = Math.max(TASKS / 4, inFlight);
      load(NOOP, warmUp, inFlight);
      endToEnd(warmUp, queueIds, inFlight);
      for (int round = 1; round <= ROUNDS; round++) {
        double baseline = load(NOOP, TASKS, inFlight);
        double[] tasks = endToEnd(TASKS, queueIds, inFlight);
        baselineRates.add(baseline);
        taskRates.add(tasks[0]);
        ratios.add(tasks[0] / baseline);
        report(
            "end to end, %d queue(s) of %d dispatches in flight (ceiling %d/s), round %d:"
                + " tasks %.1f/s (defer alone %.1f/s); direct calls %.1f/s at %d in flight;"
                + " ratio %.2f",
            queues,
            CONCURRENCY,
            500 * queues,
            round,
            tasks[0],
            tasks[1],
            baseline,
            inFlight,
            tasks[0] / baseline);
      }
      summary(
          "end to end, " + queues + " queue(s), " + inFlight + " in flight",
          "tasks",
          taskRates,
          "direct calls",
          baselineRates,
          ratios,
          "aim at least 0.50 "
              + (Rounds.median(ratios) >= 0.5 ? "met" : "missed")
              + "; queue ceiling "
              + 500 * queues
              + "/s "
              + (Rounds.median(taskRates) >= 0.9 * 500 * queues ? "reached" : "not reached"));
    }
  }

  /**
   * Defers {@code count} tasks from {@code callers} concurrent requests (each deferring its share
   * one after the other) and waits for their bean calls.
   *
   * @return tasks per second from the first defer to the last call, and defers per second
   */
  private static double[] endToEnd(int count, String queueIds, int callers) throws Exception {
    reset();
    int requests = Math.min(callers, count);
    ExecutorService threads = Executors.newFixedThreadPool(requests);
    try {
      long start = System.nanoTime();
      List<Future<JsonObject>> deferred = new ArrayList<>();
      for (int i = 0; i < requests; i++) {
        int share = count / requests + (i < count % requests ? 1 : 0);
        deferred.add(threads.submit(() -> deferTasks(share, queueIds)));
      }
      for (Future<JsonObject> f : deferred) {
        f.get();
      }
      long deferredAt = System.nanoTime();
      Duration timeout = Duration.ofSeconds(Math.max(120, count / 10));
      long calls =
          Poll.until(
              count + " no-op tasks to run",
              ThroughputIT::calls,
              n -> n >= count,
              timeout,
              Duration.ofMillis(10));
      long end = System.nanoTime();
      assertThat(calls).as("every task runs once").isEqualTo(count);
      return new double[] {count / seconds(end - start), count / seconds(deferredAt - start)};
    } finally {
      threads.shutdownNow();
    }
  }

  /**
   * Sends {@code count} POSTs with the recorded delivery's headers and body to {@code path}, with
   * {@code inFlight} at once, checks that every one was answered 2xx and ran the no-op once.
   *
   * @return requests per second
   */
  private static double load(String path, int count, int inFlight) {
    reset();
    HttpRequest.Builder template =
        HttpRequest.newBuilder(SampleApp.uri(path))
            .timeout(Duration.ofSeconds(60))
            .POST(HttpRequest.BodyPublishers.ofString(deliveryBody));
    deliveryHeaders.forEach(template::header);
    HttpRequest request = template.build();
    AtomicInteger tickets = new AtomicInteger();
    ConcurrentLinkedQueue<String> failures = new ConcurrentLinkedQueue<>();
    CountDownLatch ready = new CountDownLatch(inFlight);
    CountDownLatch go = new CountDownLatch(1);
    List<Thread> threads = new ArrayList<>();
    for (int t = 0; t < inFlight; t++) {
      Thread thread =
          new Thread(
              () -> {
                ready.countDown();
                try {
                  go.await();
                  while (tickets.getAndIncrement() < count) {
                    HttpResponse<String> r =
                        HTTP.send(request, HttpResponse.BodyHandlers.ofString());
                    if (r.statusCode() / 100 != 2) {
                      failures.add(r.statusCode() + " " + r.body());
                    }
                  }
                } catch (IOException e) {
                  failures.add(e.toString());
                } catch (InterruptedException e) {
                  Thread.currentThread().interrupt();
                }
              },
              "throughput-load-" + t);
      threads.add(thread);
      thread.start();
    }
    try {
      ready.await();
      long start = System.nanoTime();
      go.countDown();
      for (Thread t : threads) {
        t.join();
      }
      long end = System.nanoTime();
      assertThat(failures).as("requests to %s not answered 2xx", path).isEmpty();
      assertThat(calls()).as("no-op calls made by %d requests to %s", count, path).isEqualTo(count);
      return count / seconds(end - start);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  /** Defers from the server; not through SampleApp, whose 30-second timeout a slow machine hits. */
  private static JsonObject deferTasks(int count, String queueIds) {
    HttpResponse<String> response;
    try {
      response =
          HTTP.send(
              HttpRequest.newBuilder(
                      SampleApp.uri("/api/throughput/defer?count=" + count + "&queues=" + queueIds))
                  .timeout(Duration.ofMinutes(10))
                  .POST(HttpRequest.BodyPublishers.noBody())
                  .build(),
              HttpResponse.BodyHandlers.ofString());
    } catch (IOException e) {
      throw new IllegalStateException("Deferring " + count + " tasks failed: " + e, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
    assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
    return Json.parse(response.body());
  }

  private static long calls() {
    return Json.parse(SampleApp.get("/api/throughput/calls").body())
        .getJsonNumber("calls")
        .longValue();
  }

  private static void reset() {
    HttpResponse<String> response = SampleApp.post("/api/throughput/reset", "text/plain", "");
    assertThat(response.statusCode()).isEqualTo(204);
  }

  private static String queueIds(int queues) {
    List<String> ids = new ArrayList<>();
    for (int i = 1; i <= queues; i++) {
      ids.add("throughput-" + i);
    }
    return String.join(",", ids);
  }

  private static double seconds(long nanos) {
    return nanos / 1e9;
  }

  private static void report(String format, Object... args) {
    System.out.println("[throughput] " + String.format(Locale.ROOT, format, args));
  }

  private static void summary(
      String figure,
      String measured,
      List<Double> measuredRates,
      String baseline,
      List<Double> baselineRates,
      List<Double> ratios,
      String verdict) {
    report(
        "%s: %s median %.1f/s (range %.1f to %.1f); %s median %.1f/s (range %.1f to %.1f);"
            + " ratio median %.2f (range %.2f to %.2f) over %d round(s); %s",
        figure,
        measured,
        Rounds.median(measuredRates),
        Rounds.min(measuredRates),
        Rounds.max(measuredRates),
        baseline,
        Rounds.median(baselineRates),
        Rounds.min(baselineRates),
        Rounds.max(baselineRates),
        Rounds.median(ratios),
        Rounds.min(ratios),
        Rounds.max(ratios),
        ratios.size(),
        verdict);
  }

  /** Median and range of the rounds. */
  private static final class Rounds {
    static double median(List<Double> values) {
      List<Double> sorted = values.stream().sorted().toList();
      int n = sorted.size();
      return n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
    }

    static double min(List<Double> values) {
      return values.stream().mapToDouble(Double::doubleValue).min().orElse(Double.NaN);
    }

    static double max(List<Double> values) {
      return values.stream().mapToDouble(Double::doubleValue).max().orElse(Double.NaN);
    }
  }
}
