package dev.deferred.impl.defer;

import static org.assertj.core.api.Assertions.assertThat;

import dev.deferred.DeferredTask;
import dev.deferred.Deferrer;
import dev.deferred.impl.store.InMemoryPayloadStore;
import dev.deferred.impl.testing.DeferredTest;
import dev.deferred.impl.testing.DeferredTestExtension;
import dev.deferred.impl.testing.LibraryParts;
import jakarta.inject.Inject;
import jakarta.transaction.TransactionManager;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.jboss.weld.junit5.auto.AddBeanClasses;
import org.junit.jupiter.api.Test;

/**
 * Fault suite, transactions: committed and rolled-back transactions interleaved on several threads,
 * every task with a payload large enough for the payload store. Exactly the committed tasks run,
 * each once, and no payload is left behind.
 */
@DeferredTest(config = {"deferred.small-task.max-bytes=2000"})
@AddBeanClasses(Ledger.class)
class TransactionalFaultTest {

  static final int THREADS = 4;
  static final int PER_THREAD = 250;
  static final String PADDING = "p".repeat(2500);

  @Inject Deferrer deferrer;
  @Inject TransactionManager transactions;

  @Test
  void fiveHundredCommittedAndFiveHundredRolledBackRunExactlyTheCommittedOnes() throws Exception {
    Ledger.RUNS.clear();
    Map<Integer, DeferredTask> tasks = new ConcurrentHashMap<>();
    CountDownLatch go = new CountDownLatch(1);
    ExecutorService pool = Executors.newFixedThreadPool(THREADS);
    long started = System.nanoTime();
    try {
      List<Future<?>> workers = new ArrayList<>();
      for (int t = 0; t < THREADS; t++) {
        int thread = t;
        workers.add(
            pool.submit(
                () -> {
                  go.await();
                  for (int i = 0; i < PER_THREAD; i++) {
                    // Even ids commit, odd ids roll back, alternating on every thread.
                    int id = thread * PER_THREAD + i;
                    transactions.begin();
                    tasks.put(id, deferrer.defer(Ledger.class, l -> l.record(id, PADDING)));
                    if (id % 2 == 0) {
                      transactions.commit();
                    } else {
                      transactions.rollback();
                    }
                  }
                  return null;
                }));
      }
      go.countDown();
      for (Future<?> w : workers) {
        w.get(5, TimeUnit.MINUTES);
      }
    } finally {
      pool.shutdownNow();
    }
    DeferredTestExtension.awaitIdle();
    long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started);

    int total = THREADS * PER_THREAD;
    assertThat(tasks).hasSize(total);
    Map<DeferredTask.State, AtomicInteger> states = new ConcurrentHashMap<>();
    tasks
        .values()
        .forEach(
            t -> states.computeIfAbsent(t.state(), s -> new AtomicInteger()).incrementAndGet());
    assertThat(states.get(DeferredTask.State.ENQUEUED)).hasValue(total / 2);
    assertThat(states.get(DeferredTask.State.DROPPED)).hasValue(total / 2);
    // Exactly the committed ones ran, each exactly once.
    assertThat(Ledger.RUNS.keySet()).allMatch(id -> id % 2 == 0).hasSize(total / 2);
    assertThat(Ledger.RUNS.values()).allMatch(n -> n.get() == 1);
    assertThat(Ledger.total()).isEqualTo(total / 2);
    // No payload left: run ones were deleted after success, rolled-back ones at rollback.
    assertThat(((InMemoryPayloadStore) LibraryParts.payloadStore()).totalBytes()).isZero();
    System.out.printf(
        "Fault suite, transactions: %d defers on %d threads, %d committed, %d rolled back; %d"
            + " runs, %d duplicated, %d lost, %d payload bytes left; %d ms%n",
        total,
        THREADS,
        total / 2,
        total / 2,
        Ledger.total(),
        Ledger.RUNS.values().stream().filter(n -> n.get() > 1).count(),
        total / 2 - Ledger.RUNS.size(),
        0,
        millis);
  }
}
