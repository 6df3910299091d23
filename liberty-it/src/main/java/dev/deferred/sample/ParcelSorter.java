package dev.deferred.sample;

import dev.deferred.TaskContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The iteration scenario's callbacks. {@code sort} runs once per parcel in a shard task, in a
 * transaction of its own (the iteration engine's default); {@code finished} runs once at the end.
 * Both note the instance of the application that ran them ({@link RunLog}).
 */
@ApplicationScoped
public class ParcelSorter {

  /** Finalize calls by label, read back by the scenario resource. */
  static final Map<String, AtomicInteger> FINISHED = new ConcurrentHashMap<>();

  /** Failures still to throw, by parcel id: a row that fails a few times, then succeeds. */
  static final Map<Long, AtomicInteger> FAILURES = new ConcurrentHashMap<>();

  /** How long each row takes, in milliseconds, by label: rows slower than a time budget. */
  static final Map<String, Long> ROW_MILLIS = new ConcurrentHashMap<>();

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

  static boolean open(String label, int shard) {
    CountDownLatch gate = GATES.get(label + "/" + shard);
    if (gate == null) {
      return false;
    }
    gate.countDown();
    return true;
  }

  public void sort(Parcel parcel, String label) throws InterruptedException {
    CountDownLatch gate = GATES.get(label + "/" + task.shardIndex().orElse(-1));
    // Bounded, so a test that never opens the gate cannot hold the server's threads for long.
    if (gate != null && !gate.await(2, TimeUnit.MINUTES)) {
      throw new IllegalStateException("gate of " + label + " was not opened");
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
  }

  public void finished(String label) {
    FINISHED.computeIfAbsent(label, l -> new AtomicInteger()).incrementAndGet();
    // Also in the shared database, where every instance of the application sees it.
    runs.record(label, -1, "finalized", null, null);
  }
}
