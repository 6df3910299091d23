package dev.deferred.impl.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/** What every marker store does; subclasses supply the store, dating with {@link #now}. */
abstract class MarkerStoreContract {

  /** The time the store reads; tests move it. */
  final AtomicReference<Instant> now =
      new AtomicReference<>(Instant.parse("2026-03-04T05:06:07.123456Z"));

  abstract MarkerStore store();

  private static String id() {
    return UUID.randomUUID().toString().replace("-", "");
  }

  @Test
  void newestListsMarkersByStartTimeNewestFirstUpToTheLimit() {
    Instant t = Instant.parse("2026-03-01T00:00:00Z");
    List<String> ids = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      String id = id();
      ids.add(id);
      store().createIfAbsent(IterationMarker.started(id, i + 1, "plan", t.plusSeconds(i)));
    }
    store().update(ids.get(1), m -> m.withReady().withFinished(0, 4));

    List<IterationMarker> newest = store().newest(3);

    assertThat(newest)
        .extracting(IterationMarker::id)
        .containsExactly(ids.get(4), ids.get(3), ids.get(2));
    assertThat(store().newest(10))
        .extracting(IterationMarker::id)
        .containsExactly(ids.get(4), ids.get(3), ids.get(2), ids.get(1), ids.get(0));
    assertThat(store().newest(10).get(3).rowsProcessed()).isEqualTo(4);
    store().delete(ids.get(4));
    assertThat(store().newest(1)).extracting(IterationMarker::id).containsExactly(ids.get(3));
    // The deleted marker's tombstone is not listed.
    assertThat(store().newest(10)).hasSize(4);
    assertThatThrownBy(() -> store().newest(0))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("limit must be at least 1, was 0");
  }

  @Test
  void createIfAbsentKeepsTheFirstMarker() {
    String id = id();
    IterationMarker first =
        IterationMarker.started(id, 3, "[\"a\"]", Instant.parse("2026-01-01T00:00:00Z"));
    assertThat(store().createIfAbsent(first)).isEqualTo(first);
    IterationMarker second = IterationMarker.started(id, 9, "[]", Instant.now());
    assertThat(store().createIfAbsent(second)).isEqualTo(first);
    assertThat(store().get(id)).contains(first);
  }

  @Test
  void updatesRoundTripEveryField() {
    String id = id();
    Instant t = Instant.parse("2026-02-03T04:05:06.789Z");
    store().createIfAbsent(IterationMarker.started(id, 4, "plan", t));
    IterationMarker after =
        store()
            .update(
                id,
                m ->
                    m.withReady()
                        .withFinished(2, 10)
                        .withRows(0, 5)
                        .withFinalizeClaim("claim", t)
                        .withFailed("boom on row 7", t.plusSeconds(1)))
            .orElseThrow();
    assertThat(store().get(id)).contains(after);
    assertThat(after.finished()).containsExactly(2);
    assertThat(after.rowsProcessed()).isEqualTo(15);
    assertThat(after.state()).isEqualTo(IterationMarker.FAILED);
  }

  @Test
  void aShardFinishingTwiceCountsOnce() {
    String id = id();
    store().createIfAbsent(IterationMarker.started(id, 2, "[]", Instant.now()).withReady());
    store().update(id, m -> m.withFinished(0, 5));
    IterationMarker m = store().update(id, x -> x.withFinished(0, 5)).orElseThrow();
    assertThat(m.finished()).containsExactly(0);
    assertThat(m.rowsProcessed()).isEqualTo(5);
    assertThat(m.allShardsFinished()).isFalse();
  }

  @Test
  void missingMarkersAreNotCreatedByUpdatesAndDeleteSaysWhetherOneWasThere() {
    String id = id();
    assertThat(store().update(id, IterationMarker::withReady)).isEmpty();
    assertThat(store().get(id)).isEmpty();
    store().createIfAbsent(IterationMarker.started(id, 1, "[]", Instant.now()));
    assertThat(store().delete(id)).isTrue();
    assertThat(store().delete(id)).isFalse();
    assertThat(store().get(id)).isEmpty();
  }

  @Test
  void aDeletedMarkerLeavesATombstoneThatOnlyCreateIfAbsentReturns() {
    String id = id();
    IterationMarker started = IterationMarker.started(id, 2, "[]", Instant.now()).withReady();
    store().createIfAbsent(started);
    Instant deletedAt = now.get();
    assertThat(store().delete(id)).isTrue();

    assertThat(store().get(id)).isEmpty();
    assertThat(store().update(id, m -> m.withFinished(0, 1))).isEmpty();
    // A planning task delivered again finds the iteration deleted, rather than starting it again.
    IterationMarker again = store().createIfAbsent(IterationMarker.started(id, 2, "[]", now.get()));
    assertThat(again.isDeleted()).isTrue();
    assertThat(again.state()).isEqualTo(IterationMarker.DELETED);
    assertThat(again.endedAt()).isEqualTo(deletedAt);
    assertThat(store().get(id)).isEmpty();
    assertThat(store().delete(id)).isFalse();
  }

  @Test
  void tombstonesExpireAfterTheRetentionAndAreRemovedWhenAMarkerIsCreated() {
    String id = id();
    store().createIfAbsent(IterationMarker.started(id, 1, "[]", now.get()));
    store().delete(id);
    now.set(now.get().plus(IterationMarker.TOMBSTONE_RETENTION).minusSeconds(1));
    assertThat(store().createIfAbsent(IterationMarker.started(id(), 1, "[]", now.get())))
        .isNotNull();
    assertThat(store().createIfAbsent(IterationMarker.started(id, 1, "[]", now.get())).isDeleted())
        .as("kept within the retention")
        .isTrue();

    now.set(now.get().plusSeconds(2));
    store().createIfAbsent(IterationMarker.started(id(), 1, "[]", now.get()));
    IterationMarker fresh = IterationMarker.started(id, 1, "[]", now.get());
    assertThat(store().createIfAbsent(fresh)).isEqualTo(fresh);
  }

  @Test
  void fiftyConcurrentShardCompletionsAreAllRecorded() throws Exception {
    String id = id();
    int shards = 50;
    store().createIfAbsent(IterationMarker.started(id, shards, "[]", Instant.now()).withReady());
    ExecutorService pool = Executors.newFixedThreadPool(shards);
    try {
      CyclicBarrier start = new CyclicBarrier(shards);
      List<Future<IterationMarker>> results = new ArrayList<>();
      for (int i = 0; i < shards; i++) {
        int shard = i;
        results.add(
            pool.submit(
                () -> {
                  start.await(30, TimeUnit.SECONDS);
                  return store().update(id, m -> m.withFinished(shard, 1)).orElseThrow();
                }));
      }
      int complete = 0;
      for (Future<IterationMarker> r : results) {
        if (r.get(120, TimeUnit.SECONDS).allShardsFinished()) {
          complete++;
        }
      }
      // Exactly one update saw the last shard finish: the one that wrote it.
      assertThat(complete).isEqualTo(1);
      IterationMarker m = store().get(id).orElseThrow();
      assertThat(m.finished())
          .isEqualTo(IntStream.range(0, shards).boxed().collect(Collectors.toSet()));
      assertThat(m.rowsProcessed()).isEqualTo(shards);
      assertThat(m.finished()).isInstanceOf(Set.class);
    } finally {
      pool.shutdownNow();
    }
  }
}
