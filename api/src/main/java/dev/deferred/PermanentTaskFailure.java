package dev.deferred;

/**
 * Thrown by a task to say that retrying cannot help: the task is recorded as failed (with its
 * payload, so that it can be re-created), logged as one warning with its message (no stack trace),
 * and answered with 2xx so that Cloud Tasks never retries it. Same meaning as djangae's {@code
 * PermanentTaskFailure}. It is recognised anywhere in the cause chain, so a container's wrapper
 * ({@code EJBException}, {@code TransactionalException}, {@code CompletionException}) keeps its
 * meaning.
 *
 * <pre>{@code
 * Order order = orders.find(id);
 * if (order == null) {
 *   throw new PermanentTaskFailure("Order " + id + " no longer exists");
 * }
 * }</pre>
 */
public class PermanentTaskFailure extends RuntimeException {

  private static final long serialVersionUID = 1L;

  /**
   * Creates a permanent failure.
   *
   * @param message why the task cannot succeed
   */
  public PermanentTaskFailure(String message) {
    super(message);
  }

  /**
   * Creates a permanent failure with a cause.
   *
   * @param message why the task cannot succeed
   * @param cause the underlying failure
   */
  public PermanentTaskFailure(String message, Throwable cause) {
    super(message, cause);
  }
}
