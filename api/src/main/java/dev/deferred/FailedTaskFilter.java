package dev.deferred;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * Which {@link FailedTasks failed tasks} to list or delete. Immutable: each method returns a new
 * filter; criteria combine with "and".
 *
 * <pre>{@code
 * FailedTaskFilter.all()
 *     .queue("mail")
 *     .bean(Mailer.class)
 *     .method("send")
 *     .failedAfter(Instant.now().minus(Duration.ofDays(1)));
 * }</pre>
 */
public final class FailedTaskFilter {

  private static final FailedTaskFilter ALL = new FailedTaskFilter(null, null, null, null, null);

  private final String queue;
  private final String beanType;
  private final String method;
  private final Instant failedAfter;
  private final Instant failedBefore;

  private FailedTaskFilter(
      String queue, String beanType, String method, Instant failedAfter, Instant failedBefore) {
    this.queue = queue;
    this.beanType = beanType;
    this.method = method;
    this.failedAfter = failedAfter;
    this.failedBefore = failedBefore;
  }

  /**
   * The filter that matches every failed task.
   *
   * @return the filter
   */
  public static FailedTaskFilter all() {
    return ALL;
  }

  /**
   * Only tasks of this queue.
   *
   * @param queueId the queue id, e.g. {@code mail}
   * @return a new filter
   */
  public FailedTaskFilter queue(String queueId) {
    return new FailedTaskFilter(
        Objects.requireNonNull(queueId, "queueId"), beanType, method, failedAfter, failedBefore);
  }

  /**
   * Only tasks calling a method of this bean type.
   *
   * @param type the bean type the call was deferred with
   * @return a new filter
   */
  public FailedTaskFilter bean(Class<?> type) {
    return bean(type.getName());
  }

  /**
   * Only tasks calling a method of the bean type with this fully qualified name.
   *
   * @param typeName e.g. {@code com.example.Mailer}
   * @return a new filter
   */
  public FailedTaskFilter bean(String typeName) {
    return new FailedTaskFilter(
        queue, Objects.requireNonNull(typeName, "typeName"), method, failedAfter, failedBefore);
  }

  /**
   * Only tasks calling a method of this name (any overload).
   *
   * @param methodName e.g. {@code send}
   * @return a new filter
   */
  public FailedTaskFilter method(String methodName) {
    return new FailedTaskFilter(
        queue,
        beanType,
        Objects.requireNonNull(methodName, "methodName"),
        failedAfter,
        failedBefore);
  }

  /**
   * Only tasks that failed at or after this instant.
   *
   * @param instant inclusive lower bound of {@link FailedTask#lastAttemptAt()}
   * @return a new filter
   */
  public FailedTaskFilter failedAfter(Instant instant) {
    return new FailedTaskFilter(
        queue, beanType, method, Objects.requireNonNull(instant, "instant"), failedBefore);
  }

  /**
   * Only tasks that failed before this instant.
   *
   * @param instant exclusive upper bound of {@link FailedTask#lastAttemptAt()}
   * @return a new filter
   */
  public FailedTaskFilter failedBefore(Instant instant) {
    return new FailedTaskFilter(
        queue, beanType, method, failedAfter, Objects.requireNonNull(instant, "instant"));
  }

  /**
   * The queue criterion.
   *
   * @return the queue id, or empty for any queue
   */
  public Optional<String> queue() {
    return Optional.ofNullable(queue);
  }

  /**
   * The bean type criterion.
   *
   * @return the fully qualified bean type name, or empty for any bean
   */
  public Optional<String> beanType() {
    return Optional.ofNullable(beanType);
  }

  /**
   * The method name criterion.
   *
   * @return the method name, or empty for any method
   */
  public Optional<String> method() {
    return Optional.ofNullable(method);
  }

  /**
   * The inclusive lower time bound.
   *
   * @return the bound, or empty for none
   */
  public Optional<Instant> failedAfter() {
    return Optional.ofNullable(failedAfter);
  }

  /**
   * The exclusive upper time bound.
   *
   * @return the bound, or empty for none
   */
  public Optional<Instant> failedBefore() {
    return Optional.ofNullable(failedBefore);
  }

  /**
   * Whether this filter matches a failed task.
   *
   * @param task the task
   * @return {@code true} if every criterion holds
   */
  public boolean matches(FailedTask task) {
    return (queue == null || queue.equals(task.queue()))
        && (beanType == null || task.beanType().filter(beanType::equals).isPresent())
        && (method == null || task.methodName().filter(method::equals).isPresent())
        && (failedAfter == null || !task.lastAttemptAt().isBefore(failedAfter))
        && (failedBefore == null || task.lastAttemptAt().isBefore(failedBefore));
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof FailedTaskFilter f
        && Objects.equals(queue, f.queue)
        && Objects.equals(beanType, f.beanType)
        && Objects.equals(method, f.method)
        && Objects.equals(failedAfter, f.failedAfter)
        && Objects.equals(failedBefore, f.failedBefore);
  }

  @Override
  public int hashCode() {
    return Objects.hash(queue, beanType, method, failedAfter, failedBefore);
  }

  @Override
  public String toString() {
    return "FailedTaskFilter[queue=%s, bean=%s, method=%s, failedAfter=%s, failedBefore=%s]"
        .formatted(queue, beanType, method, failedAfter, failedBefore);
  }
}
