package dev.deferred;

import java.time.Instant;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * What the running task knows about itself, from the headers Cloud Tasks sent with it.
 *
 * <p>Inject it anywhere ({@code @Inject TaskContext context;}); it is a request-scoped bean, filled
 * by the task handler (and by the {@link TaskOnly @TaskOnly} filter) after the request was verified
 * to come from Cloud Tasks. Outside a task, {@link #isTask()} is {@code false}, the optional values
 * are empty, and the methods that return a plain value throw {@link IllegalStateException}.
 *
 * <pre>{@code
 * if (context.isTask() && context.retryCount() > 3) {
 *   throw new PermanentTaskFailure("Giving up after " + context.retryCount() + " retries");
 * }
 * }</pre>
 */
public interface TaskContext {

  /**
   * Whether the current request is a task delivered by Cloud Tasks.
   *
   * @return {@code true} inside a task
   */
  boolean isTask();

  /**
   * The short queue id, e.g. {@code reports}.
   *
   * @return the queue id
   * @throws IllegalStateException outside a task
   */
  String queueName();

  /**
   * The short task id (the last segment of the task's resource name).
   *
   * @return the task id
   * @throws IllegalStateException outside a task
   */
  String taskName();

  /**
   * How many times this task has been retried: 0 on the first attempt.
   *
   * @return the retry count
   * @throws IllegalStateException outside a task
   */
  int retryCount();

  /**
   * How many responses Cloud Tasks received for earlier attempts of this task; for HTTP targets it
   * excludes 5xx responses, for App Engine targets it includes them.
   *
   * @return the execution count
   * @throws IllegalStateException outside a task
   */
  int executionCount();

  /**
   * The task's schedule time.
   *
   * @return the schedule time; empty outside a task
   */
  Optional<Instant> eta();

  /**
   * The HTTP status of the previous attempt, on retries only.
   *
   * @return the previous status; empty on a first attempt or outside a task
   */
  OptionalInt previousResponse();

  /**
   * Why the task is retried, as Cloud Tasks says it, on retries only (often empty for HTTP
   * targets).
   *
   * @return the retry reason; empty on a first attempt or outside a task
   */
  Optional<String> retryReason();

  /**
   * The shard index when the task processes one shard of an iteration.
   *
   * @return the shard index; empty outside an iteration shard
   */
  OptionalInt shardIndex();
}
