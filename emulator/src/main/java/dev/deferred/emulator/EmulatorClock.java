package dev.deferred.emulator;

import java.time.Instant;

/**
 * The time source of a {@link CloudTasksEmulator}: schedule times, the token buckets of the rate
 * limits, retry backoff, tombstone expiry and the stop rule of retries are all measured against it.
 *
 * <p>The default is {@link #system()}. Tests of schedules and backoff inject a {@link ManualClock}
 * and {@linkplain ManualClock#advance(java.time.Duration) advance} it: the emulator registers a
 * listener with {@link #addListener(Runnable)} and re-examines every queue as soon as the time
 * moves, so a task scheduled one hour ahead is dispatched as soon as the test advances the clock by
 * one hour, without waiting.
 *
 * <p>What the clock does not govern: the dispatch deadline (an HTTP request timeout, always real
 * time) and the {@code iat}/{@code exp} claims of OIDC tokens (real wall-clock time, because the
 * verifier that checks them uses the real time).
 *
 * <p>Implementations must be thread-safe; {@link #now()} is called from many threads.
 */
public interface EmulatorClock {

  /**
   * Returns the current instant of this clock.
   *
   * @return the current time, never {@code null}
   */
  Instant now();

  /**
   * Registers a listener that the clock calls, on any thread, whenever its time jumps (for a manual
   * clock: after every {@code advance} or {@code set}). Clocks whose time only flows naturally
   * never call it; this default implementation ignores the listener.
   *
   * @param listener called after each jump; must be fast and must not throw
   */
  default void addListener(Runnable listener) {}

  /**
   * Removes a listener added with {@link #addListener(Runnable)}; unknown listeners are ignored.
   *
   * @param listener the listener to remove
   */
  default void removeListener(Runnable listener) {}

  /**
   * The real wall clock ({@link Instant#now()}).
   *
   * @return a shared, stateless system clock
   */
  static EmulatorClock system() {
    return SystemClock.INSTANCE;
  }

  /** The real wall clock. */
  enum SystemClock implements EmulatorClock {
    /** The only instance. */
    INSTANCE;

    @Override
    public Instant now() {
      return Instant.now();
    }
  }
}
