package dev.deferred.impl.handler;

import static org.assertj.core.api.Assertions.assertThat;

import dev.deferred.impl.config.QueueConfig;
import java.time.Duration;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.OptionalInt;
import org.junit.jupiter.api.Test;

/**
 * The attempt on which a failing task is recorded and acknowledged, because Cloud Tasks would stop
 * retrying it after that one and drop it without a trace.
 */
class LastAttemptTest {

  private static QueueConfig queue(OptionalInt maxAttempts, Optional<Duration> maxDuration) {
    return new QueueConfig(
        "mail",
        OptionalDouble.empty(),
        OptionalInt.empty(),
        maxAttempts,
        Optional.empty(),
        Optional.empty(),
        OptionalInt.empty(),
        maxDuration);
  }

  @Test
  void aQueueOfOneAttemptRecordsTheTaskOnItsFirstAndOnlyAttempt() {
    assertThat(TaskHandler.lastAttempt(queue(OptionalInt.of(1), Optional.empty())))
        .isEqualTo(OptionalInt.of(1));
  }

  @Test
  void aQueueOfFiveAttemptsRecordsTheTaskOnTheFifth() {
    assertThat(TaskHandler.lastAttempt(queue(OptionalInt.of(5), Optional.empty())))
        .isEqualTo(OptionalInt.of(5));
    assertThat(TaskHandler.lastAttempt(queue(OptionalInt.of(5), Optional.of(Duration.ZERO))))
        .isEqualTo(OptionalInt.of(5));
  }

  @Test
  void noLastAttemptWhenCloudTasksRetriesWithoutACountOrForADuration() {
    // Unlimited (-1, Cloud Tasks' "no limit"), unset, or kept going by a retry duration: Cloud
    // Tasks decides when to stop, so every failure answers a retry.
    assertThat(TaskHandler.lastAttempt(queue(OptionalInt.of(-1), Optional.empty()))).isEmpty();
    assertThat(TaskHandler.lastAttempt(queue(OptionalInt.of(0), Optional.empty()))).isEmpty();
    assertThat(TaskHandler.lastAttempt(queue(OptionalInt.empty(), Optional.empty()))).isEmpty();
    assertThat(TaskHandler.lastAttempt(queue(OptionalInt.of(5), Optional.of(Duration.ofHours(1)))))
        .isEmpty();
    assertThat(TaskHandler.lastAttempt(null)).isEmpty();
  }
}
