package dev.deferred;

import java.util.Optional;

/**
 * Cloud Tasks refused a task or could not be reached when it was created. Thrown to the caller of
 * an immediate defer; for a transactional defer, which enqueues after commit, the failure completes
 * {@link DeferredTask#completion()} exceptionally and is logged instead.
 */
public class EnqueueException extends RuntimeException {

  private static final long serialVersionUID = 1L;

  /** The queue id. */
  private final String queue;

  /** The requested task id, or {@code null} for an automatic name. */
  private final String taskName;

  /**
   * Creates an enqueue failure.
   *
   * @param queue the queue id
   * @param taskName the requested task id, or {@code null} for an automatic name
   * @param message what went wrong and what to do about it
   * @param cause the client's exception, or {@code null}
   */
  public EnqueueException(String queue, String taskName, String message, Throwable cause) {
    super(message, cause);
    this.queue = queue;
    this.taskName = taskName;
  }

  /**
   * The queue id.
   *
   * @return the queue id
   */
  public String queue() {
    return queue;
  }

  /**
   * The requested task id.
   *
   * @return the task id; empty for an automatic name
   */
  public Optional<String> taskName() {
    return Optional.ofNullable(taskName);
  }
}
