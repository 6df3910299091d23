package dev.deferred.testing;

import java.util.Objects;

/**
 * A task failed while {@link TaskQueues#process} ran it (djangae's {@code TaskFailedError}). Its
 * cause is the exception the task threw (a {@code SingularTaskFailure} or {@code
 * PermanentTaskFailure} included), as the handler's answer carries it, when the task ran in the
 * test's process; {@code null} for a task that ran on a remote server (see that server's log).
 */
public final class TaskFailedError extends AssertionError {
  private static final long serialVersionUID = 1L;

  /** The failed task, as it was pending before the attempt. */
  private final transient PendingTask task;

  /** The attempt that failed, 1 for the first. */
  private final int attempt;

  /** The HTTP status the handler answered; 0 when it is not known (a remote run without answer). */
  private final int status;

  /**
   * Creates the error; used by the testing module.
   *
   * @param message the full message
   * @param task the task as it was pending
   * @param attempt the attempt that failed, from 1
   * @param status the handler's HTTP status, 0 if unknown
   * @param cause the exception the task threw, or {@code null}
   */
  public TaskFailedError(
      String message, PendingTask task, int attempt, int status, Throwable cause) {
    super(message, cause);
    this.task = Objects.requireNonNull(task, "task");
    this.attempt = attempt;
    this.status = status;
  }

  /**
   * The queue of the task.
   *
   * @return the queue id, e.g. {@code default}
   */
  public String queue() {
    return task.queue();
  }

  /**
   * The task's name.
   *
   * @return the short task id
   */
  public String taskName() {
    return task.name();
  }

  /**
   * The failed attempt.
   *
   * @return 1 for the first attempt
   */
  public int attempt() {
    return attempt;
  }

  /**
   * The HTTP status of the handler's answer: 500 for an exception, 200 for a failure the handler
   * acknowledged and recorded (a permanent failure).
   *
   * @return the status, or 0 when unknown
   */
  public int status() {
    return status;
  }

  /**
   * The task as it was pending before the attempt: bean, method, arguments.
   *
   * @return the task
   */
  public PendingTask task() {
    return task;
  }
}
