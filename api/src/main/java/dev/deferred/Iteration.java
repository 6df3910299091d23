package dev.deferred;

/**
 * The handle of a started iteration, returned at once by {@link IterationService#iterate}.
 *
 * <p>The work happens in tasks: a first task splits the query into shards and defers one task per
 * shard; {@link #id()} names the iteration in {@link IterationService#progress(String)} and in the
 * library's log messages and task names.
 *
 * <pre>{@code
 * Iteration it = iterations.iterate(query, Mailer.class, (m, o) -> m.remind(o), m -> m.done());
 * log.info("reminders started as " + it.id());
 * }</pre>
 */
public interface Iteration {

  /**
   * The iteration id: 32 lowercase hexadecimal characters, unique per call.
   *
   * @return the id
   */
  String id();

  /**
   * The task that starts the iteration. For a transactional start it is {@link
   * DeferredTask.State#PENDING} until the transaction ends, and {@link DeferredTask.State#DROPPED}
   * if it rolls back, in which case nothing at all happens: no marker, no shard.
   *
   * @return the starting task
   */
  DeferredTask startTask();
}
