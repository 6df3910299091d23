package dev.deferred.emulator.internal;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.cloud.tasks.v2.RetryConfig;
import com.google.protobuf.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class RetryPolicyTest {

  private static RetryConfig config(
      int maxAttempts, long maxRetrySeconds, double min, double max, int doublings) {
    return RetryConfig.newBuilder()
        .setMaxAttempts(maxAttempts)
        .setMaxRetryDuration(Duration.newBuilder().setSeconds(maxRetrySeconds))
        .setMinBackoff(Protos.duration(java.time.Duration.ofMillis((long) (min * 1000))))
        .setMaxBackoff(Protos.duration(java.time.Duration.ofMillis((long) (max * 1000))))
        .setMaxDoublings(doublings)
        .build();
  }

  @Test
  void backoffFollowsTheQueueProtoExample() {
    RetryConfig c = config(100, 0, 10, 300, 3);
    List<Long> seconds = new ArrayList<>();
    for (int k = 1; k <= 8; k++) {
      seconds.add(RetryPolicy.backoff(c, k).toSeconds());
    }
    assertThat(seconds).containsExactly(10L, 20L, 40L, 80L, 160L, 240L, 300L, 300L);
  }

  @Test
  void defaultBackoffStartsAtOneTenthOfASecondAndCapsAtAnHour() {
    RetryConfig c = config(100, 0, 0.1, 3600, 16);
    assertThat(RetryPolicy.backoff(c, 1)).isEqualTo(java.time.Duration.ofMillis(100));
    assertThat(RetryPolicy.backoff(c, 2)).isEqualTo(java.time.Duration.ofMillis(200));
    assertThat(RetryPolicy.backoff(c, 100)).isEqualTo(java.time.Duration.ofHours(1));
    assertThat(RetryPolicy.backoff(c, Integer.MAX_VALUE)).isEqualTo(java.time.Duration.ofHours(1));
  }

  @Test
  void stopRuleNeedsBothLimitsAndTreatsUnlimitedSidesAsReached() {
    java.time.Duration young = java.time.Duration.ofSeconds(10);
    java.time.Duration old = java.time.Duration.ofSeconds(100);
    RetryConfig both = config(3, 60, 1, 1, 0);
    assertThat(RetryPolicy.exhausted(both, 3, young)).isFalse();
    assertThat(RetryPolicy.exhausted(both, 2, old)).isFalse();
    assertThat(RetryPolicy.exhausted(both, 3, old)).isTrue();
    RetryConfig attemptsOnly = config(3, 0, 1, 1, 0);
    assertThat(RetryPolicy.exhausted(attemptsOnly, 2, old)).isFalse();
    assertThat(RetryPolicy.exhausted(attemptsOnly, 3, java.time.Duration.ZERO)).isTrue();
    RetryConfig durationOnly = config(-1, 60, 1, 1, 0);
    assertThat(RetryPolicy.exhausted(durationOnly, 1000, young)).isFalse();
    assertThat(RetryPolicy.exhausted(durationOnly, 1, old)).isTrue();
    RetryConfig forever = config(-1, 0, 1, 1, 0);
    assertThat(RetryPolicy.exhausted(forever, 1_000_000, java.time.Duration.ofDays(30))).isFalse();
  }

  @Test
  void burstGrowsWithTheRateWithinOneAndAHundred() {
    assertThat(QueueConfigs.burstFor(0.1)).isEqualTo(1);
    assertThat(QueueConfigs.burstFor(5)).isEqualTo(1);
    assertThat(QueueConfigs.burstFor(6)).isEqualTo(2);
    assertThat(QueueConfigs.burstFor(100)).isEqualTo(20);
    assertThat(QueueConfigs.burstFor(500)).isEqualTo(100);
  }
}
