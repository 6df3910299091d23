package dev.deferred.emulator.internal;

import com.google.cloud.tasks.v2.Queue;
import com.google.iam.v1.Policy;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.TreeMap;

/**
 * One queue with its tasks, its due heap, its token bucket and its task-name tombstones. Every
 * field is guarded by {@code this}: callers synchronize on the entry.
 */
final class QueueEntry {

  /** A place in the due heap; stale when the task's generation moved on. */
  record Due(Instant at, long seq, TaskEntry task, long generation) implements Comparable<Due> {
    @Override
    public int compareTo(Due o) {
      int c = at.compareTo(o.at);
      return c != 0 ? c : Long.compare(seq, o.seq);
    }

    boolean live() {
      return !task.removed && task.generation == generation;
    }
  }

  record Tombstone(String id, Instant expires) {}

  final String name;
  final String shortId;
  Queue queue;
  Policy policy = Policy.getDefaultInstance();

  /** Tasks by id: ListTasks pages through it in order without copying. */
  final TreeMap<String, TaskEntry> tasks = new TreeMap<>();

  final PriorityQueue<Due> dueHeap = new PriorityQueue<>();
  private long dueSeq;

  private final Map<String, Instant> tombstones = new HashMap<>();
  private final ArrayDeque<Tombstone> tombstoneOrder = new ArrayDeque<>();

  double tokens;
  Instant lastRefill;
  int inFlight;

  /** Dispatches started since the queue was created, and those that failed (for the console). */
  long dispatched;

  long failedAttempts;

  Instant throttledUntil = Instant.MIN;
  boolean deleted;

  QueueEntry(String name, Queue queue, Instant now) {
    this.name = name;
    this.shortId = Names.shortId(name);
    this.queue = queue;
    this.tokens = queue.getRateLimits().getMaxBurstSize();
    this.lastRefill = now;
  }

  void schedule(TaskEntry task, Instant at) {
    task.generation++;
    task.due = at;
    dueHeap.add(new Due(at, dueSeq++, task, task.generation));
  }

  /** The earliest live heap entry, dropping stale ones on the way. */
  Due head() {
    Due d;
    while ((d = dueHeap.peek()) != null && !d.live()) {
      dueHeap.poll();
    }
    return d;
  }

  void remove(TaskEntry task, Instant now, Duration tombstoneTtl) {
    task.removed = true;
    task.generation++;
    tasks.remove(task.id);
    tombstone(task.id, now, tombstoneTtl);
  }

  void tombstone(String id, Instant now, Duration ttl) {
    if (ttl.isZero() || ttl.isNegative()) {
      return;
    }
    Instant expires = now.plus(ttl);
    tombstones.put(id, expires);
    tombstoneOrder.add(new Tombstone(id, expires));
  }

  boolean isTombstoned(String id, Instant now) {
    expireTombstones(now);
    Instant expires = tombstones.get(id);
    return expires != null && expires.isAfter(now);
  }

  void expireTombstones(Instant now) {
    Tombstone t;
    while ((t = tombstoneOrder.peek()) != null && !t.expires().isAfter(now)) {
      tombstoneOrder.poll();
      // Only drop the map entry if it was not renewed by a later tombstone of the same id.
      tombstones.remove(t.id(), t.expires());
    }
  }

  void refill(Instant now) {
    double rate = queue.getRateLimits().getMaxDispatchesPerSecond();
    int burst = queue.getRateLimits().getMaxBurstSize();
    if (now.isAfter(lastRefill)) {
      double seconds = Duration.between(lastRefill, now).toNanos() / 1e9;
      tokens = Math.min(burst, tokens + seconds * rate);
      lastRefill = now;
    }
  }

  void clearTasks() {
    for (Iterator<TaskEntry> it = tasks.values().iterator(); it.hasNext(); ) {
      TaskEntry t = it.next();
      t.removed = true;
      t.generation++;
      it.remove();
    }
    dueHeap.clear();
  }
}
