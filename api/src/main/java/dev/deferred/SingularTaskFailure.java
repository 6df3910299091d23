package dev.deferred;

/**
 * Thrown by a task to ask for a retry without logging an error: the handler answers with a non-2xx
 * status so Cloud Tasks retries the task with the queue's backoff, and logs the message at debug
 * level only. Use it for expected, transient conditions ("the report is not ready yet"). Same
 * meaning as djangae's {@code SingularTaskFailure}.
 *
 * <p>A per-task {@link DeferOptions#maxAttempts(int) attempt limit} still applies: when the last
 * allowed attempt ends with this exception, the task is recorded as failed.
 */
public class SingularTaskFailure extends RuntimeException {

  private static final long serialVersionUID = 1L;

  /**
   * Creates a retry request.
   *
   * @param message why the task should be retried
   */
  public SingularTaskFailure(String message) {
    super(message);
  }
}
