package dev.deferred;

import java.time.Instant;
import java.util.Map;

/**
 * How many tasks this instance of the application deferred and handled, per queue, since it
 * started: the figures an operator glances at (the application console's queue page shows them).
 * They are the library's own in-process counters, kept whether or not the server has MicroProfile
 * Telemetry; with it, the OpenTelemetry metrics {@code deferred.tasks.deferred}, {@code
 * deferred.tasks.succeeded}, {@code deferred.tasks.retried} and {@code deferred.tasks.failed} count
 * the same events, across instances and over time.
 *
 * <p>Inject it anywhere ({@code @Inject TaskCounts counts;}); it is an application-scoped,
 * thread-safe bean. The counts are per instance (each instance of the application counts what it
 * deferred and what it handled) and start at zero when the application starts.
 *
 * <pre>{@code
 * counts.byQueue().forEach((queue, c) ->
 *     log.info(queue + ": " + c.succeeded() + " succeeded, " + c.failed() + " failed"));
 * }</pre>
 */
public interface TaskCounts {

  /**
   * When counting started: the application's start.
   *
   * @return the instant
   */
  Instant since();

  /**
   * The counts of every configured queue (zeros included) and of any other queue this instance
   * handled a task of, by queue id in alphabetical order.
   *
   * @return an immutable snapshot
   */
  Map<String, QueueCounts> byQueue();

  /**
   * The counts of one queue.
   *
   * @param deferred calls deferred on the queue by this instance (immediate and transactional, once
   *     the defer is accepted; re-defers of failed tasks and the iteration's own tasks included)
   * @param succeeded deliveries handled here whose method returned
   * @param retried deliveries handled here answered with a non-2xx status, so Cloud Tasks retries
   *     them
   * @param failed tasks handled here that failed for good and were recorded as failed tasks
   */
  record QueueCounts(long deferred, long succeeded, long retried, long failed) {}
}
