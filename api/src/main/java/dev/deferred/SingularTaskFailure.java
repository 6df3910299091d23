package dev.deferred;

/**
 * Thrown by a task to ask for a retry without logging an error: the handler answers 408 (as djangae
 * does; Cloud Tasks retries any non-2xx answer with the queue's backoff, and a 408 does not count
 * as a server error in logs and alerts), and logs the message at debug level only. Use it for
 * expected, transient conditions ("the report is not ready yet"). Same meaning as djangae's {@code
 * SingularTaskFailure}. It is recognised anywhere in the cause chain.
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
