package dev.deferred.testing;

import java.time.Instant;
import java.util.List;
import java.util.stream.Collectors;

/**
 * A task waiting in a queue, with the call it will make.
 *
 * @param queue the queue id, e.g. {@code default}
 * @param name the task's name (its short id)
 * @param bean the bean type's fully qualified name
 * @param method the method's name
 * @param arguments the arguments: decoded objects for a task of the test's own process (an entity
 *     argument as an {@link EntityReference}); {@code jakarta.json.JsonValue}s for a task read from
 *     a remote server. Empty when the payload could not be read (see {@code bean})
 * @param eta when the task is due (its schedule time)
 * @param attempts how many times it was dispatched already
 */
public record PendingTask(
    String queue,
    String name,
    String bean,
    String method,
    List<Object> arguments,
    Instant eta,
    int attempts) {

  /** Copies the argument list; it may hold {@code null} arguments. */
  public PendingTask {
    arguments = java.util.Collections.unmodifiableList(new java.util.ArrayList<>(arguments));
  }

  /**
   * The bean type's simple name.
   *
   * @return e.g. {@code Mailer} for {@code com.example.Mailer}
   */
  public String beanSimpleName() {
    int dot = bean.lastIndexOf('.');
    return dot < 0 ? bean : bean.substring(dot + 1);
  }

  /**
   * One line for messages: {@code mail/TASK Mailer.send("ada@example.com") eta 2030-01-01T00:00:00Z
   * attempts 0}.
   */
  @Override
  public String toString() {
    return queue
        + "/"
        + name
        + " "
        + beanSimpleName()
        + "."
        + method
        + arguments.stream().map(PendingTask::show).collect(Collectors.joining(", ", "(", ")"))
        + " eta "
        + eta
        + " attempts "
        + attempts;
  }

  private static String show(Object argument) {
    if (argument instanceof CharSequence s) {
      return "\"" + s + "\"";
    }
    return String.valueOf(argument);
  }

  /**
   * A JPA entity argument, listed by type and id rather than loaded.
   *
   * @param entityType the entity class's fully qualified name
   * @param id its id
   */
  public record EntityReference(String entityType, Object id) {
    @Override
    public String toString() {
      return entityType.substring(entityType.lastIndexOf('.') + 1) + "#" + id;
    }
  }
}
