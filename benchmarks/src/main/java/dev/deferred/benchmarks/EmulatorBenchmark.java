package dev.deferred.benchmarks;

import com.google.api.core.ApiFuture;
import com.google.api.core.ApiFutureCallback;
import com.google.api.core.ApiFutures;
import com.google.api.gax.core.NoCredentialsProvider;
import com.google.api.gax.grpc.InstantiatingGrpcChannelProvider;
import com.google.cloud.tasks.v2.CloudTasksClient;
import com.google.cloud.tasks.v2.CloudTasksSettings;
import com.google.cloud.tasks.v2.CreateTaskRequest;
import com.google.cloud.tasks.v2.HttpMethod;
import com.google.cloud.tasks.v2.HttpRequest;
import com.google.cloud.tasks.v2.ListTasksRequest;
import com.google.cloud.tasks.v2.ListTasksResponse;
import com.google.cloud.tasks.v2.Queue;
import com.google.cloud.tasks.v2.RateLimits;
import com.google.cloud.tasks.v2.Task;
import com.google.common.util.concurrent.MoreExecutors;
import com.google.protobuf.ByteString;
import com.sun.net.httpserver.HttpServer;
import dev.deferred.emulator.CloudTasksEmulator;
import io.grpc.ManagedChannelBuilder;
import java.io.IOException;
import java.io.InputStream;
import java.lang.management.ManagementFactory;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The emulator's performance figures for {@code docs/performance.md}: dispatch throughput against a
 * plain HTTP client, the heap held by 100,000 queued 1 KB tasks, and ListTasks paging over them.
 *
 * <p>Run with {@code ./mvnw -B -pl benchmarks -am package -Pbench -DskipTests} (argument {@code
 * -Dbench=dispatch} or {@code -Dbench=memory} for one part). Sizes can be changed with system
 * properties of the benchmark JVM; the defaults are the documented runs.
 */
public final class EmulatorBenchmark {

  private static final int DISPATCH_TASKS = Integer.getInteger("bench.dispatch.tasks", 20_000);
  private static final int DISPATCH_QUEUES = Integer.getInteger("bench.dispatch.queues", 32);
  private static final int CONCURRENCY = Integer.getInteger("bench.dispatch.concurrency", 64);
  private static final int ROUNDS = Integer.getInteger("bench.dispatch.rounds", 3);
  private static final int MEMORY_TASKS = Integer.getInteger("bench.memory.tasks", 100_000);
  private static final int PAYLOAD_BYTES = Integer.getInteger("bench.memory.payload", 1024);
  private static final int PAGE_SIZE = Integer.getInteger("bench.page.size", 1000);
  private static final Duration WAIT = Duration.ofMinutes(5);

  private EmulatorBenchmark() {}

  /**
   * Runs the benchmarks and prints the figures.
   *
   * @param args {@code all} (default), {@code dispatch} or {@code memory}
   * @throws Exception if a measurement cannot complete
   */
  public static void main(String[] args) throws Exception {
    String which = args.length == 0 ? "all" : args[0];
    machine();
    try (Endpoint endpoint = new Endpoint()) {
      if (which.equals("all") || which.equals("dispatch")) {
        dispatch(endpoint);
      }
    }
    if (which.equals("all") || which.equals("memory")) {
      memory();
    }
  }

  private static void machine() {
    Runtime rt = Runtime.getRuntime();
    System.out.printf(
        Locale.ROOT,
        "machine: %d cores, max heap %d MB, %s %s, %s %s%n",
        rt.availableProcessors(),
        rt.maxMemory() / (1024 * 1024),
        System.getProperty("java.vm.name"),
        System.getProperty("java.version"),
        System.getProperty("os.name"),
        System.getProperty("os.arch"));
  }

  // ---------------------------------------------------------------- dispatch throughput

  private static void dispatch(Endpoint endpoint) throws Exception {
    int perQueue = Math.max(1, CONCURRENCY / DISPATCH_QUEUES);
    int emulatorConcurrency = perQueue * DISPATCH_QUEUES;
    System.out.printf(
        Locale.ROOT,
        "%n## dispatch: %d tasks over %d queues at 500/s each (cap %d/s), concurrency %d%n",
        DISPATCH_TASKS,
        DISPATCH_QUEUES,
        500 * DISPATCH_QUEUES,
        emulatorConcurrency);
    // Same client settings and executor size as the emulator's dispatcher.
    ExecutorService plainExecutor =
        Executors.newFixedThreadPool(Math.max(4, 2 * Runtime.getRuntime().availableProcessors()));
    HttpClient plain =
        HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .followRedirects(HttpClient.Redirect.NEVER)
            .executor(plainExecutor)
            .build();
    try (CloudTasksEmulator emu = CloudTasksEmulator.builder().start();
        CloudTasksClient client = grpcClient(emu)) {
      List<String> queues = new ArrayList<>();
      for (int i = 0; i < DISPATCH_QUEUES; i++) {
        Queue q =
            client.createQueue(
                "projects/" + emu.project() + "/locations/" + emu.location(),
                Queue.newBuilder()
                    .setName(
                        "projects/"
                            + emu.project()
                            + "/locations/"
                            + emu.location()
                            + "/queues/bench-"
                            + i)
                    .setRateLimits(
                        RateLimits.newBuilder()
                            .setMaxDispatchesPerSecond(500)
                            .setMaxConcurrentDispatches(perQueue))
                    .build());
        queues.add(q.getName());
      }
      // Warm-up at full size (a quarter-size one left the first measured round visibly slower):
      // JIT, heap sizing, connection pools and thread pools on both sides.
      emulatorRound(client, emu, endpoint, queues, DISPATCH_TASKS);
      plainRound(plain, endpoint, DISPATCH_TASKS, emulatorConcurrency);
      List<Double> ratios = new ArrayList<>();
      for (int round = 1; round <= ROUNDS; round++) {
        double viaEmulator = emulatorRound(client, emu, endpoint, queues, DISPATCH_TASKS);
        double direct = plainRound(plain, endpoint, DISPATCH_TASKS, emulatorConcurrency);
        ratios.add(viaEmulator / direct);
        System.out.printf(
            Locale.ROOT,
            "round %d: emulator %.0f deliveries/s, plain HttpClient %.0f requests/s, ratio %.2f%n",
            round,
            viaEmulator,
            direct,
            viaEmulator / direct);
      }
      Collections.sort(ratios);
      System.out.printf(Locale.ROOT, "median ratio: %.2f%n", ratios.get(ratios.size() / 2));
    } finally {
      plainExecutor.shutdownNow();
    }
  }

  /** Queues N tasks into paused queues, resumes them all and times the deliveries. */
  private static double emulatorRound(
      CloudTasksClient client,
      CloudTasksEmulator emu,
      Endpoint endpoint,
      List<String> queues,
      int tasks)
      throws Exception {
    for (String q : queues) {
      client.pauseQueue(q);
    }
    String url = endpoint.url();
    createAll(
        client,
        tasks,
        i ->
            CreateTaskRequest.newBuilder()
                .setParent(queues.get(i % queues.size()))
                .setTask(
                    Task.newBuilder()
                        .setHttpRequest(
                            HttpRequest.newBuilder()
                                .setUrl(url)
                                .setHttpMethod(HttpMethod.POST)
                                .setBody(ByteString.copyFromUtf8("{\"n\":" + i + "}"))))
                .build());
    CountDownLatch done = endpoint.expect(tasks);
    long start = System.nanoTime();
    for (String q : queues) {
      client.resumeQueue(q);
    }
    await(done, "emulator deliveries");
    long elapsed = System.nanoTime() - start;
    if (!emu.awaitIdle(WAIT)) {
      throw new IllegalStateException("the emulator did not become idle after the round");
    }
    return tasks / (elapsed / 1e9);
  }

  /** The same number of requests to the same endpoint, straight from java.net.http. */
  private static double plainRound(
      HttpClient http, Endpoint endpoint, int requests, int concurrency) throws Exception {
    CountDownLatch done = endpoint.expect(requests);
    Semaphore inFlight = new Semaphore(concurrency);
    AtomicReference<Throwable> failure = new AtomicReference<>();
    URI uri = URI.create(endpoint.url());
    long start = System.nanoTime();
    for (int i = 0; i < requests; i++) {
      inFlight.acquire();
      http.sendAsync(
              java.net.http.HttpRequest.newBuilder(uri)
                  .POST(java.net.http.HttpRequest.BodyPublishers.ofString("{\"n\":" + i + "}"))
                  .build(),
              HttpResponse.BodyHandlers.discarding())
          .whenComplete(
              (response, error) -> {
                if (error != null) {
                  failure.compareAndSet(null, error);
                }
                inFlight.release();
              });
    }
    inFlight.acquire(concurrency);
    inFlight.release(concurrency);
    if (failure.get() != null) {
      throw new IllegalStateException("plain client request failed", failure.get());
    }
    await(done, "plain client requests");
    long elapsed = System.nanoTime() - start;
    return requests / (elapsed / 1e9);
  }

  // ---------------------------------------------------------------- memory and paging

  private static void memory() throws Exception {
    System.out.printf(
        Locale.ROOT,
        "%n## memory: %d tasks with %d-byte bodies in one paused queue%n",
        MEMORY_TASKS,
        PAYLOAD_BYTES);
    try (CloudTasksEmulator emu = CloudTasksEmulator.builder().start();
        CloudTasksClient client = grpcClient(emu)) {
      String parent = "projects/" + emu.project() + "/locations/" + emu.location();
      String queue =
          client
              .createQueue(parent, Queue.newBuilder().setName(parent + "/queues/memory").build())
              .getName();
      client.pauseQueue(queue);
      long before = usedAfterGc();
      Random random = new Random(42);
      long start = System.nanoTime();
      createAll(
          client,
          MEMORY_TASKS,
          i -> {
            byte[] body = new byte[PAYLOAD_BYTES];
            random.nextBytes(body);
            return CreateTaskRequest.newBuilder()
                .setParent(queue)
                .setTask(
                    Task.newBuilder()
                        .setHttpRequest(
                            HttpRequest.newBuilder()
                                .setUrl("http://127.0.0.1:9/never-dispatched")
                                .setHttpMethod(HttpMethod.POST)
                                .setBody(ByteString.copyFrom(body))))
                .build();
          });
      double createSeconds = (System.nanoTime() - start) / 1e9;
      long after = usedAfterGc();
      double retainedMb = (after - before) / (1024.0 * 1024.0);
      System.out.printf(
          Locale.ROOT,
          "created %d tasks over gRPC in %.1f s (%.0f tasks/s)%n",
          MEMORY_TASKS,
          createSeconds,
          MEMORY_TASKS / createSeconds);
      System.out.printf(
          Locale.ROOT,
          "retained heap after GC: %.1f MB for the tasks (%.0f bytes per task, payload %d);"
              + " heap in use %.1f MB of %d MB max%n",
          retainedMb,
          (after - before) / (double) MEMORY_TASKS,
          PAYLOAD_BYTES,
          after / (1024.0 * 1024.0),
          Runtime.getRuntime().maxMemory() / (1024 * 1024));

      page(client, queue, Task.View.BASIC, after);
      page(client, queue, Task.View.FULL, after);
    }
  }

  private static void page(CloudTasksClient client, String queue, Task.View view, long baseline)
      throws Exception {
    List<Double> pageMillis = new ArrayList<>();
    long maxUsedAfterGc = 0;
    long count = 0;
    String token = "";
    int pageIndex = 0;
    do {
      long t0 = System.nanoTime();
      ListTasksResponse page =
          client
              .listTasksCallable()
              .call(
                  ListTasksRequest.newBuilder()
                      .setParent(queue)
                      .setPageSize(PAGE_SIZE)
                      .setPageToken(token)
                      .setResponseView(view)
                      .build());
      pageMillis.add((System.nanoTime() - t0) / 1e6);
      count += page.getTasksCount();
      token = page.getNextPageToken();
      if (++pageIndex % 10 == 0) {
        maxUsedAfterGc = Math.max(maxUsedAfterGc, usedAfterGc());
      }
    } while (!token.isEmpty());
    if (count != MEMORY_TASKS) {
      throw new IllegalStateException("paging saw " + count + " tasks, expected " + MEMORY_TASKS);
    }
    List<Double> sorted = new ArrayList<>(pageMillis);
    Collections.sort(sorted);
    int tenth = Math.max(1, pageMillis.size() / 10);
    System.out.printf(
        Locale.ROOT,
        "ListTasks %s, %d pages of %d: median %.1f ms/page, p90 %.1f ms, max %.1f ms;"
            + " first %d pages avg %.1f ms, last %d pages avg %.1f ms;"
            + " heap after GC while paging at most %.1f MB (%+.1f MB vs before paging)%n",
        view,
        pageMillis.size(),
        PAGE_SIZE,
        sorted.get(sorted.size() / 2),
        sorted.get((int) (sorted.size() * 0.9)),
        sorted.get(sorted.size() - 1),
        tenth,
        average(pageMillis.subList(0, tenth)),
        tenth,
        average(pageMillis.subList(pageMillis.size() - tenth, pageMillis.size())),
        maxUsedAfterGc / (1024.0 * 1024.0),
        (maxUsedAfterGc - baseline) / (1024.0 * 1024.0));
  }

  // ---------------------------------------------------------------- helpers

  private interface RequestFactory {
    CreateTaskRequest request(int i);
  }

  /** CreateTask for 0..n-1, at most 64 in flight, failing on the first error. */
  private static void createAll(CloudTasksClient client, int n, RequestFactory factory)
      throws Exception {
    Semaphore inFlight = new Semaphore(64);
    AtomicReference<Throwable> failure = new AtomicReference<>();
    for (int i = 0; i < n && failure.get() == null; i++) {
      inFlight.acquire();
      ApiFuture<Task> future = client.createTaskCallable().futureCall(factory.request(i));
      ApiFutures.addCallback(
          future,
          new ApiFutureCallback<>() {
            @Override
            public void onFailure(Throwable t) {
              failure.compareAndSet(null, t);
              inFlight.release();
            }

            @Override
            public void onSuccess(Task task) {
              inFlight.release();
            }
          },
          MoreExecutors.directExecutor());
    }
    inFlight.acquire(64);
    inFlight.release(64);
    if (failure.get() != null) {
      throw new IllegalStateException("CreateTask failed", failure.get());
    }
  }

  private static long usedAfterGc() {
    for (int i = 0; i < 3; i++) {
      System.gc();
    }
    return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
  }

  private static double average(List<Double> values) {
    return values.stream().mapToDouble(Double::doubleValue).average().orElse(0);
  }

  private static void await(CountDownLatch latch, String what) throws InterruptedException {
    if (!latch.await(WAIT.toMillis(), TimeUnit.MILLISECONDS)) {
      throw new IllegalStateException(
          what + " incomplete after " + WAIT + ": " + latch.getCount() + " missing");
    }
  }

  private static CloudTasksClient grpcClient(CloudTasksEmulator emu) throws IOException {
    return CloudTasksClient.create(
        CloudTasksSettings.newBuilder()
            .setCredentialsProvider(NoCredentialsProvider.create())
            .setTransportChannelProvider(
                InstantiatingGrpcChannelProvider.newBuilder()
                    .setEndpoint(emu.grpcTarget())
                    .setChannelConfigurator(ManagedChannelBuilder::usePlaintext)
                    .build())
            .build());
  }

  /** A trivial loopback endpoint: reads the body, answers 200, counts. */
  private static final class Endpoint implements AutoCloseable {
    private final HttpServer server;
    private final ExecutorService executor;
    private final AtomicInteger remaining = new AtomicInteger();
    private volatile CountDownLatch latch = new CountDownLatch(0);

    Endpoint() throws IOException {
      server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 1024);
      executor = Executors.newFixedThreadPool(16);
      server.setExecutor(executor);
      server.createContext(
          "/",
          exchange -> {
            try (InputStream in = exchange.getRequestBody()) {
              in.readAllBytes();
            }
            exchange.sendResponseHeaders(200, -1);
            exchange.close();
            if (remaining.decrementAndGet() >= 0) {
              latch.countDown();
            }
          });
      server.start();
    }

    String url() {
      return "http://127.0.0.1:" + server.getAddress().getPort() + "/task";
    }

    CountDownLatch expect(int n) {
      remaining.set(n);
      latch = new CountDownLatch(n);
      return latch;
    }

    @Override
    public void close() {
      server.stop(0);
      executor.shutdownNow();
    }
  }
}
