package dev.deferred.emulator.internal;

import com.google.cloud.tasks.v2.Queue;
import com.google.cloud.tasks.v2.RateLimits;
import com.google.cloud.tasks.v2.RetryConfig;
import com.google.protobuf.Duration;

/**
 * Queue defaults, validation and the derived burst size.
 *
 * <p>Burst formula: {@code max_burst_size = clamp(ceil(rate / 5), 1, 100)}, i.e. the bucket holds
 * about 200 ms worth of dispatches. At the default 500/s it gives the documented default burst of
 * 100; at 5/s it gives 1, so 20 tasks created at once take about 4 s, not milliseconds. The real
 * service picks the value itself and documents only that it depends on the rate; this formula
 * reproduces the one published default and grows with the rate as the facts require.
 */
public final class QueueConfigs {
  private QueueConfigs() {}

  public static final double DEFAULT_RATE = 500;
  public static final int DEFAULT_CONCURRENCY = 1000;
  public static final int DEFAULT_MAX_ATTEMPTS = 100;
  static final Duration DEFAULT_MIN_BACKOFF = Duration.newBuilder().setNanos(100_000_000).build();
  static final Duration DEFAULT_MAX_BACKOFF = Duration.newBuilder().setSeconds(3600).build();
  static final int DEFAULT_MAX_DOUBLINGS = 16;

  /**
   * The burst size the emulator derives from a rate (see the class comment).
   *
   * @param rate dispatches per second, in (0, 500]
   * @return the bucket size, 1 to 100
   */
  public static int burstFor(double rate) {
    return (int) Math.max(1, Math.min(100, Math.ceil(rate / 5)));
  }

  /**
   * Validates the settable fields of a queue and fills every unset one with its default.
   *
   * @param queue the requested configuration; name and state are not examined
   * @param keepBurst true for declared queues (queue.yaml's bucket_size becomes max_burst_size);
   *     false for RPCs, where max_burst_size is output only and always derived from the rate
   */
  static Queue normalize(Queue queue, boolean keepBurst) {
    RateLimits rl = queue.getRateLimits();
    double rate = rl.getMaxDispatchesPerSecond();
    if (Double.isNaN(rate) || rate < 0 || rate > 500) {
      throw Errors.invalid(
          "Invalid queue.rate_limits.max_dispatches_per_second "
              + rate
              + ": it must be greater than 0 and at most 500 (dispatches per second).");
    }
    if (rate == 0) {
      rate = DEFAULT_RATE;
    }
    int concurrency = rl.getMaxConcurrentDispatches();
    if (concurrency < 0 || concurrency > 5000) {
      throw Errors.invalid(
          "Invalid queue.rate_limits.max_concurrent_dispatches "
              + concurrency
              + ": it must be between 1 and 5000.");
    }
    if (concurrency == 0) {
      concurrency = DEFAULT_CONCURRENCY;
    }
    int burst = burstFor(rate);
    if (keepBurst && rl.getMaxBurstSize() > 0) {
      if (rl.getMaxBurstSize() > 500) {
        throw Errors.invalid(
            "Invalid queue.rate_limits.max_burst_size "
                + rl.getMaxBurstSize()
                + ": it must be at most 500.");
      }
      burst = rl.getMaxBurstSize();
    }
    RetryConfig rc = queue.getRetryConfig();
    int maxAttempts = rc.getMaxAttempts();
    if (maxAttempts < -1) {
      throw Errors.invalid(
          "Invalid queue.retry_config.max_attempts "
              + maxAttempts
              + ": it must be -1 (unlimited) or a positive number of attempts.");
    }
    if (maxAttempts == 0) {
      maxAttempts = DEFAULT_MAX_ATTEMPTS;
    }
    checkDuration("max_retry_duration", rc.getMaxRetryDuration());
    checkDuration("min_backoff", rc.getMinBackoff());
    checkDuration("max_backoff", rc.getMaxBackoff());
    Duration min = rc.hasMinBackoff() && !isZero(rc.getMinBackoff()) ? rc.getMinBackoff() : null;
    Duration max = rc.hasMaxBackoff() && !isZero(rc.getMaxBackoff()) ? rc.getMaxBackoff() : null;
    if (min == null) {
      min = max != null && compare(max, DEFAULT_MIN_BACKOFF) < 0 ? max : DEFAULT_MIN_BACKOFF;
    }
    if (max == null) {
      max = compare(min, DEFAULT_MAX_BACKOFF) > 0 ? min : DEFAULT_MAX_BACKOFF;
    }
    if (compare(min, max) > 0) {
      throw Errors.invalid(
          "Invalid queue.retry_config: min_backoff ("
              + seconds(min)
              + ") must be less than or equal to max_backoff ("
              + seconds(max)
              + ").");
    }
    int doublings = rc.getMaxDoublings();
    if (doublings < 0) {
      throw Errors.invalid(
          "Invalid queue.retry_config.max_doublings " + doublings + ": it must not be negative.");
    }
    if (doublings == 0) {
      // proto3 cannot tell 0 from unset, and the service picks the default for unset fields.
      doublings = DEFAULT_MAX_DOUBLINGS;
    }
    RetryConfig.Builder retry =
        RetryConfig.newBuilder()
            .setMaxAttempts(maxAttempts)
            .setMinBackoff(min)
            .setMaxBackoff(max)
            .setMaxDoublings(doublings);
    if (rc.hasMaxRetryDuration()) {
      retry.setMaxRetryDuration(rc.getMaxRetryDuration());
    }
    return queue.toBuilder()
        .setRateLimits(
            RateLimits.newBuilder()
                .setMaxDispatchesPerSecond(rate)
                .setMaxBurstSize(burst)
                .setMaxConcurrentDispatches(concurrency))
        .setRetryConfig(retry)
        .build();
  }

  private static void checkDuration(String field, Duration d) {
    if (d.getSeconds() < 0 || d.getNanos() < 0) {
      throw Errors.invalid(
          "Invalid queue.retry_config." + field + " " + seconds(d) + ": it must not be negative.");
    }
  }

  static boolean isZero(Duration d) {
    return d.getSeconds() == 0 && d.getNanos() == 0;
  }

  static int compare(Duration a, Duration b) {
    int c = Long.compare(a.getSeconds(), b.getSeconds());
    return c != 0 ? c : Integer.compare(a.getNanos(), b.getNanos());
  }

  static String seconds(Duration d) {
    return java.time.Duration.ofSeconds(d.getSeconds(), d.getNanos()).toMillis() / 1000.0 + "s";
  }

  static java.time.Duration toJava(Duration d) {
    return java.time.Duration.ofSeconds(d.getSeconds(), d.getNanos());
  }
}
