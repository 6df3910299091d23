package dev.deferred.impl.handler;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.function.Function;

/**
 * The task headers Cloud Tasks sends: {@code X-CloudTasks-*} for HTTP targets, {@code
 * X-AppEngine-*} for App Engine targets. Only read after the request was authenticated.
 */
public record TaskHeaders(
    String queueName,
    String taskName,
    int retryCount,
    int executionCount,
    Optional<Instant> eta,
    OptionalInt previousResponse,
    Optional<String> retryReason) {

  public static TaskHeaders from(Function<String, String> header) {
    return new TaskHeaders(
        value(header, "QueueName").orElse("unknown"),
        value(header, "TaskName").orElse("unknown"),
        integer(header, "TaskRetryCount").orElse(0),
        integer(header, "TaskExecutionCount").orElse(0),
        value(header, "TaskETA").flatMap(TaskHeaders::epochSeconds),
        integer(header, "TaskPreviousResponse"),
        value(header, "TaskRetryReason"));
  }

  private static Optional<String> value(Function<String, String> header, String suffix) {
    String v = header.apply("X-CloudTasks-" + suffix);
    if (v == null) {
      v = header.apply("X-AppEngine-" + suffix);
    }
    return Optional.ofNullable(v);
  }

  private static OptionalInt integer(Function<String, String> header, String suffix) {
    Optional<String> v = value(header, suffix);
    if (v.isEmpty()) {
      return OptionalInt.empty();
    }
    try {
      return OptionalInt.of(Integer.parseInt(v.get().trim()));
    } catch (NumberFormatException e) {
      return OptionalInt.empty();
    }
  }

  private static Optional<Instant> epochSeconds(String text) {
    try {
      BigDecimal seconds = new BigDecimal(text.trim());
      long whole = seconds.longValue();
      long nanos = seconds.subtract(BigDecimal.valueOf(whole)).movePointRight(9).longValue();
      return Optional.of(Instant.ofEpochSecond(whole, nanos));
    } catch (NumberFormatException | ArithmeticException e) {
      return Optional.empty();
    }
  }
}
