package dev.deferred.impl.store;

import com.google.cloud.Timestamp;
import com.google.cloud.datastore.Datastore;
import com.google.cloud.datastore.DatastoreException;
import com.google.cloud.datastore.Entity;
import com.google.cloud.datastore.Key;
import com.google.cloud.datastore.Query;
import com.google.cloud.datastore.QueryResults;
import com.google.cloud.datastore.StringValue;
import com.google.cloud.datastore.StructuredQuery.OrderBy;
import com.google.cloud.datastore.StructuredQuery.PropertyFilter;
import com.google.cloud.datastore.Transaction;
import java.time.Clock;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.UnaryOperator;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Marker store in Cloud Datastore (or Firestore in Datastore mode), shared by every instance of the
 * application. Each update is a Datastore transaction (read, change, commit); a commit that
 * collides with another writer is aborted by Datastore and retried here with a jittered backoff, so
 * many shards finishing at once all get recorded.
 *
 * <p>One {@value #KIND} entity per iteration, named by the iteration id. Only {@code state}, {@code
 * startedAt} and a tombstone's {@code deletedAt} are indexed (to find old markers, to list the
 * newest, and to find expired tombstones); lists and texts are unindexed strings. Expired
 * tombstones are removed, a bounded number at a time, whenever a marker is created.
 */
public final class DatastoreMarkerStore implements MarkerStore {

  /** Kind of the marker entities. */
  public static final String KIND = "DeferredIterationMarker";

  private static final String DELETED_AT = "deletedAt";

  /** Attempts of one update before giving up on contention. */
  static final int MAX_ATTEMPTS = 60;

  /** Expired tombstones removed at most per marker created. */
  static final int PURGE_BATCH = 100;

  private static final Logger LOG = Logger.getLogger(DatastoreMarkerStore.class.getName());

  private final Datastore datastore;
  private final InstantSource clock;

  /**
   * A store.
   *
   * @param datastore the client, in the namespace to use; the caller owns and closes it
   */
  public DatastoreMarkerStore(Datastore datastore) {
    this(datastore, Clock.systemUTC());
  }

  /**
   * A store.
   *
   * @param datastore the client, in the namespace to use; the caller owns and closes it
   * @param clock dates tombstones and decides when they expire
   */
  public DatastoreMarkerStore(Datastore datastore, InstantSource clock) {
    this.datastore = datastore;
    this.clock = clock;
  }

  @Override
  public IterationMarker createIfAbsent(IterationMarker marker) {
    purgeExpiredTombstones();
    Key key = key(marker.id());
    return inTransaction(
            marker.id(),
            "create",
            tx -> {
              Entity existing = tx.get(key);
              if (existing != null) {
                return Optional.of(read(existing));
              }
              tx.put(write(key, marker));
              return Optional.of(marker);
            })
        .orElseThrow();
  }

  @Override
  public Optional<IterationMarker> get(String id) {
    try {
      Entity e = datastore.get(key(id));
      return e == null ? Optional.empty() : Optional.of(read(e)).filter(m -> !m.isDeleted());
    } catch (DatastoreException e) {
      throw new StoreException(StoreMessages.datastoreFailed("read", "marker " + id, e), e);
    }
  }

  @Override
  public Optional<IterationMarker> update(String id, UnaryOperator<IterationMarker> change) {
    Key key = key(id);
    return inTransaction(
        id,
        "update",
        tx -> {
          Entity existing = tx.get(key);
          if (existing == null) {
            return Optional.empty();
          }
          IterationMarker before = read(existing);
          if (before.isDeleted()) {
            return Optional.empty();
          }
          IterationMarker after = change.apply(before);
          if (!after.equals(before)) {
            tx.put(write(key, after));
          }
          return Optional.of(after);
        });
  }

  @Override
  public List<IterationMarker> newest(int limit) {
    if (limit < 1) {
      throw new IllegalArgumentException("limit must be at least 1, was " + limit);
    }
    // A single-property sort: served by the built-in index of the indexed startedAt. Tombstones
    // are skipped as they come, read in batches, so no composite index is needed.
    Query<Entity> query =
        Query.newEntityQueryBuilder().setKind(KIND).setOrderBy(OrderBy.desc("startedAt")).build();
    try {
      List<IterationMarker> markers = new ArrayList<>();
      QueryResults<Entity> results = datastore.run(query);
      while (markers.size() < limit && results.hasNext()) {
        IterationMarker m = read(results.next());
        if (!m.isDeleted()) {
          markers.add(m);
        }
      }
      return markers;
    } catch (DatastoreException e) {
      throw new StoreException(StoreMessages.datastoreFailed("list", "markers", e), e);
    }
  }

  @Override
  public boolean delete(String id) {
    Key key = key(id);
    return inTransaction(
            id,
            "delete",
            tx -> {
              Entity existing = tx.get(key);
              if (existing == null) {
                return Optional.of(false);
              }
              IterationMarker m = read(existing);
              if (m.isDeleted()) {
                return Optional.of(false);
              }
              tx.put(write(key, m.tombstone(clock.instant())));
              return Optional.of(true);
            })
        .orElse(false);
  }

  /**
   * Removes tombstones older than the retention. Best effort: a failure leaves them for the next
   * marker created, and does not stop this one.
   */
  private void purgeExpiredTombstones() {
    Instant cutoff = clock.instant().minus(IterationMarker.TOMBSTONE_RETENTION);
    try {
      Query<Key> expired =
          Query.newKeyQueryBuilder()
              .setKind(KIND)
              .setFilter(PropertyFilter.lt(DELETED_AT, timestamp(cutoff)))
              .setLimit(PURGE_BATCH)
              .build();
      List<Key> keys = new ArrayList<>();
      datastore.run(expired).forEachRemaining(keys::add);
      if (!keys.isEmpty()) {
        datastore.delete(keys.toArray(Key[]::new));
      }
    } catch (DatastoreException e) {
      LOG.log(Level.FINE, "Removing expired iteration marker tombstones failed", e);
    }
  }

  private interface Work<T> {
    Optional<T> run(Transaction tx);
  }

  private <T> Optional<T> inTransaction(String id, String operation, Work<T> work) {
    DatastoreException last = null;
    for (int attempt = 1; attempt <= MAX_ATTEMPTS; attempt++) {
      Transaction tx = datastore.newTransaction();
      try {
        Optional<T> result = work.run(tx);
        tx.commit();
        return result;
      } catch (DatastoreException e) {
        if (!retryable(e)) {
          throw new StoreException(StoreMessages.datastoreFailed(operation, "marker " + id, e), e);
        }
        last = e;
      } finally {
        if (tx.isActive()) {
          try {
            tx.rollback();
          } catch (DatastoreException ignored) {
            // the transaction is gone anyway
          }
        }
      }
      backOff(attempt);
    }
    throw new StoreException(
        StoreMessages.markerContention(id, operation, MAX_ATTEMPTS, String.valueOf(last)), last);
  }

  /** Aborted by contention (10), or a transient error (4 deadline, 14 unavailable). */
  private static boolean retryable(DatastoreException e) {
    String reason = String.valueOf(e.getReason());
    return e.getCode() == 10
        || e.getCode() == 4
        || e.getCode() == 14
        || e.getCode() == 409
        || "ABORTED".equals(reason)
        || e.isRetryable();
  }

  private static void backOff(int attempt) {
    long cap = Math.min(1000, 10L << Math.min(attempt, 7));
    try {
      Thread.sleep(ThreadLocalRandom.current().nextLong(cap / 2, cap + 1));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new StoreException("Interrupted while retrying a marker update", e);
    }
  }

  private Key key(String id) {
    return datastore.newKeyFactory().setKind(KIND).newKey(id);
  }

  private static Entity write(Key key, IterationMarker m) {
    Entity.Builder b =
        Entity.newBuilder(key)
            .set("shards", m.shards())
            .set("ready", m.ready())
            .set("finished", text(join(m.finished())))
            .set("rows", text(joinRows(m.rows())))
            .set("state", m.state())
            .set("startedAt", timestamp(m.startedAt()))
            .set("plan", text(m.plan() == null ? "" : m.plan()));
    if (m.endedAt() != null) {
      b.set("endedAt", timestamp(m.endedAt()));
    }
    if (m.isDeleted()) {
      b.set(DELETED_AT, timestamp(m.endedAt()));
    }
    if (m.failure() != null) {
      b.set("failure", text(m.failure()));
    }
    if (m.finalizeClaim() != null) {
      b.set("finalizeClaim", text(m.finalizeClaim()));
      b.set("finalizeClaimedAt", timestamp(m.finalizeClaimedAt()));
    }
    return b.build();
  }

  private static IterationMarker read(Entity e) {
    String plan = e.getString("plan");
    return new IterationMarker(
        e.getKey().getName(),
        (int) e.getLong("shards"),
        e.getBoolean("ready"),
        splitSet(e.getString("finished")),
        splitRows(e.getString("rows")),
        e.getString("state"),
        instant(e.getTimestamp("startedAt")),
        e.contains("endedAt") ? instant(e.getTimestamp("endedAt")) : null,
        e.contains("failure") ? e.getString("failure") : null,
        plan.isEmpty() ? null : plan,
        e.contains("finalizeClaim") ? e.getString("finalizeClaim") : null,
        e.contains("finalizeClaimedAt") ? instant(e.getTimestamp("finalizeClaimedAt")) : null);
  }

  private static StringValue text(String s) {
    return StringValue.newBuilder(s).setExcludeFromIndexes(true).build();
  }

  private static Timestamp timestamp(Instant i) {
    return Timestamp.ofTimeSecondsAndNanos(i.getEpochSecond(), i.getNano());
  }

  private static Instant instant(Timestamp t) {
    return Instant.ofEpochSecond(t.getSeconds(), t.getNanos());
  }

  private static String join(Set<Integer> set) {
    StringBuilder s = new StringBuilder();
    for (Integer i : set) {
      if (s.length() > 0) {
        s.append(',');
      }
      s.append(i);
    }
    return s.toString();
  }

  private static String joinRows(Map<Integer, Long> rows) {
    StringBuilder s = new StringBuilder();
    for (Map.Entry<Integer, Long> r : rows.entrySet()) {
      if (s.length() > 0) {
        s.append(',');
      }
      s.append(r.getKey()).append(':').append(r.getValue());
    }
    return s.toString();
  }

  private static Set<Integer> splitSet(String s) {
    Set<Integer> set = new TreeSet<>();
    if (!s.isEmpty()) {
      for (String part : s.split(",")) {
        set.add(Integer.parseInt(part));
      }
    }
    return set;
  }

  private static Map<Integer, Long> splitRows(String s) {
    Map<Integer, Long> rows = new TreeMap<>();
    if (!s.isEmpty()) {
      for (String part : s.split(",")) {
        int colon = part.indexOf(':');
        rows.put(
            Integer.parseInt(part.substring(0, colon)), Long.parseLong(part.substring(colon + 1)));
      }
    }
    return rows;
  }
}
