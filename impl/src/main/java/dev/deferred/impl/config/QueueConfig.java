package dev.deferred.impl.config;

import java.time.Duration;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.OptionalInt;

/**
 * One queue from {@code deferred.queues.<name>.*}, djangae's {@code CLOUD_TASKS_QUEUES} entry. An
 * empty value leaves Cloud Tasks' default in place.
 */
public record QueueConfig(
    String name,
    OptionalDouble ratePerSecond,
    OptionalInt rateMaxConcurrent,
    OptionalInt retryMaxAttempts,
    Optional<Duration> retryMinBackoff,
    Optional<Duration> retryMaxBackoff,
    OptionalInt retryMaxDoublings,
    Optional<Duration> retryMaxDuration) {

  /** The {@code default} queue when nobody configured it: Cloud Tasks' defaults. */
  public static QueueConfig defaults(String name) {
    return new QueueConfig(
        name,
        OptionalDouble.empty(),
        OptionalInt.empty(),
        OptionalInt.empty(),
        Optional.empty(),
        Optional.empty(),
        OptionalInt.empty(),
        Optional.empty());
  }
}
