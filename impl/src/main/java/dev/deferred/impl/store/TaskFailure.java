package dev.deferred.impl.store;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Instant;
import java.util.Arrays;
import java.util.Objects;
import java.util.Optional;

/**
 * A task that failed permanently: it raised {@code PermanentTaskFailure}, exhausted its retry
 * options, or carried a payload that can never be decoded.
 *
 * <p>{@code payload} is the task's whole payload (for a large task, the bytes it had in the {@link
 * PayloadStore}, which the handler deletes only once this record is written), so that an operator
 * can inspect the task and re-create it from the record alone. {@code payloadKey} is set only when
 * the task referred to a stored payload that was missing; {@code payload} is then the reference.
 *
 * @param id identifier assigned by the store; {@code null} before {@link FailureStore#record}
 * @param queue queue name, e.g. {@code mail}
 * @param taskName the task's short id (last segment of the Cloud Tasks name), may be {@code null}
 * @param beanType the bean class name, {@code null} if the payload could not be decoded
 * @param method the method name (and optionally its signature), {@code null} if undecodable
 * @param exceptionClass class name of the failure cause
 * @param message message of the failure cause, may be {@code null}
 * @param stackTrace the full stack trace as text
 * @param failedAt when the failure was recorded
 * @param retryCount the task's retry count when it failed ({@code X-CloudTasks-TaskRetryCount})
 * @param payloadKey the key of a stored payload the task referred to but that was missing, or
 *     {@code null}
 * @param payload the task's whole payload (signed JSON, see {@code PayloadCodec}), or {@code null}
 * @param firstAttemptAt when the task's first attempt was dispatched, if Cloud Tasks told it
 * @param payloadSignature the signature of {@code payload} made when the failure was recorded, so
 *     that a payload altered in the store is never sent again; {@code null} if not signed
 * @param redeferredAs the name of the task it was last re-deferred as, or {@code null}
 * @param redeferredAt when it was last re-deferred, or {@code null}
 */
public record TaskFailure(
    String id,
    String queue,
    String taskName,
    String beanType,
    String method,
    String exceptionClass,
    String message,
    String stackTrace,
    Instant failedAt,
    int retryCount,
    String payloadKey,
    byte[] payload,
    Instant firstAttemptAt,
    String payloadSignature,
    String redeferredAs,
    Instant redeferredAt) {

  public TaskFailure {
    Objects.requireNonNull(queue, "queue");
    Objects.requireNonNull(exceptionClass, "exceptionClass");
    Objects.requireNonNull(failedAt, "failedAt");
    if (retryCount < 0) {
      throw new IllegalArgumentException("retryCount must be >= 0, was " + retryCount);
    }
    payload = payload == null ? null : payload.clone();
  }

  /** A failure without first attempt time, signature or re-deferral. */
  public TaskFailure(
      String id,
      String queue,
      String taskName,
      String beanType,
      String method,
      String exceptionClass,
      String message,
      String stackTrace,
      Instant failedAt,
      int retryCount,
      String payloadKey,
      byte[] payload) {
    this(
        id,
        queue,
        taskName,
        beanType,
        method,
        exceptionClass,
        message,
        stackTrace,
        failedAt,
        retryCount,
        payloadKey,
        payload,
        null,
        null,
        null,
        null);
  }

  /**
   * Builds a failure from a throwable, with no id yet.
   *
   * @return a failure whose exception class, message and stack trace come from {@code cause}
   */
  public static TaskFailure of(
      String queue,
      String taskName,
      String beanType,
      String method,
      Throwable cause,
      Instant failedAt,
      int retryCount,
      String payloadKey,
      byte[] payload) {
    StringWriter trace = new StringWriter();
    cause.printStackTrace(new PrintWriter(trace));
    return new TaskFailure(
        null,
        queue,
        taskName,
        beanType,
        method,
        cause.getClass().getName(),
        cause.getMessage(),
        trace.toString(),
        failedAt,
        retryCount,
        payloadKey,
        payload);
  }

  /** Returns a copy of the payload, so the record stays immutable. */
  @Override
  public byte[] payload() {
    return payload == null ? null : payload.clone();
  }

  /** Returns the payload key, if the payload lives in the payload store. */
  public Optional<String> optionalPayloadKey() {
    return Optional.ofNullable(payloadKey);
  }

  TaskFailure withId(String newId) {
    return new TaskFailure(
        newId,
        queue,
        taskName,
        beanType,
        method,
        exceptionClass,
        message,
        stackTrace,
        failedAt,
        retryCount,
        payloadKey,
        payload,
        firstAttemptAt,
        payloadSignature,
        redeferredAs,
        redeferredAt);
  }

  /**
   * This failure with the time of its first attempt and the signature of its payload.
   *
   * @param firstAttempt when the first attempt was dispatched, or {@code null}
   * @param signature the payload's signature, or {@code null}
   * @return a copy
   */
  public TaskFailure withAttemptAndSignature(Instant firstAttempt, String signature) {
    return new TaskFailure(
        id,
        queue,
        taskName,
        beanType,
        method,
        exceptionClass,
        message,
        stackTrace,
        failedAt,
        retryCount,
        payloadKey,
        payload,
        firstAttempt,
        signature,
        redeferredAs,
        redeferredAt);
  }

  /**
   * This failure marked as re-deferred.
   *
   * @param taskName the new task's name
   * @param at when it was re-deferred
   * @return a copy
   */
  public TaskFailure withRedeferral(String taskName, Instant at) {
    return new TaskFailure(
        id,
        queue,
        this.taskName,
        beanType,
        method,
        exceptionClass,
        message,
        stackTrace,
        failedAt,
        retryCount,
        payloadKey,
        payload,
        firstAttemptAt,
        payloadSignature,
        taskName,
        at);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof TaskFailure f
        && Objects.equals(id, f.id)
        && queue.equals(f.queue)
        && Objects.equals(taskName, f.taskName)
        && Objects.equals(beanType, f.beanType)
        && Objects.equals(method, f.method)
        && exceptionClass.equals(f.exceptionClass)
        && Objects.equals(message, f.message)
        && Objects.equals(stackTrace, f.stackTrace)
        && failedAt.equals(f.failedAt)
        && retryCount == f.retryCount
        && Objects.equals(payloadKey, f.payloadKey)
        && Arrays.equals(payload, f.payload)
        && Objects.equals(firstAttemptAt, f.firstAttemptAt)
        && Objects.equals(payloadSignature, f.payloadSignature)
        && Objects.equals(redeferredAs, f.redeferredAs)
        && Objects.equals(redeferredAt, f.redeferredAt);
  }

  @Override
  public int hashCode() {
    return Objects.hash(id, queue, taskName, failedAt, retryCount) * 31 + Arrays.hashCode(payload);
  }

  @Override
  public String toString() {
    return "TaskFailure[id=%s, queue=%s, task=%s, %s.%s, %s: %s, at %s, retry %d, payloadKey=%s, payload=%s]"
        .formatted(
            id,
            queue,
            taskName,
            beanType,
            method,
            exceptionClass,
            message,
            failedAt,
            retryCount,
            payloadKey,
            payload == null ? "none" : payload.length + " bytes");
  }
}
