package dev.deferred.impl.iteration;

import static org.assertj.core.api.Assertions.assertThat;

import dev.deferred.IterationOptions;
import dev.deferred.IterationProgress;
import dev.deferred.IterationQuery;
import dev.deferred.IterationService;
import dev.deferred.impl.store.IterationMarker;
import dev.deferred.impl.store.MarkerStore;
import dev.deferred.impl.testing.DeferredTestExtension;
import dev.deferred.impl.testing.LibraryParts;
import jakarta.enterprise.context.control.RequestContextController;
import jakarta.enterprise.inject.spi.CDI;
import jakarta.inject.Inject;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Shards finishing together, run against whichever marker store the subclass's configuration
 * selects: the shard tasks are invoked on 50 threads released by one barrier, their marker updates
 * collide, and the finalize tasks they defer go through the emulator to the handler.
 */
abstract class ShardCompletionContract {

  static final int SHARDS = 50;

  // Looked up, not injected: weld-junit5 would add injected library classes as beans again.
  private static IterationEngine engine() {
    return CDI.current().select(IterationEngine.class).get();
  }

  @Inject IterationService iterations;

  @BeforeEach
  void reset() {
    Visitor.reset();
  }

  @AfterEach
  void settle() {
    DeferredTestExtension.awaitIdle();
  }

  private IterationSpec startedIteration(int shards) {
    IterationSpec spec =
        engine()
            .spec(
                IterationQuery.of(Item.class),
                Visitor.class,
                (v, item) -> v.visit(item, "c"),
                v -> v.done("c"),
                IterationOptions.shards(shards).deleteMarker(false));
    MarkerStore markers = LibraryParts.markerStore();
    markers.createIfAbsent(
        IterationMarker.started(spec.id(), shards, "[]", Instant.now()).withReady());
    return spec;
  }

  /** Runs a shard task as the handler does: in a request context of its own. */
  private void runShard(IterationSpec spec, int shard) throws Exception {
    RequestContextController request = CDI.current().select(RequestContextController.class).get();
    request.activate();
    try {
      engine().shard(new ShardTask(spec, shard, null, null, null, null, 0, 0));
    } finally {
      request.deactivate();
    }
  }

  @Test
  void fiftyShardsFinishingAtTheSameMomentRunFinalizeOnceRepeatedly() throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(SHARDS);
    try {
      for (int round = 1; round <= 3; round++) {
        Visitor.reset();
        IterationSpec spec = startedIteration(SHARDS);
        CyclicBarrier start = new CyclicBarrier(SHARDS);
        List<Future<?>> done = new ArrayList<>();
        for (int i = 0; i < SHARDS; i++) {
          int shard = i;
          done.add(
              pool.submit(
                  () -> {
                    start.await(30, TimeUnit.SECONDS);
                    runShard(spec, shard);
                    return null;
                  }));
        }
        for (Future<?> f : done) {
          f.get(120, TimeUnit.SECONDS);
        }
        DeferredTestExtension.awaitIdle();

        assertThat(Visitor.DONE).as("round %d", round).containsExactly(new Visitor.Done("c", 1, 0));
        IterationProgress p = iterations.progress(spec.id()).orElseThrow();
        assertThat(p.state()).isEqualTo(IterationProgress.State.DONE);
        assertThat(p.shardsFinished()).isEqualTo(SHARDS);
      }
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  void aRepeatedShardCompletionDoesNotRunFinalizeEarly() throws Exception {
    IterationSpec spec = startedIteration(3);
    runShard(spec, 0);
    runShard(spec, 0);
    runShard(spec, 1);
    runShard(spec, 1);
    DeferredTestExtension.awaitIdle();

    assertThat(Visitor.DONE).isEmpty();
    IterationProgress p = iterations.progress(spec.id()).orElseThrow();
    assertThat(p.shardsFinished()).isEqualTo(2);
    assertThat(p.state()).isEqualTo(IterationProgress.State.RUNNING);

    runShard(spec, 2);
    DeferredTestExtension.awaitIdle();
    assertThat(Visitor.DONE).hasSize(1);
    assertThat(iterations.progress(spec.id()).orElseThrow().state())
        .isEqualTo(IterationProgress.State.DONE);
  }
}
