package dev.deferred.scaleout;

import java.time.Duration;
import java.time.Instant;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.function.Supplier;

/**
 * Waits for a condition on another process (a server, the emulator, the balancer), asked over HTTP:
 * no latch reaches across processes, so the probe is repeated at an interval until the condition
 * holds, for a bounded time.
 */
final class Poll {

  private Poll() {}

  /**
   * The first answer of {@code probe} that satisfies {@code done}.
   *
   * @throws AssertionError naming {@code what} and describing the last answer, after {@code
   *     timeout}
   */
  static <T> T until(
      String what,
      Duration timeout,
      Duration interval,
      Supplier<T> probe,
      Predicate<T> done,
      Function<T, String> describe)
      throws InterruptedException {
    Instant deadline = Instant.now().plus(timeout);
    T last = probe.get();
    while (!done.test(last)) {
      if (Instant.now().isAfter(deadline)) {
        throw new AssertionError(what + " not within " + timeout + ": " + describe.apply(last));
      }
      Thread.sleep(interval.toMillis());
      last = probe.get();
    }
    return last;
  }
}
