package dev.deferred.impl.iteration;

import dev.deferred.impl.LibraryTaskTarget;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

/**
 * The iteration's tasks, as the task handler invokes them: planning, one shard (or its
 * continuation), finalize. The only library bean whose methods are task targets; see {@link
 * LibraryTaskTarget}.
 */
@ApplicationScoped
@LibraryTaskTarget
public class IterationTasks {

  @Inject IterationEngine engine;

  /** Splits the rows into shards, writes the marker and defers the shard tasks. */
  public void plan(IterationSpec spec) throws Exception {
    engine.plan(spec);
  }

  /** Processes one shard from where its task starts, until done or out of time. */
  public void shard(ShardTask task) throws Exception {
    engine.shard(task);
  }

  /** Runs finalize once, then records it (and deletes the marker if asked). */
  public void finish(IterationSpec spec) throws Exception {
    engine.finish(spec);
  }
}
