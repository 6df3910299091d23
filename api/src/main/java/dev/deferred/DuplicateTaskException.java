package dev.deferred;

/**
 * A task with the requested name exists, or existed within Cloud Tasks' de-duplication window
 * (about an hour). Thrown only when the caller asked for it with {@link
 * DeferOptions#failOnDuplicate()}; otherwise the returned {@link DeferredTask} reports {@link
 * DeferredTask#isDuplicate()}.
 */
public class DuplicateTaskException extends EnqueueException {

  private static final long serialVersionUID = 1L;

  /**
   * Creates a duplicate-name failure.
   *
   * @param queue the queue id
   * @param taskName the task id that was refused
   */
  public DuplicateTaskException(String queue, String taskName) {
    super(
        queue,
        taskName,
        "Task '"
            + taskName
            + "' already exists on queue '"
            + queue
            + "' (or existed within the last hour): choose another name, or drop failOnDuplicate()"
            + " to treat duplicates as already done",
        null);
  }

  /**
   * The task id that was refused.
   *
   * @return the task id
   */
  public String name() {
    return taskName().orElseThrow();
  }
}
