package dev.deferred.impl.iteration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.deferred.DeferredTask;
import dev.deferred.Iteration;
import dev.deferred.IterationOptions;
import dev.deferred.IterationProgress;
import dev.deferred.IterationQuery;
import dev.deferred.IterationService;
import dev.deferred.KeyRangeStrategy;
import dev.deferred.impl.handler.TaskHandler;
import dev.deferred.impl.store.IterationMarker;
import dev.deferred.impl.store.TaskFailure;
import dev.deferred.impl.testing.DeferredTest;
import dev.deferred.impl.testing.DeferredTestExtension;
import dev.deferred.impl.testing.LibraryParts;
import dev.deferred.testing.internal.TaskHttpServer;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.transaction.TransactionManager;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import java.util.stream.Collectors;
import java.util.stream.LongStream;
import org.jboss.weld.junit5.auto.AddBeanClasses;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The iteration engine end to end: Weld, Narayana, EclipseLink on H2, the embedded Cloud Tasks
 * emulator delivering every task over HTTP to the handler, the in-memory marker store.
 */
@DeferredTest(
    config = {
      "deferred.iteration.slow-callback=1ms",
      "deferred.queues.fragile.retry-max-attempts=2",
      "deferred.queues.fragile.retry-min-backoff=100ms",
      "deferred.queues.fragile.retry-max-backoff=200ms"
    })
@AddBeanClasses({TestPersistence.class, Visitor.class})
class IterationTest {

  @Inject IterationService iterations;
  @Inject TransactionManager transactions;
  @Inject EntityManager em;

  @BeforeEach
  void reset() {
    Visitor.reset();
    DeferredTestExtension.server().exchanges().clear();
  }

  @AfterEach
  void settle() throws Exception {
    DeferredTestExtension.awaitIdle();
    if (transactions.getTransaction() != null) {
      transactions.rollback();
    }
  }

  private <T> T inTransaction(Callable<T> work) throws Exception {
    transactions.begin();
    try {
      T result = work.call();
      transactions.commit();
      return result;
    } catch (Exception e) {
      transactions.rollback();
      throw e;
    }
  }

  private void items(LongStream ids, java.util.function.LongFunction<String> status)
      throws Exception {
    inTransaction(
        () -> {
          ids.forEach(id -> em.persist(new Item(id, status.apply(id))));
          return null;
        });
  }

  private static List<Object> visitedIds() {
    return Visitor.VISITS.stream().map(Visitor.Visit::id).collect(Collectors.toList());
  }

  private static Map<Integer, List<Object>> idsByShard() {
    Map<Integer, List<Object>> byShard = new TreeMap<>();
    for (Visitor.Visit v : Visitor.VISITS) {
      byShard.computeIfAbsent(v.shard(), s -> new ArrayList<>()).add(v.id());
    }
    return byShard;
  }

  private static IterationMarker marker(String id) {
    return LibraryParts.markerStore().get(id).orElseThrow();
  }

  @Test
  void everyRowIsTouchedOnceAndFinalizeRunsOnceWith25RowsIn5Shards() throws Exception {
    items(LongStream.rangeClosed(1, 25), id -> "OPEN");

    Iteration it =
        iterations.iterate(
            IterationQuery.of(Item.class),
            Visitor.class,
            (v, item) -> v.visit(item, "t"),
            v -> v.done("t"),
            IterationOptions.shards(5).deleteMarker(false).batchSize(2));
    assertThat(it.id()).matches("[0-9a-f]{32}");
    DeferredTestExtension.awaitIdle();

    assertThat(visitedIds())
        .containsExactlyInAnyOrderElementsOf(LongStream.rangeClosed(1, 25).boxed().toList());
    assertThat(Visitor.DONE).containsExactly(new Visitor.Done("t", 1, 25));
    assertThat(Visitor.VISITS).allMatch(Visitor.Visit::inTransaction);
    assertThat(idsByShard()).containsOnlyKeys(0, 1, 2, 3, 4);

    // The shard a callback saw is the shard whose range holds the row.
    IterationMarker marker = marker(it.id());
    List<IterationEngine.EncodedRange> plan = ranges(marker);
    for (Visitor.Visit v : Visitor.VISITS) {
      IterationEngine.EncodedRange r = plan.get(v.shard());
      long id = (Long) v.id();
      assertThat(r.lower() == null || id >= Long.parseLong(r.lower())).as("row %s", id).isTrue();
      assertThat(r.upper() == null || id < Long.parseLong(r.upper())).as("row %s", id).isTrue();
    }

    IterationProgress p = iterations.progress(it.id()).orElseThrow();
    assertThat(p.state()).isEqualTo(IterationProgress.State.DONE);
    assertThat(p.shards()).isEqualTo(5);
    assertThat(p.shardsFinished()).isEqualTo(5);
    assertThat(p.rowsProcessed()).isEqualTo(25);
    assertThat(p.endedAt()).isPresent();
    assertThat(p.fraction()).isEqualTo(1.0);
    // Kept with deleteMarker(false), so listed for an operator, newest first.
    assertThat(iterations.recent(1000)).contains(p);
    assertThat(iterations.recent(1)).hasSize(1);
    assertThatThrownBy(() -> iterations.recent(1001))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(
            "DEFERRED-5040: IterationService.recent(limit) takes 1 to 1000 iterations, was 1001");

    // Cloud Tasks delivers the finalize task a second time: nothing happens.
    TaskHttpServer.Exchange finalize =
        DeferredTestExtension.server().exchanges().stream()
            .filter(e -> e.header("X-CloudTasks-TaskName").endsWith("-finalize"))
            .findFirst()
            .orElseThrow();
    TaskHandler.Response again = TaskHttpServer.send(finalize.headers(), finalize.body());
    assertThat(again.status()).isEqualTo(200);
    assertThat(Visitor.DONE).hasSize(1);

    assertThat(iterations.deleteMarker(it.id())).isTrue();
    assertThat(iterations.progress(it.id())).isEmpty();
    assertThat(iterations.recent(1000)).extracting(IterationProgress::id).doesNotContain(it.id());
  }

  private static List<IterationEngine.EncodedRange> ranges(IterationMarker marker) {
    try (var jsonb = jakarta.json.bind.JsonbBuilder.create()) {
      return List.of(jsonb.fromJson(marker.plan(), IterationEngine.EncodedRange[].class));
    } catch (Exception e) {
      throw new AssertionError(e);
    }
  }

  @Test
  void aConditionLeavesOtherRowsUntouchedAndCallbacksCommit() throws Exception {
    items(LongStream.rangeClosed(1, 20), id -> id % 2 == 0 ? "OPEN" : "CLOSED");

    iterations.iterate(
        IterationQuery.of(Item.class).where("e.status = :status").parameter("status", "OPEN"),
        Visitor.class,
        (v, item) -> v.mark("seen", item),
        v -> v.done("marked"),
        IterationOptions.shards(3));
    DeferredTestExtension.awaitIdle();

    assertThat(visitedIds())
        .containsExactlyInAnyOrderElementsOf(
            LongStream.rangeClosed(1, 20).filter(i -> i % 2 == 0).boxed().toList());
    Map<Long, String> notes =
        inTransaction(
            () ->
                em.createQuery("SELECT i FROM Item i", Item.class).getResultList().stream()
                    .collect(
                        Collectors.toMap(
                            Item::getId, i -> String.valueOf(i.getNote()), (a, b) -> a)));
    notes.forEach(
        (id, note) -> assertThat(note).as("row %s", id).isEqualTo(id % 2 == 0 ? "seen" : "null"));
    assertThat(Visitor.DONE).extracting(Visitor.Done::tag).containsExactly("marked");
  }

  @Test
  void extraArgumentsReachCallbackAndFinalize() throws Exception {
    items(LongStream.rangeClosed(1, 3), id -> "OPEN");
    String extra = "run-" + System.nanoTime();

    iterations.iterate(
        IterationQuery.of(Item.class),
        Visitor.class,
        (v, item) -> v.visit(item, extra),
        v -> v.done(extra),
        IterationOptions.shards(2));
    DeferredTestExtension.awaitIdle();

    assertThat(Visitor.VISITS).extracting(Visitor.Visit::tag).containsOnly(extra).hasSize(3);
    assertThat(Visitor.DONE).extracting(Visitor.Done::tag).containsExactly(extra);
  }

  @Test
  void aRowThatFailsAFewTimesIsRetriedAndRowsBeforeItAreNotRepeated() throws Exception {
    items(LongStream.rangeClosed(1, 10), id -> "OPEN");
    Visitor.failOn(6L, 3);

    iterations.iterate(
        IterationQuery.of(Item.class),
        Visitor.class,
        (v, item) -> v.visit(item, "f"),
        v -> v.done("f"),
        IterationOptions.shards(1).batchSize(3));
    DeferredTestExtension.awaitIdle();

    assertThat(visitedIds())
        .containsExactlyElementsOf(LongStream.rangeClosed(1, 10).boxed().toList());
    assertThat(Visitor.DONE).hasSize(1);
    // The first failure re-deferred the shard from row 6; that task failed twice more and was
    // retried by Cloud Tasks.
    List<String> shardTasks =
        DeferredTestExtension.server().exchanges().stream()
            .map(e -> e.header("X-CloudTasks-TaskName") + ":" + e.status())
            .filter(n -> n.contains("-s0-"))
            .map(n -> n.substring(n.indexOf("-s0-")))
            .toList();
    // Exchanges are recorded as they are answered: the first task answers only after it re-deferred
    // the second, whose first answer can come before it. Each task's own answers are in order.
    assertThat(shardTasks).filteredOn(n -> n.startsWith("-s0-0:")).containsExactly("-s0-0:200");
    assertThat(shardTasks)
        .filteredOn(n -> n.startsWith("-s0-1:"))
        .containsExactly("-s0-1:500", "-s0-1:500", "-s0-1:200");
    assertThat(shardTasks).hasSize(4);
  }

  @Test
  void aShardThatHitsItsTimeBudgetContinuesInANewTask() throws Exception {
    items(LongStream.rangeClosed(1, 6), id -> "OPEN");
    // Each row takes at least 3 ms, the budget is 1 ms: every task does one row, then continues.
    Visitor.hook =
        id -> {
          long until = System.nanoTime() + 3_000_000;
          while (System.nanoTime() < until) {
            Thread.onSpinWait();
          }
        };

    iterations.iterate(
        IterationQuery.of(Item.class),
        Visitor.class,
        (v, item) -> v.visit(item, "b"),
        v -> v.done("b"),
        IterationOptions.shards(1).timeBudget(Duration.ofMillis(1)));
    DeferredTestExtension.awaitIdle();

    assertThat(visitedIds())
        .containsExactlyElementsOf(LongStream.rangeClosed(1, 6).boxed().toList());
    assertThat(Visitor.DONE).hasSize(1);
    // One task per row. Exchanges are recorded as they are answered, and a task answers only after
    // deferring the next, which may answer first: the order of rows is checked above.
    assertThat(
            DeferredTestExtension.server().exchanges().stream()
                .map(e -> e.header("X-CloudTasks-TaskName"))
                .filter(n -> n.contains("-s0-"))
                .map(n -> n.substring(n.indexOf("-s0-"))))
        .containsExactlyInAnyOrder("-s0-0", "-s0-1", "-s0-2", "-s0-3", "-s0-4", "-s0-5");
  }

  @Test
  void skewedIdsGiveShardsWithinTwiceOfEachOther() throws Exception {
    items(
        LongStream.concat(
            LongStream.rangeClosed(1, 10), LongStream.rangeClosed(1_000_000, 1_000_090)),
        id -> "OPEN");

    iterations.iterate(
        IterationQuery.of(Item.class),
        Visitor.class,
        (v, item) -> v.visit(item, "s"),
        v -> v.done("s"),
        IterationOptions.shards(5));
    DeferredTestExtension.awaitIdle();

    assertThat(Visitor.VISITS).hasSize(101);
    List<Integer> sizes = idsByShard().values().stream().map(List::size).toList();
    assertThat(sizes).hasSize(5);
    assertThat(sizes.stream().max(Integer::compare).orElseThrow())
        .isLessThanOrEqualTo(2 * sizes.stream().min(Integer::compare).orElseThrow());
  }

  @Test
  void fewerRowsThanShardsAreEachProcessedOnce() throws Exception {
    items(LongStream.rangeClosed(1, 3), id -> "OPEN");

    Iteration it =
        iterations.iterate(
            IterationQuery.of(Item.class),
            Visitor.class,
            (v, item) -> v.visit(item, "few"),
            v -> v.done("few"),
            IterationOptions.shards(10).deleteMarker(false));
    DeferredTestExtension.awaitIdle();

    assertThat(visitedIds()).containsExactlyInAnyOrder(1L, 2L, 3L);
    assertThat(Visitor.DONE).containsExactly(new Visitor.Done("few", 1, 3));
    IterationProgress p = iterations.progress(it.id()).orElseThrow();
    assertThat(p.state()).isEqualTo(IterationProgress.State.DONE);
    assertThat(p.shards()).isBetween(1, 3);
    assertThat(p.rowsProcessed()).isEqualTo(3);
  }

  @Test
  void anEmptyQueryStillRunsFinalize() throws Exception {
    Iteration it =
        iterations.iterate(
            IterationQuery.of(Item.class),
            Visitor.class,
            (v, item) -> v.visit(item, "e"),
            v -> v.done("e"),
            IterationOptions.shards(5).deleteMarker(false));
    DeferredTestExtension.awaitIdle();

    assertThat(Visitor.VISITS).isEmpty();
    assertThat(Visitor.DONE).containsExactly(new Visitor.Done("e", 1, 0));
    IterationProgress p = iterations.progress(it.id()).orElseThrow();
    assertThat(p.shards()).isZero();
    assertThat(p.state()).isEqualTo(IterationProgress.State.DONE);
  }

  @Test
  void aRolledBackTransactionalStartLeavesNoMarkerAndNoTask() throws Exception {
    items(LongStream.rangeClosed(1, 5), id -> "OPEN");
    long deliveries = DeferredTestExtension.server().deliveries();

    transactions.begin();
    Iteration it =
        iterations.iterate(
            IterationQuery.of(Item.class),
            Visitor.class,
            (v, item) -> v.visit(item, "r"),
            v -> v.done("r"),
            IterationOptions.shards(2));
    assertThat(it.startTask().state()).isEqualTo(DeferredTask.State.PENDING);
    transactions.rollback();
    DeferredTestExtension.awaitIdle();

    assertThat(it.startTask().state()).isEqualTo(DeferredTask.State.DROPPED);
    assertThat(iterations.progress(it.id())).isEmpty();
    assertThat(Visitor.VISITS).isEmpty();
    assertThat(Visitor.DONE).isEmpty();
    assertThat(DeferredTestExtension.server().deliveries()).isEqualTo(deliveries);
  }

  @Test
  void aCommittedTransactionalStartRuns() throws Exception {
    items(LongStream.rangeClosed(1, 4), id -> "OPEN");
    transactions.begin();
    Iteration it =
        iterations.iterate(
            IterationQuery.of(Item.class),
            Visitor.class,
            (v, item) -> v.visit(item, "c"),
            v -> v.done("c"),
            IterationOptions.shards(2));
    transactions.commit();
    DeferredTestExtension.awaitIdle();

    assertThat(it.startTask().state()).isEqualTo(DeferredTask.State.ENQUEUED);
    assertThat(Visitor.VISITS).hasSize(4);
    assertThat(Visitor.DONE).hasSize(1);
  }

  @Test
  void shardsStopQuietlyWhenTheMarkerIsDeletedMidRun() throws Exception {
    items(LongStream.rangeClosed(1, 10), id -> "OPEN");
    AtomicReference<String> id = new AtomicReference<>();
    Visitor.hook =
        row -> {
          if (row.equals(5L)) {
            assertThat(iterations.deleteMarker(id.get())).isTrue();
          }
        };

    Iteration it =
        iterations.iterate(
            IterationQuery.of(Item.class),
            Visitor.class,
            (v, item) -> v.visit(item, "d"),
            v -> v.done("d"),
            IterationOptions.shards(1).batchSize(3));
    id.set(it.id());
    DeferredTestExtension.awaitIdle();

    // Row 5 is in the second batch (4, 5, 6): the shard finishes that batch and stops.
    assertThat(visitedIds()).containsExactly(1L, 2L, 3L, 4L, 5L, 6L);
    assertThat(Visitor.DONE).isEmpty();
    assertThat(iterations.progress(it.id())).isEmpty();
    assertThat(DeferredTestExtension.server().exchanges()).allMatch(e -> e.status() == 200);
  }

  @Test
  void tasksDeliveredAgainAfterTheMarkerWasDeletedStopQuietly() throws Exception {
    items(LongStream.rangeClosed(1, 6), id -> "OPEN");

    Iteration it =
        iterations.iterate(
            IterationQuery.of(Item.class),
            Visitor.class,
            (v, item) -> v.visit(item, "g"),
            v -> v.done("g"),
            IterationOptions.shards(2));
    DeferredTestExtension.awaitIdle();
    assertThat(Visitor.VISITS).hasSize(6);
    assertThat(Visitor.DONE).hasSize(1);
    // Finalize succeeded and the marker was deleted.
    assertThat(iterations.progress(it.id())).isEmpty();

    // Cloud Tasks delivers every task of the iteration again: planning, both shards, finalize.
    List<TaskHttpServer.Exchange> delivered =
        new ArrayList<>(DeferredTestExtension.server().exchanges());
    assertThat(delivered)
        .extracting(e -> e.header("X-CloudTasks-TaskName"))
        .anyMatch(n -> n.endsWith(it.id() + "-plan"))
        .anyMatch(n -> n.endsWith(it.id() + "-s0-0"))
        .anyMatch(n -> n.endsWith(it.id() + "-s1-0"))
        .anyMatch(n -> n.endsWith(it.id() + "-finalize"));
    Visitor.reset();
    long deliveries = DeferredTestExtension.server().deliveries();
    for (TaskHttpServer.Exchange e : delivered) {
      TaskHandler.Response again = TaskHttpServer.send(e.headers(), e.body());
      assertThat(again.status()).as(e.header("X-CloudTasks-TaskName")).isEqualTo(200);
    }
    DeferredTestExtension.awaitIdle();

    assertThat(Visitor.VISITS).isEmpty();
    assertThat(Visitor.DONE).isEmpty();
    assertThat(iterations.progress(it.id())).as("no marker is written again").isEmpty();
    assertThat(DeferredTestExtension.server().deliveries()).as("no task").isEqualTo(deliveries);
  }

  @Test
  void finalizeDeliveredTwiceConcurrentlyAndThenAgainRunsOnce() throws Exception {
    items(LongStream.rangeClosed(1, 4), id -> "OPEN");
    CountDownLatch inFinalize = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    AtomicInteger finalizeCalls = new AtomicInteger();
    Visitor.finalizeHook =
        tag -> {
          int call = finalizeCalls.incrementAndGet();
          if (call == 1) {
            // The first delivery fails, so that its request (the one Cloud Tasks retries) is at
            // hand to deliver again.
            throw new IllegalStateException("planned finalize failure");
          }
          if (call == 2) {
            inFinalize.countDown();
            assertThat(release.await(2, TimeUnit.MINUTES)).isTrue();
          }
        };

    Iteration it;
    TaskHttpServer.Exchange finalize;
    try {
      it =
          iterations.iterate(
              IterationQuery.of(Item.class),
              Visitor.class,
              (v, item) -> v.visit(item, "twice"),
              v -> v.done("twice"),
              IterationOptions.shards(2));
      assertThat(inFinalize.await(2, TimeUnit.MINUTES)).as("finalize retried").isTrue();
      finalize =
          DeferredTestExtension.server().exchanges().stream()
              .filter(e -> e.header("X-CloudTasks-TaskName").endsWith(it.id() + "-finalize"))
              .findFirst()
              .orElseThrow();
      assertThat(finalize.status()).isEqualTo(500);

      // Delivered again while the retry runs finalize: it finds finalize claimed and answers 408,
      // so Cloud Tasks retries it later; finalize does not run a second time.
      TaskHandler.Response concurrent = TaskHttpServer.send(finalize.headers(), finalize.body());
      assertThat(concurrent.status()).isEqualTo(408);
      assertThat(finalizeCalls).hasValue(2);
    } finally {
      release.countDown();
    }
    DeferredTestExtension.awaitIdle();
    assertThat(Visitor.DONE).containsExactly(new Visitor.Done("twice", 1, 4));
    assertThat(iterations.progress(it.id())).isEmpty();

    // Delivered again after finalize succeeded and the marker was deleted: nothing runs.
    TaskHandler.Response later = TaskHttpServer.send(finalize.headers(), finalize.body());
    assertThat(later.status()).isEqualTo(200);
    assertThat(finalizeCalls).hasValue(2);
    assertThat(Visitor.DONE).hasSize(1);
  }

  @Test
  void stringKeysAreProcessedInKeyOrderWithinEachShard() throws Exception {
    List<String> words =
        List.of(
            "pear", "apple", "fig", "kiwi", "lime", "date", "plum", "yuzu", "cherry", "banana",
            "grape", "melon", "olive", "quince");
    inTransaction(
        () -> {
          for (int i = 0; i < words.size(); i++) {
            em.persist(new Word(words.get(i), i % 3));
          }
          return null;
        });

    iterations.iterate(
        IterationQuery.of(Word.class),
        Visitor.class,
        (v, w) -> v.visitWord(w),
        v -> v.doneQuietly(),
        IterationOptions.shards(3).batchSize(2));
    DeferredTestExtension.awaitIdle();

    assertThat(visitedIds()).containsExactlyInAnyOrderElementsOf(words);
    Map<Integer, List<Object>> byShard = idsByShard();
    assertThat(byShard).hasSize(3);
    byShard
        .values()
        .forEach(ids -> assertThat(ids).isSortedAccordingTo(Comparator.comparing(o -> (String) o)));
    assertThat(Visitor.DONE).hasSize(1);
  }

  @Test
  void rowsCanBeProcessedInTheOrderOfAnotherAttribute() throws Exception {
    Map<String, Integer> rank = new TreeMap<>();
    String[] words = {"a", "b", "c", "d", "e", "f", "g", "h", "i", "j", "k", "l"};
    inTransaction(
        () -> {
          for (int i = 0; i < words.length; i++) {
            // Descending with ties: the keyset must use the rank and the id.
            int r = (words.length - i) / 2;
            rank.put(words[i], r);
            em.persist(new Word(words[i], r));
          }
          return null;
        });

    iterations.iterate(
        IterationQuery.of(Word.class).orderBy("rank"),
        Visitor.class,
        (v, w) -> v.visitWord(w),
        v -> v.doneQuietly(),
        IterationOptions.shards(2).batchSize(2));
    DeferredTestExtension.awaitIdle();

    assertThat(visitedIds()).containsExactlyInAnyOrder((Object[]) words);
    for (List<Object> ids : idsByShard().values()) {
      assertThat(ids)
          .isSortedAccordingTo(
              Comparator.<Object>comparingInt(o -> rank.get((String) o))
                  .thenComparing(o -> (String) o));
    }
  }

  @Test
  void rowsInTheOrderOfAnotherAttributeKeepThatOrderAcrossBatchesAndTasks() throws Exception {
    String[] words = {"a", "b", "c", "d", "e", "f", "g", "h", "i", "j", "k", "l"};
    inTransaction(
        () -> {
          for (int i = 0; i < words.length; i++) {
            // Descending with ties, so that the position needs the rank and the id.
            em.persist(new Word(words[i], (words.length - i) / 2));
          }
          return null;
        });
    // Every third row takes longer than the budget: the shard continues in a new task from it,
    // with its position written into the task, and reads batches of two within each task.
    Visitor.hook =
        id -> {
          if ("cfil".contains((String) id)) {
            long until = System.nanoTime() + 30_000_000;
            while (System.nanoTime() < until) {
              Thread.onSpinWait();
            }
          }
        };

    iterations.iterate(
        IterationQuery.of(Word.class).orderBy("rank"),
        Visitor.class,
        (v, w) -> v.visitWord(w),
        v -> v.doneQuietly(),
        IterationOptions.shards(1).batchSize(2).timeBudget(Duration.ofMillis(20)));
    DeferredTestExtension.awaitIdle();

    // rank: a 6, b c 5, d e 4, f g 3, h i 2, j k 1, l 0; ascending by rank, then id.
    assertThat(visitedIds())
        .containsExactly("l", "j", "k", "h", "i", "f", "g", "d", "e", "b", "c", "a");
    assertThat(Visitor.DONE).hasSize(1);
    assertThat(
            DeferredTestExtension.server().exchanges().stream()
                .map(e -> e.header("X-CloudTasks-TaskName"))
                .filter(n -> n.contains("-s0-"))
                .count())
        .isGreaterThan(1);
  }

  @Test
  void sequentialRangesSplitIntegerIdsByValue() throws Exception {
    items(LongStream.concat(LongStream.rangeClosed(1, 100), LongStream.of(1000)), id -> "OPEN");

    Iteration it =
        iterations.iterate(
            IterationQuery.of(Item.class),
            Visitor.class,
            (v, item) -> v.visit(item, "q"),
            v -> v.done("q"),
            IterationOptions.shards(4)
                .keyRanges(KeyRangeStrategy.SequentialIntegers.class)
                .deleteMarker(false));
    DeferredTestExtension.awaitIdle();

    assertThat(ranges(marker(it.id())))
        .containsExactly(
            new IterationEngine.EncodedRange(null, "251"),
            new IterationEngine.EncodedRange("251", "501"),
            new IterationEngine.EncodedRange("501", "751"),
            new IterationEngine.EncodedRange("751", null));
    Map<Integer, List<Object>> byShard = idsByShard();
    assertThat(byShard.get(0)).hasSize(100);
    assertThat(byShard.get(3)).containsExactly(1000L);
    assertThat(Visitor.DONE).hasSize(1);
  }

  @Test
  void aCallbackAnnotatedTransactionalDecidesItsOwnTransaction() throws Exception {
    items(LongStream.rangeClosed(1, 2), id -> "OPEN");

    iterations.iterate(
        IterationQuery.of(Item.class),
        Visitor.class,
        (v, item) -> v.visitWithoutTransaction(item),
        IterationOptions.shards(1));
    DeferredTestExtension.awaitIdle();

    assertThat(Visitor.VISITS).hasSize(2).noneMatch(Visitor.Visit::inTransaction);
  }

  @Test
  void aRowFailingOnEveryAllowedAttemptFailsTheIterationAndIsRecorded() throws Exception {
    items(LongStream.rangeClosed(1, 5), id -> "OPEN");
    Visitor.failOn(3L, 100);

    Iteration it =
        iterations.iterate(
            IterationQuery.of(Item.class),
            Visitor.class,
            (v, item) -> v.visit(item, "x"),
            v -> v.done("x"),
            IterationOptions.shards(1).maxAttempts(2));
    DeferredTestExtension.awaitIdle();

    assertThat(visitedIds()).containsExactly(1L, 2L);
    assertThat(Visitor.DONE).isEmpty();
    IterationProgress p = iterations.progress(it.id()).orElseThrow();
    assertThat(p.state()).isEqualTo(IterationProgress.State.FAILED);
    String message =
        "DEFERRED-5021: iteration "
            + it.id()
            + " failed: shard 0 failed on row 3 on each of its 2 allowed attempts; finalize will"
            + " not run. Fix the row or the callback and start a new iteration";
    assertThat(p.failure().orElseThrow())
        .isEqualTo(message + ": java.lang.IllegalStateException: planned failure on row 3");
    List<TaskFailure> failures = LibraryParts.failureStore().recent(10);
    assertThat(failures).anySatisfy(f -> assertThat(f.message()).isEqualTo(message));
  }

  /** Runs the work and returns what the logger of {@code type} logged meanwhile. */
  private static List<LogRecord> logged(Class<?> type, Callable<?> work) throws Exception {
    List<LogRecord> records = new CopyOnWriteArrayList<>();
    Handler capture =
        new Handler() {
          @Override
          public void publish(LogRecord r) {
            records.add(r);
          }

          @Override
          public void flush() {}

          @Override
          public void close() {}
        };
    Logger logger = Logger.getLogger(type.getName());
    logger.addHandler(capture);
    try {
      work.call();
    } finally {
      logger.removeHandler(capture);
    }
    return records;
  }

  @Test
  void aSlowCallbackIsLoggedWithItsRowId() throws Exception {
    items(LongStream.of(7), id -> "OPEN");
    Visitor.hook =
        id -> {
          long until = System.nanoTime() + 3_000_000;
          while (System.nanoTime() < until) {
            Thread.onSpinWait();
          }
        };
    AtomicReference<Iteration> it = new AtomicReference<>();
    List<LogRecord> log =
        logged(
            IterationEngine.class,
            () -> {
              it.set(
                  iterations.iterate(
                      IterationQuery.of(Item.class),
                      Visitor.class,
                      (v, item) -> v.visit(item, "slow"),
                      IterationOptions.shards(1)));
              DeferredTestExtension.awaitIdle();
              return null;
            });
    assertThat(log)
        .extracting(LogRecord::getMessage)
        .anySatisfy(
            w ->
                assertThat(w)
                    .matches(
                        "DEFERRED-5022: iteration "
                            + it.get().id()
                            + ", shard 0: the callback took \\d+ ms on row 7, more than"
                            + " deferred.iteration.slow-callback \\(1 ms\\)"));
  }

  @Test
  void aRowFailingUntilTheQueueGivesUpFailsTheIterationAndRecordsTheRowAndException()
      throws Exception {
    items(LongStream.rangeClosed(1, 5), id -> "OPEN");
    Visitor.failOn(3L, 100);
    AtomicReference<Iteration> it = new AtomicReference<>();
    List<LogRecord> log =
        logged(
            TaskHandler.class,
            () -> {
              it.set(
                  iterations.iterate(
                      IterationQuery.of(Item.class),
                      Visitor.class,
                      (v, item) -> v.visit(item, "q"),
                      v -> v.done("q"),
                      IterationOptions.shards(1).queue("fragile")));
              DeferredTestExtension.awaitIdle();
              return null;
            });
    String id = it.get().id();

    assertThat(visitedIds()).containsExactly(1L, 2L);
    assertThat(Visitor.DONE).isEmpty();
    // The queue allows 2 attempts: the second failure of the shard's task on row 3 fails the
    // iteration, rather than leaving it running for ever once Cloud Tasks gives up.
    String message =
        "DEFERRED-5021: iteration "
            + id
            + " failed: shard 0 failed on row 3 on each of its 2 allowed attempts; finalize will"
            + " not run. Fix the row or the callback and start a new iteration";
    IterationProgress p = iterations.progress(id).orElseThrow();
    assertThat(p.state()).isEqualTo(IterationProgress.State.FAILED);
    assertThat(p.failure())
        .contains(message + ": java.lang.IllegalStateException: planned failure on row 3");
    TaskFailure failure =
        LibraryParts.failureStore().recent(20).stream()
            .filter(f -> message.equals(f.message()))
            .findFirst()
            .orElseThrow();
    assertThat(failure.queue()).isEqualTo("fragile");
    assertThat(failure.taskName()).endsWith(id + "-s0-1");
    assertThat(failure.stackTrace())
        .contains("java.lang.IllegalStateException: planned failure on row 3");
    // The attempt before was logged with the row id and the exception.
    assertThat(log)
        .anySatisfy(
            r ->
                assertThat(r.getThrown())
                    .hasMessageContaining(
                        "iteration " + id + ", shard 0: the callback failed on row 3")
                    .hasRootCauseMessage("planned failure on row 3"));
  }
}
