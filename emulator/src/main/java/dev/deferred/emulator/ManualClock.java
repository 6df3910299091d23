package dev.deferred.emulator;

import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * An {@link EmulatorClock} that stands still until a test moves it. Give it to {@link
 * CloudTasksEmulator.Builder#clock(EmulatorClock)}; every {@link #advance(Duration)} or {@link
 * #set(Instant)} wakes the emulator's dispatcher, which then dispatches every task that has become
 * due, refills token buckets and expires tombstones according to the new time.
 *
 * <pre>{@code
 * ManualClock clock = new ManualClock(Instant.parse("2030-01-01T00:00:00Z"));
 * try (CloudTasksEmulator emu = CloudTasksEmulator.builder().clock(clock).start()) {
 *   // create a task scheduled in one hour, then:
 *   clock.advance(Duration.ofHours(1)); // the task is dispatched now
 * }
 * }</pre>
 *
 * <p>Thread-safe. Time never moves backwards: {@link #set(Instant)} rejects an earlier instant.
 */
public final class ManualClock implements EmulatorClock {

  private final CopyOnWriteArrayList<Runnable> listeners = new CopyOnWriteArrayList<>();
  private Instant now;

  /** Creates a clock that starts at the current real time. */
  public ManualClock() {
    this(Instant.now());
  }

  /**
   * Creates a clock that starts at the given instant.
   *
   * @param start the initial time
   */
  public ManualClock(Instant start) {
    this.now = Objects.requireNonNull(start, "start");
  }

  @Override
  public synchronized Instant now() {
    return now;
  }

  /**
   * Moves the clock forward and wakes the emulator.
   *
   * @param amount how far to move; must not be negative
   * @return the new time
   * @throws IllegalArgumentException if {@code amount} is negative
   */
  public Instant advance(Duration amount) {
    if (amount.isNegative()) {
      throw new IllegalArgumentException(
          "ManualClock cannot go backwards: advance(" + amount + ") needs a positive duration");
    }
    Instant result;
    synchronized (this) {
      now = now.plus(amount);
      result = now;
    }
    fire();
    return result;
  }

  /**
   * Sets the clock to an instant and wakes the emulator.
   *
   * @param instant the new time; not before the current time
   * @throws IllegalArgumentException if {@code instant} is before the current time
   */
  public void set(Instant instant) {
    synchronized (this) {
      if (instant.isBefore(now)) {
        throw new IllegalArgumentException(
            "ManualClock cannot go backwards: set(" + instant + ") is before " + now);
      }
      now = instant;
    }
    fire();
  }

  @Override
  public void addListener(Runnable listener) {
    listeners.add(Objects.requireNonNull(listener, "listener"));
  }

  @Override
  public void removeListener(Runnable listener) {
    listeners.remove(listener);
  }

  private void fire() {
    for (Runnable listener : listeners) {
      listener.run();
    }
  }
}
