package dev.deferred.sample;

import dev.deferred.TaskContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The iteration scenario's callbacks. {@code sort} runs once per parcel in a shard task, in a
 * transaction of its own (the iteration engine's default); {@code finished} runs once at the end.
 */
@ApplicationScoped
public class ParcelSorter {

  /** Finalize calls by label, read back by the scenario resource. */
  static final Map<String, AtomicInteger> FINISHED = new ConcurrentHashMap<>();

  @Inject EntityManager em;
  @Inject TaskContext task;

  public void sort(Parcel parcel, String label) {
    // An UPDATE that counts, rather than a merge of the detached row, so a repeat would show.
    em.createQuery(
            "UPDATE Parcel p SET p.handled = p.handled + 1, p.shard = :shard WHERE p.id = :id")
        .setParameter("shard", task.shardIndex().orElse(-1))
        .setParameter("id", parcel.getId())
        .executeUpdate();
  }

  public void finished(String label) {
    FINISHED.computeIfAbsent(label, l -> new AtomicInteger()).incrementAndGet();
  }
}
