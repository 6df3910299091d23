package dev.deferred.emulator.internal;

import com.google.cloud.tasks.v2.RetryConfig;
import java.time.Duration;

/** The backoff and stop rule of {@code RetryConfig}, as queue.proto describes them. */
public final class RetryPolicy {
  private RetryPolicy() {}

  /**
   * The delay before the next attempt after {@code failedAttempts} failures: min_backoff, doubled
   * max_doublings times, then growing linearly by the last doubled interval, capped at max_backoff.
   * With min 10 s, max 300 s and 3 doublings: 10, 20, 40, 80, 160, 240, 300, 300 s.
   *
   * @param config a normalized retry config
   * @param failedAttempts failures so far, at least 1
   * @return the delay, never negative
   */
  public static Duration backoff(RetryConfig config, int failedAttempts) {
    Duration min = QueueConfigs.toJava(config.getMinBackoff());
    Duration max = QueueConfigs.toJava(config.getMaxBackoff());
    int doublings = config.getMaxDoublings();
    int k = Math.max(1, failedAttempts);
    double minNanos = min.toNanos();
    double nanos;
    if (k - 1 <= doublings) {
      nanos = minNanos * Math.pow(2, Math.min(k - 1, 1000));
    } else {
      nanos = minNanos * Math.pow(2, Math.min(doublings, 1000)) * (double) (k - doublings);
    }
    if (Double.isNaN(nanos) || nanos >= max.toNanos()) {
      return max;
    }
    return Duration.ofNanos((long) nanos);
  }

  /**
   * The stop rule: the task is given up once it has been attempted max_attempts times AND
   * max_retry_duration has passed since its first attempt; an unlimited side (-1 attempts, 0
   * duration) leaves the decision to the other one, both unlimited retry forever.
   *
   * @param config a normalized retry config
   * @param attempts attempts made so far, including the one that just failed
   * @param sinceFirstAttempt time elapsed since the first attempt
   * @return true if no further attempt may be made
   */
  public static boolean exhausted(RetryConfig config, int attempts, Duration sinceFirstAttempt) {
    boolean unlimitedAttempts = config.getMaxAttempts() == -1;
    Duration maxAge = QueueConfigs.toJava(config.getMaxRetryDuration());
    boolean unlimitedAge = maxAge.isZero();
    if (unlimitedAttempts && unlimitedAge) {
      return false;
    }
    boolean attemptsDone = unlimitedAttempts || attempts >= config.getMaxAttempts();
    boolean ageDone = unlimitedAge || sinceFirstAttempt.compareTo(maxAge) >= 0;
    return attemptsDone && ageDone;
  }
}
