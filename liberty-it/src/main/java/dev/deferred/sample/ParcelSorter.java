package dev.deferred.sample;

import dev.deferred.TaskContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The iteration scenario's callbacks. {@code sort} runs once per parcel (and {@code inspect} once
 * per depot) in a shard task, in a transaction of its own (the iteration engine's default); {@code
 * finished} runs once at the end. Both note the instance of the application that ran them ({@link
 * RunLog}); the callbacks also note, in memory, the order in which they saw the rows.
 */
@ApplicationScoped
public class ParcelSorter {

  /** Finalize calls by label, read back by the scenario resource. */
  static final Map<String, AtomicInteger> FINISHED = new ConcurrentHashMap<>();

  /** Failures still to throw, by parcel id: a row that fails a few times, then succeeds. */
  static final Map<Long, AtomicInteger> FAILURES = new ConcurrentHashMap<>();

  /** How long each row takes, in milliseconds, by label: rows slower than a time budget. */
  static final Map<String, Long> ROW_MILLIS = new ConcurrentHashMap<>();

  /** One callback call: the shard it ran in and the row's id. */
  record Seen(int shard, Object id) {}

  /** The rows the callbacks processed, by label, in the order they did. */
  static final Map<String, Queue<Seen>> SEEN = new ConcurrentHashMap<>();

  /**
   * Rendezvous by label: each row waits until every row of the iteration has reached its callback,
   * so that shards of one row each finish at the same moment.
   */
  static final Map<String, CountDownLatch> TOGETHER = new ConcurrentHashMap<>();

  /** Rows that gave up waiting at their rendezvous, by label. */
  static final Map<String, AtomicInteger> TOGETHER_MISSED = new ConcurrentHashMap<>();

  /** Finalize failures still to throw, by label. */
  static final Map<String, AtomicInteger> FINALIZE_FAILURES = new ConcurrentHashMap<>();

  /** Finalize calls begun, by label, including those that failed or wait at a gate. */
  static final Map<String, AtomicInteger> FINALIZE_CALLS = new ConcurrentHashMap<>();

  @Inject EntityManager em;
  @Inject TaskContext task;
  @Inject RunLog runs;

  /**
   * Gates by label and shard index: a gated iteration's rows wait until the test opens their
   * shard's gate, so that a page can be seen while the iteration is part done.
   */
  static final Map<String, CountDownLatch> GATES = new ConcurrentHashMap<>();

  static void close(String label, int shards) {
    for (int i = 0; i < shards; i++) {
      GATES.put(label + "/" + i, new CountDownLatch(1));
    }
  }

  static void closeFinalize(String label) {
    GATES.put(label + "/finalize", new CountDownLatch(1));
  }

  static boolean open(String label, int shard) {
    return open(label + "/" + shard);
  }

  static boolean openFinalize(String label) {
    return open(label + "/finalize");
  }

  private static boolean open(String key) {
    CountDownLatch gate = GATES.get(key);
    if (gate == null) {
      return false;
    }
    gate.countDown();
    return true;
  }

  /** Waits at a closed gate, bounded, so that a test that never opens it cannot hold a thread. */
  private static void pass(String key) throws InterruptedException {
    CountDownLatch gate = GATES.get(key);
    if (gate != null && !gate.await(2, TimeUnit.MINUTES)) {
      throw new IllegalStateException("gate " + key + " was not opened");
    }
  }

  public void sort(Parcel parcel, String label) throws InterruptedException {
    pass(label + "/" + task.shardIndex().orElse(-1));
    CountDownLatch together = TOGETHER.get(label);
    if (together != null) {
      together.countDown();
      // Within the transaction's timeout (2 minutes on Liberty): a miss is counted, not rolled
      // back.
      if (!together.await(90, TimeUnit.SECONDS)) {
        TOGETHER_MISSED.computeIfAbsent(label, l -> new AtomicInteger()).incrementAndGet();
      }
    }
    Long millis = ROW_MILLIS.get(label);
    if (millis != null) {
      long until = System.nanoTime() + millis * 1_000_000;
      while (System.nanoTime() < until) {
        Thread.onSpinWait();
      }
    }
    AtomicInteger failures = FAILURES.get(parcel.getId());
    if (failures != null && failures.getAndDecrement() > 0) {
      throw new IllegalStateException("planned failure on parcel " + parcel.getId());
    }
    // An UPDATE that counts, rather than a merge of the detached row, so a repeat would show.
    em.createQuery(
            "UPDATE Parcel p SET p.handled = p.handled + 1, p.shard = :shard, p.handledBy = :by"
                + " WHERE p.id = :id")
        .setParameter("shard", task.shardIndex().orElse(-1))
        .setParameter("by", runs.instance())
        .setParameter("id", parcel.getId())
        .executeUpdate();
    seen(label, parcel.getId());
  }

  /** Inspects one depot: counts the visit, as {@link #sort} does for a parcel. */
  public void inspect(Depot depot, String label) {
    em.createQuery(
            "UPDATE Depot d SET d.inspected = d.inspected + 1, d.shard = :shard"
                + " WHERE d.code = :code")
        .setParameter("shard", task.shardIndex().orElse(-1))
        .setParameter("code", depot.getCode())
        .executeUpdate();
    seen(label, depot.getCode());
  }

  private void seen(String label, Object id) {
    SEEN.computeIfAbsent(label, l -> new ConcurrentLinkedQueue<>())
        .add(new Seen(task.shardIndex().orElse(-1), id));
  }

  public void finished(String label) throws InterruptedException {
    FINALIZE_CALLS.computeIfAbsent(label, l -> new AtomicInteger()).incrementAndGet();
    AtomicInteger failures = FINALIZE_FAILURES.get(label);
    if (failures != null && failures.getAndDecrement() > 0) {
      throw new IllegalStateException("planned finalize failure of " + label);
    }
    pass(label + "/finalize");
    FINISHED.computeIfAbsent(label, l -> new AtomicInteger()).incrementAndGet();
    // Also in the shared database, where every instance of the application sees it.
    runs.record(label, -1, "finalized", null, null);
  }
}
