package dev.deferred.impl.store;

import java.time.Instant;
import java.util.Collections;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The shared state of one iteration: how many shards, whether they were all deferred, which have
 * finished, rows processed per shard, and the finalize bookkeeping. Immutable: the {@code with...}
 * methods return changed copies, which a {@link MarkerStore} writes atomically.
 *
 * @param id the iteration id
 * @param shards the number of shards
 * @param ready whether every shard task has been deferred
 * @param finished the indexes of the finished shards
 * @param rows rows processed so far, by shard index (a high-water mark: a repeated report of the
 *     same progress does not add)
 * @param state {@code RUNNING}, {@code DONE}, {@code FAILED}, or {@code DELETED} for the tombstone
 *     a deleted marker leaves (see {@link MarkerStore#delete})
 * @param startedAt when the marker was written
 * @param endedAt when finalize succeeded or the iteration failed; {@code null} before
 * @param failure for a failed iteration, what failed; {@code null} otherwise
 * @param plan the shard ranges, as written by the planning task, so that a retried plan defers the
 *     same shards
 * @param finalizeClaim who runs finalize right now (a token), {@code null} when nobody does
 * @param finalizeClaimedAt when that claim was taken; claims older than the lease are void
 */
public record IterationMarker(
    String id,
    int shards,
    boolean ready,
    Set<Integer> finished,
    Map<Integer, Long> rows,
    String state,
    Instant startedAt,
    Instant endedAt,
    String failure,
    String plan,
    String finalizeClaim,
    Instant finalizeClaimedAt) {

  public static final String RUNNING = "RUNNING";
  public static final String DONE = "DONE";
  public static final String FAILED = "FAILED";
  public static final String DELETED = "DELETED";

  /**
   * How long a deleted marker's tombstone is kept: longer than Cloud Tasks keeps a task (31 days),
   * so no task of the iteration can still arrive after it is gone.
   */
  public static final java.time.Duration TOMBSTONE_RETENTION = java.time.Duration.ofDays(32);

  public IterationMarker {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(state, "state");
    Objects.requireNonNull(startedAt, "startedAt");
    finished = Collections.unmodifiableSet(new TreeSet<>(finished));
    rows = Collections.unmodifiableMap(new TreeMap<>(rows));
  }

  /** A new, running marker whose shards are not deferred yet. */
  public static IterationMarker started(String id, int shards, String plan, Instant now) {
    return new IterationMarker(
        id, shards, false, Set.of(), Map.of(), RUNNING, now, null, null, plan, null, null);
  }

  /** The tombstone this marker leaves when deleted at {@code at}: its id and times only. */
  public IterationMarker tombstone(Instant at) {
    return new IterationMarker(
        id, 0, false, Set.of(), Map.of(), DELETED, startedAt, at, null, null, null, null);
  }

  /** Whether this is the tombstone of a deleted marker. */
  public boolean isDeleted() {
    return DELETED.equals(state);
  }

  /** Whether this tombstone may be removed at {@code now}. */
  public boolean tombstoneExpired(Instant now) {
    return isDeleted() && endedAt != null && endedAt.plus(TOMBSTONE_RETENTION).isBefore(now);
  }

  /** Whether every shard was deferred and has finished. */
  public boolean allShardsFinished() {
    return ready && finished.size() >= shards;
  }

  /** Rows processed over every shard. */
  public long rowsProcessed() {
    return rows.values().stream().mapToLong(Long::longValue).sum();
  }

  public IterationMarker withReady() {
    return new IterationMarker(
        id,
        shards,
        true,
        finished,
        rows,
        state,
        startedAt,
        endedAt,
        failure,
        plan,
        finalizeClaim,
        finalizeClaimedAt);
  }

  /** Records progress of a shard; keeps the higher count when reports arrive out of order. */
  public IterationMarker withRows(int shard, long processed) {
    if (rows.getOrDefault(shard, 0L) >= processed) {
      return this;
    }
    Map<Integer, Long> r = new TreeMap<>(rows);
    r.put(shard, processed);
    return new IterationMarker(
        id,
        shards,
        ready,
        finished,
        r,
        state,
        startedAt,
        endedAt,
        failure,
        plan,
        finalizeClaim,
        finalizeClaimedAt);
  }

  /** Records a finished shard; a shard already recorded stays recorded once. */
  public IterationMarker withFinished(int shard, long processed) {
    IterationMarker m = withRows(shard, processed);
    if (m.finished.contains(shard)) {
      return m;
    }
    Set<Integer> f = new TreeSet<>(m.finished);
    f.add(shard);
    return new IterationMarker(
        id,
        shards,
        ready,
        f,
        m.rows,
        state,
        startedAt,
        endedAt,
        failure,
        plan,
        finalizeClaim,
        finalizeClaimedAt);
  }

  public IterationMarker withFinalizeClaim(String claim, Instant at) {
    return new IterationMarker(
        id, shards, ready, finished, rows, state, startedAt, endedAt, failure, plan, claim, at);
  }

  public IterationMarker withDone(Instant at) {
    return new IterationMarker(
        id, shards, ready, finished, rows, DONE, startedAt, at, failure, plan, null, null);
  }

  public IterationMarker withFailed(String reason, Instant at) {
    return new IterationMarker(
        id,
        shards,
        ready,
        finished,
        rows,
        FAILED,
        startedAt,
        at,
        reason,
        plan,
        finalizeClaim,
        finalizeClaimedAt);
  }
}
