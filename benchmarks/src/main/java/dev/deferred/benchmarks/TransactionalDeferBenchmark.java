package dev.deferred.benchmarks;

import dev.deferred.DeferredTask;
import dev.deferred.Deferrer;
import jakarta.transaction.TransactionManager;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * Figure 3, the transactional defer: {@code Deferrer.defer} inside a Narayana JTA transaction that
 * commits (the task is enqueued after the commit; the benchmark waits for that enqueue to complete)
 * against the same defer outside a transaction, and the empty transaction alone (begin and commit,
 * nothing deferred) to show what JTA costs by itself.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class TransactionalDeferBenchmark {

  private LibraryContainer library;
  private Deferrer deferrer;
  private TransactionManager transactions;

  /** Boots the library with Narayana. */
  @Setup(Level.Trial)
  public void setUp() {
    library = new LibraryContainer(CallSiteBenchmark.Reports.class);
    deferrer = library.get(Deferrer.class);
    transactions = library.get(TransactionManager.class);
  }

  /** Empties the paused queue after each iteration. */
  @TearDown(Level.Iteration)
  public void purge() {
    library.purge();
  }

  /** Stops the library. */
  @TearDown(Level.Trial)
  public void tearDown() {
    library.close();
  }

  /**
   * A defer inside a transaction that commits, until the task is enqueued.
   *
   * @return the task
   * @throws Exception if the transaction fails
   */
  @Benchmark
  public DeferredTask transactional() throws Exception {
    transactions.begin();
    DeferredTask task;
    try {
      task =
          deferrer.defer(
              CallSiteBenchmark.Reports.class,
              r -> r.send(42L, "monthly-2026-01", CallSiteBenchmark.RECIPIENT));
    } catch (RuntimeException e) {
      transactions.rollback();
      throw e;
    }
    transactions.commit();
    return task.completion().toCompletableFuture().join();
  }

  /**
   * The same defer outside a transaction.
   *
   * @return the task
   */
  @Benchmark
  public DeferredTask nonTransactional() {
    return deferrer.defer(
        CallSiteBenchmark.Reports.class,
        r -> r.send(42L, "monthly-2026-01", CallSiteBenchmark.RECIPIENT));
  }

  /**
   * An empty transaction: begin and commit, nothing deferred.
   *
   * @throws Exception if the transaction fails
   */
  @Benchmark
  public void emptyTransaction() throws Exception {
    transactions.begin();
    transactions.commit();
  }

  static JmhFigure figure() {
    return new JmhFigure(
        "transactional defer",
        TransactionalDeferBenchmark.class,
        Mode.Throughput,
        List.of(1, 16),
        List.of("nonTransactional", "transactional", "emptyTransaction"),
        List.of(new JmhFigure.Comparison("transactional", "nonTransactional", 0)));
  }
}
