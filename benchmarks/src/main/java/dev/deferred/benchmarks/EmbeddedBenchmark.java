package dev.deferred.benchmarks;

import com.arjuna.ats.jta.cdi.TransactionExtension;
import com.google.cloud.tasks.v2.CloudTasksClient;
import com.google.cloud.tasks.v2.QueueName;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.deferred.DeferOptions;
import dev.deferred.Deferrer;
import dev.deferred.impl.DeferredExtension;
import dev.deferred.impl.Library;
import dev.deferred.impl.client.CloudTasksConnection;
import dev.deferred.impl.config.DeferredConfig;
import dev.deferred.impl.handler.TaskHandler;
import io.smallrye.config.inject.ConfigExtension;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.spi.CDI;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.lang.management.ManagementFactory;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.IntConsumer;
import java.util.function.Supplier;
import java.util.logging.Level;
import java.util.logging.Logger;
import javax.sql.DataSource;
import org.h2.jdbcx.JdbcDataSource;
import org.jboss.weld.environment.se.Weld;
import org.jboss.weld.environment.se.WeldContainer;
import org.jobrunr.configuration.JobRunr;
import org.jobrunr.scheduling.JobScheduler;
import org.jobrunr.server.BackgroundJobServerConfiguration;
import org.jobrunr.storage.InMemoryStorageProvider;
import org.jobrunr.storage.StorageProvider;
import org.jobrunr.storage.sql.h2.H2StorageProvider;
import org.jobrunr.utils.mapper.jsonb.JsonbJsonMapper;

/**
 * Figures 7 and 8 of {@code docs/performance.md}, in one plain JVM.
 *
 * <p>{@code embedded}: no-op tasks per second in embedded mode (Weld SE with the library, the
 * embedded emulator over real gRPC, every task dispatched over HTTP to the library's task handler
 * on a JDK {@code HttpServer}, token and signature checked, the bean method called), from the first
 * defer to the last call; side by side, JobRunr 8 (open source) running as many no-op jobs from
 * enqueue to the last call with its in-memory storage and with H2 (in memory), in the same JVM and
 * the same minute.
 *
 * <p>{@code inflight}: the heap the library (and its embedded emulator, which holds the queue in
 * embedded mode) retains per 10,000 tasks waiting in a paused queue: heap in use after a full GC
 * with the tasks queued, minus the same after the queue was purged.
 *
 * <p>Sizes are system properties: {@code bench.embedded.tasks} (10,000), {@code
 * bench.embedded.rounds} (3), {@code bench.embedded.concurrency} (dispatches in flight and JobRunr
 * workers, 16), {@code bench.inflight.tasks} (10,000).
 */
public final class EmbeddedBenchmark {

  private static final int TASKS = Integer.getInteger("bench.embedded.tasks", 10_000);
  private static final int ROUNDS = Integer.getInteger("bench.embedded.rounds", 3);
  private static final int CONCURRENCY = Integer.getInteger("bench.embedded.concurrency", 16);
  private static final int IN_FLIGHT = Integer.getInteger("bench.inflight.tasks", 10_000);

  /** The no-op calls made so far, by either library. */
  static final AtomicLong CALLS = new AtomicLong();

  private EmbeddedBenchmark() {}

  /** The no-op task of the library. */
  @ApplicationScoped
  public static class NoOp {
    /** Counts the call. */
    public void run() {
      CALLS.incrementAndGet();
    }
  }

  /** The no-op job of JobRunr, the same work. */
  public static final class NoOpJob {
    private NoOpJob() {}

    /** Counts the call. */
    public static void run() {
      CALLS.incrementAndGet();
    }
  }

  /**
   * Runs the chosen figures.
   *
   * @param args {@code embedded}, {@code inflight} or both, comma-separated; both when absent
   * @throws Exception if a measurement cannot complete
   */
  public static void main(String[] args) throws Exception {
    List<String> which = List.of((args.length == 0 ? "embedded,inflight" : args[0]).split(","));
    Logger.getLogger("").setLevel(Level.WARNING);
    Logger.getLogger("org.jobrunr").setLevel(Level.SEVERE);
    Path dir = Files.createTempDirectory("embedded-bench");
    ExecutorService handlerThreads = Executors.newFixedThreadPool(CONCURRENCY);
    HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 64);
    server.createContext("/_ah/queue/deferred", EmbeddedBenchmark::deliver);
    server.setExecutor(handlerThreads);
    server.start();
    System.setProperty(
        "deferred.handler.url",
        "http://127.0.0.1:" + server.getAddress().getPort() + "/_ah/queue/deferred");
    System.setProperty("ObjectStoreEnvironmentBean.objectStoreDir", dir.resolve("tx").toString());
    System.setProperty(
        "com.arjuna.ats.arjuna.objectstore.objectStoreDir", dir.resolve("tx").toString());
    System.setProperty("deferred.queues.bench.rate-per-second", "500");
    System.setProperty("deferred.queues.bench.rate-max-concurrent", String.valueOf(CONCURRENCY));
    System.setProperty("deferred.queues.inflight.rate-per-second", "500");

    Weld weld =
        new Weld("embedded-benchmark")
            .disableDiscovery()
            .addExtension(new DeferredExtension())
            .addExtension(new ConfigExtension())
            .addExtension(new TransactionExtension())
            .beanClasses(NoOp.class);
    try (WeldContainer container = weld.initialize()) {
      Deferrer deferrer = container.select(Deferrer.class).get();
      if (which.contains("embedded")) {
        embedded(deferrer);
      }
      if (which.contains("inflight")) {
        inFlight(
            deferrer,
            container.select(CloudTasksConnection.class, Library.LITERAL).get(),
            container.select(DeferredConfig.class, Library.LITERAL).get());
      }
    } finally {
      server.stop(0);
      handlerThreads.shutdownNow();
    }
  }

  private static void embedded(Deferrer deferrer) throws Exception {
    DeferOptions queue = DeferOptions.queue("bench");
    IntConsumer deferred =
        count -> {
          for (int i = 0; i < count; i++) {
            deferrer.defer(NoOp.class, NoOp::run, queue);
          }
        };
    System.out.printf(
        Locale.ROOT,
        "%n## embedded: %d no-op tasks per measurement, %d dispatches in flight, %d JobRunr"
            + " workers, %d round(s); machine: %d cpus, java %s, load average %.1f%n",
        TASKS,
        CONCURRENCY,
        CONCURRENCY,
        ROUNDS,
        Runtime.getRuntime().availableProcessors(),
        System.getProperty("java.version"),
        ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
    JobRunrRun memory = new JobRunrRun(InMemoryStorageProvider::new);
    JobRunrRun h2 = new JobRunrRun(() -> new H2StorageProvider(h2()));
    // Warm-up of each, a quarter of the size.
    run(Math.max(TASKS / 4, 1), deferred);
    memory.run(Math.max(TASKS / 4, 1));
    h2.run(Math.max(TASKS / 4, 1));
    List<Double> ours = new ArrayList<>();
    List<Double> inMemory = new ArrayList<>();
    List<Double> onH2 = new ArrayList<>();
    for (int round = 1; round <= ROUNDS; round++) {
      double o = run(TASKS, deferred);
      double m = memory.run(TASKS);
      double h = h2.run(TASKS);
      ours.add(o);
      inMemory.add(m);
      onH2.add(h);
      System.out.printf(
          Locale.ROOT,
          "round %d: Deferred embedded %.1f tasks/s; JobRunr in-memory %.1f jobs/s (ours/theirs"
              + " %.2f); JobRunr H2 %.1f jobs/s (ours/theirs %.2f)%n",
          round,
          o,
          m,
          o / m,
          h,
          o / h);
    }
    report("Deferred embedded", ours, null);
    report("JobRunr in-memory", inMemory, ours);
    report("JobRunr H2", onH2, ours);
  }

  /** Submits {@code count} calls with {@code submit}, waits for all; calls per second. */
  private static double run(int count, IntConsumer submit) throws InterruptedException {
    CALLS.set(0);
    long start = System.nanoTime();
    submit.accept(count);
    long deadline = start + Duration.ofMinutes(10).toNanos();
    while (CALLS.get() < count) {
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException(
            "only " + CALLS.get() + " of " + count + " calls made in 10 minutes");
      }
      Thread.sleep(2);
    }
    double rate = count / ((System.nanoTime() - start) / 1e9);
    Thread.sleep(200);
    if (CALLS.get() != count) {
      throw new IllegalStateException(CALLS.get() + " calls made for " + count + " submitted");
    }
    return rate;
  }

  /**
   * JobRunr on a storage of one kind: each run configures JobRunr on a new, empty storage and
   * starts its background job server before the clock starts, and destroys both after.
   */
  private static final class JobRunrRun {
    private final Supplier<StorageProvider> storages;

    JobRunrRun(Supplier<StorageProvider> storages) {
      this.storages = storages;
    }

    double run(int count) throws InterruptedException {
      JobScheduler scheduler =
          JobRunr.configure()
              .useJsonMapper(new JsonbJsonMapper())
              .useStorageProvider(storages.get())
              .useBackgroundJobServer(
                  BackgroundJobServerConfiguration.usingStandardBackgroundJobServerConfiguration()
                      .andWorkerCount(CONCURRENCY)
                      .andPollIntervalInSeconds(5))
              .initialize()
              .getJobScheduler();
      try {
        return EmbeddedBenchmark.run(
            count,
            n -> {
              for (int i = 0; i < n; i++) {
                scheduler.enqueue(() -> NoOpJob.run());
              }
            });
      } finally {
        JobRunr.destroy();
      }
    }
  }

  private static final AtomicLong DATABASES = new AtomicLong();

  /** A new, empty H2 database in memory. */
  private static DataSource h2() {
    JdbcDataSource h2 = new JdbcDataSource();
    h2.setURL("jdbc:h2:mem:jobrunr-" + DATABASES.incrementAndGet() + ";DB_CLOSE_DELAY=-1");
    h2.setUser("sa");
    return h2;
  }

  private static void inFlight(
      Deferrer deferrer, CloudTasksConnection connection, DeferredConfig config) {
    CloudTasksClient client = connection.client();
    QueueName queue = QueueName.of(config.project(), config.location(), "inflight");
    client.pauseQueue(queue);
    DeferOptions options = DeferOptions.queue("inflight");
    // Warm-up: the same tasks once, so that classes and caches are loaded before the baseline.
    for (int i = 0; i < IN_FLIGHT; i++) {
      deferrer.defer(NoOp.class, NoOp::run, options);
    }
    client.purgeQueue(queue);
    long before = usedAfterGc();
    for (int i = 0; i < IN_FLIGHT; i++) {
      deferrer.defer(NoOp.class, NoOp::run, options);
    }
    long queued = usedAfterGc();
    client.purgeQueue(queue);
    long after = usedAfterGc();
    double perTenThousand = (queued - before) * 10_000.0 / IN_FLIGHT / (1024 * 1024);
    System.out.printf(
        Locale.ROOT,
        "%n## inflight: heap after GC %.1f MB before, %.1f MB with %d tasks in a paused queue,"
            + " %.1f MB after purging them; retained per 10,000 tasks in flight: %.1f MB (%d bytes"
            + " per task)%n",
        before / (1024.0 * 1024),
        queued / (1024.0 * 1024),
        IN_FLIGHT,
        after / (1024.0 * 1024),
        perTenThousand,
        (queued - before) / IN_FLIGHT);
  }

  private static long usedAfterGc() {
    for (int i = 0; i < 3; i++) {
      System.gc();
    }
    return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
  }

  private static void report(String what, List<Double> rates, List<Double> ours) {
    StringBuilder line =
        new StringBuilder(
            String.format(
                Locale.ROOT,
                "embedded: %s median %.1f/s (range %.1f to %.1f)",
                what,
                JmhFigure.median(rates),
                rates.stream().mapToDouble(Double::doubleValue).min().orElse(Double.NaN),
                rates.stream().mapToDouble(Double::doubleValue).max().orElse(Double.NaN)));
    if (ours != null) {
      List<Double> ratios = new ArrayList<>();
      for (int i = 0; i < rates.size(); i++) {
        ratios.add(ours.get(i) / rates.get(i));
      }
      line.append(
          String.format(
              Locale.ROOT,
              "; Deferred embedded / %s median %.2f (range %.2f to %.2f)",
              what,
              JmhFigure.median(ratios),
              ratios.stream().mapToDouble(Double::doubleValue).min().orElse(Double.NaN),
              ratios.stream().mapToDouble(Double::doubleValue).max().orElse(Double.NaN)));
    }
    System.out.println(line);
  }

  /** Hands a delivery to the library's task handler, as its JAX-RS resource does. */
  private static void deliver(HttpExchange exchange) throws IOException {
    byte[] body;
    try (InputStream in = exchange.getRequestBody()) {
      body = in.readAllBytes();
    }
    Map<String, String> headers = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
    exchange.getRequestHeaders().forEach((k, v) -> headers.put(k, v.get(0)));
    TaskHandler.Response response;
    try {
      response =
          CDI.current().select(TaskHandler.class, Library.LITERAL).get().handle(headers::get, body);
    } catch (RuntimeException e) {
      response = new TaskHandler.Response(500, String.valueOf(e));
    }
    byte[] out = response.body().getBytes(StandardCharsets.UTF_8);
    exchange.sendResponseHeaders(response.status(), out.length == 0 ? -1 : out.length);
    try (OutputStream os = exchange.getResponseBody()) {
      os.write(out);
    }
  }
}
