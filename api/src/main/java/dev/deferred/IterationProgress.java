package dev.deferred;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * Where an iteration stands, read from its marker by {@link IterationService#progress(String)}.
 *
 * <pre>{@code
 * iterations.progress(id).ifPresent(p ->
 *     log.info(p.shardsFinished() + "/" + p.shards() + " shards, " + p.rowsProcessed() + " rows"));
 * }</pre>
 *
 * @param id the iteration id
 * @param state the state
 * @param shards how many shards the rows were split into
 * @param shardsFinished how many of them have finished
 * @param rowsProcessed rows whose callback completed, over every shard (a row retried after a
 *     failure counts once)
 * @param startedAt when the shards were planned
 * @param endedAt when finalize succeeded, or the iteration failed; empty before
 * @param failure for {@link State#FAILED}, the row id and the exception; empty otherwise
 */
public record IterationProgress(
    String id,
    State state,
    int shards,
    int shardsFinished,
    long rowsProcessed,
    Instant startedAt,
    Optional<Instant> endedAt,
    Optional<String> failure) {

  /** The states of an iteration. */
  public enum State {
    /** Shards are being planned or processed. */
    RUNNING,
    /** Every shard has finished; finalize is queued or running. */
    FINALIZING,
    /** Finalize succeeded. */
    DONE,
    /** A shard task failed on its last allowed attempt; finalize will not run. */
    FAILED
  }

  /** Checks the components. */
  public IterationProgress {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(state, "state");
    Objects.requireNonNull(startedAt, "startedAt");
    Objects.requireNonNull(endedAt, "endedAt");
    Objects.requireNonNull(failure, "failure");
  }

  /**
   * Finished shards as a fraction, for a progress bar.
   *
   * @return 0 to 1; 1 for an iteration with no shard
   */
  public double fraction() {
    return shards == 0 ? 1.0 : (double) shardsFinished / shards;
  }
}
