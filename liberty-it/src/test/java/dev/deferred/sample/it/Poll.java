package dev.deferred.sample.it;

import static org.assertj.core.api.Assertions.fail;

import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Predicate;
import java.util.function.Supplier;

/** Polls a condition with a generous timeout: tasks run asynchronously, on the server. */
final class Poll {

  private static final Duration INTERVAL = Duration.ofMillis(100);

  private Poll() {}

  static <T> T until(String what, Supplier<T> probe, Predicate<T> condition, Duration timeout) {
    return until(what, probe, condition, timeout, INTERVAL);
  }

  /** {@link #until(String, Supplier, Predicate, Duration)}, probing every {@code interval}. */
  static <T> T until(
      String what, Supplier<T> probe, Predicate<T> condition, Duration timeout, Duration interval) {
    Instant deadline = Instant.now().plus(timeout);
    T last = probe.get();
    while (!condition.test(last)) {
      if (Instant.now().isAfter(deadline)) {
        fail("Timed out after " + timeout + " waiting for " + what + "; last seen: " + last);
      }
      LockSupport.parkNanos(interval.toNanos());
      last = probe.get();
    }
    return last;
  }
}
