package dev.deferred;

import java.time.Instant;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * A task that failed for good, as {@link FailedTasks} reads it from the failure store.
 *
 * <p>Nothing here is decoded into the application's classes: the arguments are shown as the JSON
 * the payload carries, and only when the payload's signature verifies.
 *
 * @param id the failure record's id, assigned by the store; pass it to {@link
 *     FailedTasks#find(String)}, {@link FailedTasks#redefer(String)} or {@link
 *     FailedTasks#delete(String)}
 * @param queue the queue id the task ran on
 * @param taskName the task's short id, when Cloud Tasks sent it
 * @param beanType the fully qualified bean type, empty if the payload could not be read
 * @param method the method, as {@code Type.method(ParamType, ...)} with simple names, empty if the
 *     payload could not be read
 * @param arguments the call's arguments in parameter order; empty if the payload is missing,
 *     unreadable, or its signature does not verify
 * @param deliveryOptions the options the call was deferred with that shape its delivery, which
 *     {@link FailedTasks#redefer(String)} applies again, in this order: {@code header NAME} for
 *     each per-call HTTP header, {@code service}, {@code version}, {@code instance} (App Engine
 *     routing), {@code handlerUrl}, {@code dispatchDeadline} (ISO-8601, e.g. {@code PT1M30S}); only
 *     those set, and none when {@code arguments} is empty
 * @param exceptionClass the class name of the failure's cause
 * @param message the cause's message, if it had one
 * @param stackTraceSummary the first lines of the stack trace and of each cause
 * @param attempts how many times the task was attempted, counting the one that failed for good
 * @param firstAttemptAt when the first attempt was dispatched, when Cloud Tasks told it
 * @param lastAttemptAt when the last attempt failed
 * @param redeferredAs the name of the task it was last {@link FailedTasks#redefer(String)
 *     re-deferred} as
 * @param redeferredAt when it was last re-deferred
 * @param redeferrable whether {@link FailedTasks#redefer(String)} can send it again: its whole
 *     payload is recorded, readable, and its signature verifies
 */
public record FailedTask(
    String id,
    String queue,
    Optional<String> taskName,
    Optional<String> beanType,
    Optional<String> method,
    Optional<List<Argument>> arguments,
    Map<String, String> deliveryOptions,
    String exceptionClass,
    Optional<String> message,
    String stackTraceSummary,
    int attempts,
    Optional<Instant> firstAttemptAt,
    Instant lastAttemptAt,
    Optional<String> redeferredAs,
    Optional<Instant> redeferredAt,
    boolean redeferrable) {

  /**
   * A failed task.
   *
   * @throws NullPointerException if a component is {@code null}
   */
  public FailedTask {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(queue, "queue");
    Objects.requireNonNull(taskName, "taskName");
    Objects.requireNonNull(beanType, "beanType");
    Objects.requireNonNull(method, "method");
    arguments = Objects.requireNonNull(arguments, "arguments").map(List::copyOf);
    deliveryOptions =
        Collections.unmodifiableMap(
            new LinkedHashMap<>(Objects.requireNonNull(deliveryOptions, "deliveryOptions")));
    Objects.requireNonNull(exceptionClass, "exceptionClass");
    Objects.requireNonNull(message, "message");
    Objects.requireNonNull(stackTraceSummary, "stackTraceSummary");
    Objects.requireNonNull(firstAttemptAt, "firstAttemptAt");
    Objects.requireNonNull(lastAttemptAt, "lastAttemptAt");
    Objects.requireNonNull(redeferredAs, "redeferredAs");
    Objects.requireNonNull(redeferredAt, "redeferredAt");
  }

  /**
   * The bare method name, e.g. {@code send} for {@code Mailer.send(String)}.
   *
   * @return the method name, empty if the payload could not be read
   */
  public Optional<String> methodName() {
    return method.map(
        m -> {
          int paren = m.indexOf('(');
          String head = paren < 0 ? m : m.substring(0, paren);
          return head.substring(head.lastIndexOf('.') + 1);
        });
  }

  /**
   * One argument of the recorded call.
   *
   * @param type the parameter's declared type, fully qualified
   * @param json the argument as the payload carries it: its JSON-B form, or {@code
   *     {"entity":"com.example.Customer","id":7}} for an entity passed by reference
   */
  public record Argument(String type, String json) {

    /**
     * An argument.
     *
     * @throws NullPointerException if a component is {@code null}
     */
    public Argument {
      Objects.requireNonNull(type, "type");
      Objects.requireNonNull(json, "json");
    }
  }
}
