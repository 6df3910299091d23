package dev.deferred.benchmarks;

import com.arjuna.ats.jta.cdi.TransactionExtension;
import com.sun.net.httpserver.HttpServer;
import dev.deferred.IterationOptions;
import dev.deferred.IterationQuery;
import dev.deferred.IterationService;
import dev.deferred.benchmarks.iteration.BenchPersistence;
import dev.deferred.benchmarks.iteration.BenchRow;
import dev.deferred.benchmarks.iteration.Counter;
import dev.deferred.impl.DeferredExtension;
import dev.deferred.impl.Library;
import dev.deferred.impl.handler.TaskHandler;
import io.smallrye.config.inject.ConfigExtension;
import jakarta.enterprise.inject.spi.CDI;
import jakarta.persistence.EntityManager;
import jakarta.transaction.TransactionManager;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.lang.management.ManagementFactory;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.jboss.weld.environment.se.Weld;
import org.jboss.weld.environment.se.WeldContainer;

/**
 * The iteration engine's figures for {@code docs/performance.md}: rows per second of an iteration
 * with a trivial callback, against a plain JDBC keyset scan of the same H2 table in the same run,
 * with 1 and 2 shards; the same work done by a loop in this JVM (JPA batches, and JPA batches with
 * a transaction per row), which is what the design costs without the library; and the heap retained
 * while iterating {@code bench.iteration.small-rows} and {@code bench.iteration.rows} rows.
 *
 * <p>Everything is real: Weld with the library's extension, Narayana JTA, EclipseLink on an H2 file
 * database (so the table is not on the heap), the embedded Cloud Tasks emulator delivering every
 * task over HTTP to the task handler. Run with {@code ./mvnw -B -pl benchmarks -am package
 * -Pbench-iteration -DskipTests}.
 */
public final class IterationBenchmark {

  private static final long ROWS = Long.getLong("bench.iteration.rows", 1_000_000);
  private static final long SMALL_ROWS = Long.getLong("bench.iteration.small-rows", 100_000);
  private static final int BATCH = Integer.getInteger("bench.iteration.batch", 500);
  private static final int ROUNDS = Integer.getInteger("bench.iteration.rounds", 2);

  private IterationBenchmark() {}

  public static void main(String[] args) throws Exception {
    Logger.getLogger("").setLevel(Level.WARNING);
    Path dir = Files.createTempDirectory("iteration-bench");
    String url = "jdbc:h2:file:" + dir.resolve("db").toAbsolutePath() + ";CACHE_SIZE=16384";
    System.out.printf(
        Locale.ROOT,
        "machine: %d cpus, java %s, max heap %d MB%n",
        Runtime.getRuntime().availableProcessors(),
        System.getProperty("java.version"),
        Runtime.getRuntime().maxMemory() / (1024 * 1024));
    populate(url, ROWS);

    ExecutorService handlerThreads = Executors.newFixedThreadPool(8);
    HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.createContext("/_ah/queue/deferred", IterationBenchmark::deliver);
    server.setExecutor(handlerThreads);
    server.start();
    System.setProperty(
        "deferred.handler.url",
        "http://127.0.0.1:" + server.getAddress().getPort() + "/_ah/queue/deferred");
    System.setProperty("ObjectStoreEnvironmentBean.objectStoreDir", dir.resolve("tx").toString());
    System.setProperty(
        "com.arjuna.ats.arjuna.objectstore.objectStoreDir", dir.resolve("tx").toString());
    BenchPersistence.url = url;

    Weld weld =
        new Weld()
            .disableDiscovery()
            .addExtension(new DeferredExtension())
            .addExtension(new ConfigExtension())
            .addExtension(new TransactionExtension())
            .beanClasses(BenchPersistence.class, Counter.class);
    try (WeldContainer container = weld.initialize()) {
      IterationService iterations = container.select(IterationService.class).get();
      Loop loop =
          new Loop(
              container.select(TransactionManager.class).get(),
              container.select(EntityManager.class).get(),
              container.select(Counter.class).get());
      // Warm-up: JIT, the emulator, the first connections.
      long warm = Math.min(ROWS, 20_000);
      iterate(iterations, warm, 2);
      iterate(iterations, warm, 1);
      loop.run(warm, false);
      loop.run(warm, true);
      scan(url, warm);

      Map<String, List<Double>> ratios = new LinkedHashMap<>();
      for (int round = 1; round <= ROUNDS; round++) {
        double load = load();
        double jdbc = scan(url, ROWS);
        double jpa = loop.run(ROWS, false);
        double perRow = loop.run(ROWS, true);
        double one = iterate(iterations, ROWS, 1);
        double two = iterate(iterations, ROWS, 2);
        System.out.printf(
            Locale.ROOT,
            "round %d: %d rows, load average %.1f to %.1f%n"
                + "  plain JDBC keyset scan: %.0f rows/s%n"
                + "  JPA keyset loop, batches only: %.0f rows/s (ratio %.3f)%n"
                + "  JPA keyset loop, a transaction per row: %.0f rows/s (ratio %.3f)%n"
                + "  iteration, 1 shard: %.0f rows/s (ratio %.3f; %.2f of the loop with a"
                + " transaction per row)%n"
                + "  iteration, 2 shards: %.0f rows/s (ratio %.3f; speed-up over 1 shard %.2f)%n",
            round,
            ROWS,
            load,
            load(),
            jdbc,
            jpa,
            jpa / jdbc,
            perRow,
            perRow / jdbc,
            one,
            one / jdbc,
            one / perRow,
            two,
            two / jdbc,
            two / one);
        add(ratios, "JPA loop, batches only / JDBC scan", jpa / jdbc);
        add(ratios, "JPA loop, a transaction per row / JDBC scan", perRow / jdbc);
        add(ratios, "iteration, 1 shard / JDBC scan", one / jdbc);
        add(ratios, "iteration, 1 shard / loop with a transaction per row", one / perRow);
        add(ratios, "iteration, 2 shards / JDBC scan", two / jdbc);
        add(ratios, "iteration, 2 shards / 1 shard", two / one);
      }
      ratios.forEach(
          (name, values) -> {
            List<Double> sorted = values.stream().sorted().toList();
            System.out.printf(
                Locale.ROOT,
                "median of %d rounds: %s %.3f (%.3f to %.3f)%n",
                sorted.size(),
                name,
                median(sorted),
                sorted.get(0),
                sorted.get(sorted.size() - 1));
          });
      for (long rows : new long[] {SMALL_ROWS, ROWS}) {
        HeapSampler sampler = new HeapSampler();
        sampler.start();
        iterate(iterations, rows, 1);
        long peak = sampler.stop();
        System.out.printf(
            Locale.ROOT,
            "retained heap while iterating %d rows: peak %.1f MB after GC%n",
            rows,
            peak / (1024.0 * 1024.0));
      }
    } finally {
      server.stop(0);
      handlerThreads.shutdownNow();
    }
    System.exit(0);
  }

  /** Fills the table with plain JDBC batches. */
  private static void populate(String url, long rows) throws Exception {
    long start = System.nanoTime();
    try (Connection c = DriverManager.getConnection(url, "sa", "")) {
      try (Statement s = c.createStatement()) {
        s.execute("DROP TABLE IF EXISTS BENCH_ROW");
        s.execute("CREATE TABLE BENCH_ROW (ID BIGINT PRIMARY KEY, PAYLOAD VARCHAR(64))");
      }
      c.setAutoCommit(false);
      try (PreparedStatement p = c.prepareStatement("INSERT INTO BENCH_ROW VALUES (?, ?)")) {
        for (long id = 1; id <= rows; id++) {
          p.setLong(1, id);
          p.setString(2, "row " + id);
          p.addBatch();
          if (id % 10_000 == 0) {
            p.executeBatch();
            c.commit();
          }
        }
        p.executeBatch();
        c.commit();
      }
    }
    System.out.printf(
        Locale.ROOT, "populated %d rows in %.1f s%n", rows, (System.nanoTime() - start) / 1e9);
  }

  private static void add(Map<String, List<Double>> ratios, String name, double ratio) {
    ratios.computeIfAbsent(name, k -> new ArrayList<>()).add(ratio);
  }

  private static double median(List<Double> sorted) {
    int n = sorted.size();
    return n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
  }

  /** The machine's load average over the last minute. */
  private static double load() {
    return ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
  }

  /**
   * The iteration's work without the library, done by a loop in this JVM: the same keyset batches
   * read with the same {@code EntityManager} bean in a transaction each, the context cleared after
   * each batch, and the same callback bean called for each row; with {@code perRow}, each call in a
   * JTA transaction of its own, begun and committed on the same transaction manager, as the
   * iteration does for a callback that is not {@code @Transactional}. It measures what the design
   * costs (JPA instead of JDBC, a transaction per row), so that the iteration's ratio to the JDBC
   * scan can be split into the design's part and the library's.
   */
  private static final class Loop {
    private final TransactionManager tm;
    private final EntityManager em;
    private final Counter counter;

    Loop(TransactionManager tm, EntityManager em, Counter counter) {
      this.tm = tm;
      this.em = em;
      this.counter = counter;
    }

    double run(long rows, boolean perRow) throws Exception {
      Counter.ROWS.set(0);
      long start = System.nanoTime();
      long after = 0;
      while (true) {
        tm.begin();
        List<BenchRow> batch;
        try {
          batch =
              em.createQuery(
                      "SELECT e FROM BenchRow e WHERE e.id <= :last AND e.id > :after ORDER BY e.id",
                      BenchRow.class)
                  .setParameter("last", rows)
                  .setParameter("after", after)
                  .setMaxResults(BATCH)
                  .getResultList();
          em.clear();
        } finally {
          tm.commit();
        }
        for (BenchRow row : batch) {
          if (perRow) {
            tm.begin();
            try {
              counter.count(row);
            } finally {
              tm.commit();
            }
          } else {
            counter.count(row);
          }
          after = row.getId();
        }
        if (batch.size() < BATCH) {
          break;
        }
      }
      double rate = rows / ((System.nanoTime() - start) / 1e9);
      if (Counter.ROWS.get() != rows) {
        throw new IllegalStateException("the loop saw " + Counter.ROWS.get() + " rows of " + rows);
      }
      return rate;
    }
  }

  /** The baseline: keyset pagination in batches of the same size, reading both columns. */
  private static double scan(String url, long limit) throws Exception {
    long start = System.nanoTime();
    long rows = 0;
    long sink = 0;
    try (Connection c = DriverManager.getConnection(url, "sa", "");
        PreparedStatement p =
            c.prepareStatement(
                "SELECT ID, PAYLOAD FROM BENCH_ROW WHERE ID > ? AND ID <= ? ORDER BY ID LIMIT ?")) {
      long after = 0;
      while (true) {
        p.setLong(1, after);
        p.setLong(2, limit);
        p.setInt(3, BATCH);
        int n = 0;
        try (ResultSet r = p.executeQuery()) {
          while (r.next()) {
            after = r.getLong(1);
            sink += r.getString(2).length();
            n++;
          }
        }
        rows += n;
        if (n < BATCH) {
          break;
        }
      }
    }
    if (rows != limit || sink == 0) {
      throw new IllegalStateException("scanned " + rows + " rows, expected " + limit);
    }
    return rows / ((System.nanoTime() - start) / 1e9);
  }

  /** Iterates the first {@code rows} rows; returns rows per second from start to finalize. */
  private static double iterate(IterationService iterations, long rows, int shards)
      throws Exception {
    Counter.ROWS.set(0);
    Counter.done = new CountDownLatch(1);
    long start = System.nanoTime();
    iterations.iterate(
        IterationQuery.of(BenchRow.class).where("e.id <= :last").parameter("last", rows),
        Counter.class,
        (counter, row) -> counter.count(row),
        Counter::finished,
        IterationOptions.shards(shards).batchSize(BATCH).transactional(false));
    if (!Counter.done.await(30, TimeUnit.MINUTES)) {
      throw new IllegalStateException("the iteration did not finish in 30 minutes");
    }
    double rate = rows / ((System.nanoTime() - start) / 1e9);
    if (Counter.ROWS.get() != rows) {
      throw new IllegalStateException("callback saw " + Counter.ROWS.get() + " rows of " + rows);
    }
    return rate;
  }

  /** Hands a delivery to the library's task handler, as its JAX-RS resource does. */
  private static void deliver(com.sun.net.httpserver.HttpExchange exchange) throws IOException {
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
    exchange.sendResponseHeaders(response.status(), out.length);
    try (OutputStream os = exchange.getResponseBody()) {
      os.write(out);
    }
  }

  /** Every 500 ms: a full GC, then the heap in use; keeps the largest. */
  private static final class HeapSampler {
    private final AtomicLong peak = new AtomicLong();
    private final List<Long> samples = new ArrayList<>();
    private volatile boolean running = true;
    private Thread thread;

    void start() {
      thread =
          new Thread(
              () -> {
                while (running) {
                  sample();
                  try {
                    Thread.sleep(500);
                  } catch (InterruptedException e) {
                    return;
                  }
                }
              },
              "heap-sampler");
      thread.setDaemon(true);
      thread.start();
    }

    private void sample() {
      System.gc();
      long used = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
      synchronized (samples) {
        samples.add(used);
      }
      peak.accumulateAndGet(used, Math::max);
    }

    long stop() throws InterruptedException {
      running = false;
      thread.interrupt();
      thread.join();
      sample();
      return peak.get();
    }
  }
}
