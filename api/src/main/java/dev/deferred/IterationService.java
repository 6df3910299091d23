package dev.deferred;

import java.util.List;
import java.util.Optional;

/**
 * Processes every row of a JPA query in parallel shards of Cloud Tasks tasks, with a finalize call
 * that runs exactly once when every shard has finished: the counterpart of djangae's {@code
 * defer_iteration_with_finalize}.
 *
 * <p>Inject it anywhere ({@code @Inject IterationService iterations;}); it is an
 * application-scoped, thread-safe bean.
 *
 * <pre>{@code
 * IterationQuery<Order> open =
 *     IterationQuery.of(Order.class).where("e.status = :status").parameter("status", OPEN);
 * Iteration it = iterations.iterate(open, Reminders.class,
 *     (r, order) -> r.remind(order, template),      // once per row, in a shard task
 *     r -> r.allReminded(template),                  // once, after the last shard
 *     IterationOptions.shards(10).queue("batch"));
 *
 * @ApplicationScoped
 * public class Reminders {
 *   @Inject TaskContext task;
 *   public void remind(Order order, String template) { ... task.shardIndex() ... }
 *   public void allReminded(String template) { ... }
 * }
 * }</pre>
 *
 * <h2>What happens</h2>
 *
 * <ol>
 *   <li>At the call site the query is compiled (a typo in the condition fails here), the entity's
 *       id is checked (single, {@link Comparable}), the two lambdas are recorded like {@link
 *       Deferrer#defer} records its lambda, and every argument and query parameter is checked for
 *       the JSON round trip. A first task is deferred and the {@link Iteration} handle returned.
 *   <li>That task splits the rows into id ranges ({@link KeyRangeStrategy}; by default balanced by
 *       row count, sampled from the query), writes the iteration's marker and defers one task per
 *       shard.
 *   <li>A shard task reads its range in id order (or {@link IterationQuery#orderBy(String)}) with
 *       keyset pagination, in batches of {@link IterationOptions#batchSize(int)} rows, clearing the
 *       persistence context between batches, and calls the callback once per row. Before its {@link
 *       IterationOptions#timeBudget(java.time.Duration) time budget} runs out it defers its
 *       continuation from the next row.
 *   <li>When the last shard finishes, the finalize task is deferred; it runs the finalize call once
 *       and then (by default) deletes the marker.
 * </ol>
 *
 * <h2>The callback</h2>
 *
 * <ul>
 *   <li><b>Transactions.</b> Each call runs in a JTA transaction of its own, committed when it
 *       returns and rolled back when it throws, unless the method (or its class) is annotated
 *       {@code @jakarta.transaction.Transactional}: then that annotation alone decides, e.g. {@code
 *       TxType.NOT_SUPPORTED} for no transaction. Finalize follows the same rule.
 *   <li><b>The row.</b> Rows are read in batches before their callbacks' transactions begin, so the
 *       row reaches the callback detached: read it freely; to change it, {@code em.merge(row)} (or
 *       load it) inside the callback.
 *   <li><b>Failures.</b> When the callback throws, the shard defers its continuation from that row:
 *       rows before it are not repeated. When the very first row of a shard task throws, the task
 *       fails and Cloud Tasks retries it with the queue's backoff; the row id and the exception are
 *       logged each time, and on the last attempt ({@link IterationOptions#maxAttempts(int)}, or
 *       the queue's configured {@code retry-max-attempts} if lower) the iteration fails and the
 *       failure is recorded. No row is ever skipped.
 *   <li><b>Slow rows.</b> A call slower than {@code deferred.iteration.slow-callback} (30 s by
 *       default) is logged as a warning naming the row id.
 *   <li><b>Which shard.</b> {@link TaskContext#shardIndex()} tells the callback its shard.
 *   <li><b>At least once.</b> A row is processed once unless a task is lost between processing and
 *       recording its progress (a crashed instance, a lost response); then Cloud Tasks repeats the
 *       task and some rows run again. Make callbacks idempotent where it matters.
 * </ul>
 *
 * <h2>Finalize, exactly once</h2>
 *
 * The marker records the finished shards by index, updated atomically (a Datastore transaction
 * outside embedded mode), so a shard that completes twice counts once and many shards finishing
 * together defer finalize once. The finalize task has a name derived from the iteration id, is
 * deferred again by any later attempt that finds every shard finished (so a failed enqueue is
 * repaired by the retry), and records its success in the marker before the marker is deleted, so a
 * duplicate delivery does nothing; a delivery while finalize runs elsewhere is answered with a
 * retry. If the marker is deleted while shards run, they stop quietly and finalize never runs. A
 * deleted marker leaves a tombstone for 32 days (longer than Cloud Tasks keeps a task), so any task
 * of the iteration delivered after the deletion, the first one included, does nothing.
 */
public interface IterationService {

  /**
   * Starts an iteration with a finalize call on the same bean.
   *
   * @param query the rows
   * @param beanType the bean whose methods are called, resolved through CDI (with {@code @Default})
   *     when the tasks run; an interface or a proxyable class
   * @param callback calls one method of the bean with the row; see {@link RowCallback}
   * @param finalize calls one method of the bean, once, after every row; see {@link DeferredCall};
   *     {@code null} for none
   * @param options the options
   * @param <E> the entity type
   * @param <T> the bean type
   * @return the handle, at once
   * @throws IllegalArgumentException if the entity is not an entity of a persistence unit, has no
   *     single comparable id, the condition does not compile, a parameter is missing or unknown, a
   *     lambda does not call exactly one method (the callback: with the row), no unique bean of
   *     that type exists, or the queue is not configured
   * @throws TaskEncodingException if an argument or parameter does not survive the JSON round trip
   * @throws EnqueueException if the starting task could not be enqueued (never for a transactional
   *     start)
   * @throws IllegalStateException if {@code options} ask for a transactional start and no JTA
   *     transaction is active
   */
  <E, T> Iteration iterate(
      IterationQuery<E> query,
      Class<T> beanType,
      RowCallback<T, E> callback,
      DeferredCall<T> finalize,
      IterationOptions options);

  /**
   * Starts an iteration with a finalize call and default options.
   *
   * @param query the rows
   * @param beanType the bean whose methods are called
   * @param callback calls one method of the bean with the row
   * @param finalize calls one method of the bean once, after every row; {@code null} for none
   * @param <E> the entity type
   * @param <T> the bean type
   * @return the handle
   * @see #iterate(IterationQuery, Class, RowCallback, DeferredCall, IterationOptions)
   */
  default <E, T> Iteration iterate(
      IterationQuery<E> query,
      Class<T> beanType,
      RowCallback<T, E> callback,
      DeferredCall<T> finalize) {
    return iterate(query, beanType, callback, finalize, IterationOptions.defaults());
  }

  /**
   * Starts an iteration without a finalize call.
   *
   * @param query the rows
   * @param beanType the bean whose method is called
   * @param callback calls one method of the bean with the row
   * @param options the options
   * @param <E> the entity type
   * @param <T> the bean type
   * @return the handle
   * @see #iterate(IterationQuery, Class, RowCallback, DeferredCall, IterationOptions)
   */
  default <E, T> Iteration iterate(
      IterationQuery<E> query,
      Class<T> beanType,
      RowCallback<T, E> callback,
      IterationOptions options) {
    return iterate(query, beanType, callback, null, options);
  }

  /**
   * Where an iteration stands.
   *
   * @param iterationId the id of {@link Iteration#id()}
   * @return the progress; empty before the first task has planned the shards, after the marker was
   *     deleted (by default once finalize succeeded), or for an unknown id
   */
  Optional<IterationProgress> progress(String iterationId);

  /**
   * The iterations that have a marker, newest first (by {@link IterationProgress#startedAt()}): the
   * running and finalizing ones, the failed ones, and the finished ones kept with {@link
   * IterationOptions#deleteMarker(boolean) deleteMarker(false)}. An iteration whose marker was
   * deleted (by default once finalize succeeded) is not listed. With a Datastore marker store, the
   * list is shared by every instance of the application.
   *
   * <pre>{@code
   * for (IterationProgress p : iterations.recent(20)) {
   *   log.info(p.id() + " " + p.state() + " " + Math.round(p.fraction() * 100) + "%");
   * }
   * }</pre>
   *
   * @param limit the most iterations returned, 1 to 1000
   * @return at most {@code limit} iterations
   * @throws IllegalArgumentException if {@code limit} is out of range
   * @throws IllegalStateException if the marker store cannot be reached
   */
  List<IterationProgress> recent(int limit);

  /**
   * Deletes an iteration's marker: a finished iteration kept with {@link
   * IterationOptions#deleteMarker(boolean) deleteMarker(false)}, or a running one, whose shards
   * then stop quietly at their next batch and whose finalize never runs. The iteration cannot be
   * started again: its tasks, delivered again, find it deleted.
   *
   * @param iterationId the id
   * @return whether a marker was there
   */
  boolean deleteMarker(String iterationId);
}
