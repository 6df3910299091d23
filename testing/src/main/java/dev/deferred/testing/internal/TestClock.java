package dev.deferred.testing.internal;

import dev.deferred.emulator.EmulatorClock;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * The emulator's clock in a test: the real time plus what the test advanced. The library computes a
 * countdown's schedule time from the real clock, so a clock that follows real time and jumps when
 * told makes exactly the tasks due whose countdown or ETA the jump covers. Back to the real time at
 * the start of every test (the emulator is emptied first, so no state sees time go back).
 */
public final class TestClock implements EmulatorClock {
  private final CopyOnWriteArrayList<Runnable> listeners = new CopyOnWriteArrayList<>();
  private volatile Duration offset = Duration.ZERO;

  @Override
  public Instant now() {
    return Instant.now().plus(offset);
  }

  /** Moves the clock forward and wakes the emulator. */
  public synchronized Instant advance(Duration amount) {
    if (amount.isNegative()) {
      throw new IllegalArgumentException(TestingMessages.notAllowedNegative(amount));
    }
    offset = offset.plus(amount);
    fire();
    return now();
  }

  /** Back to the real time, for the next test. */
  synchronized void restart() {
    offset = Duration.ZERO;
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
    for (Runnable l : listeners) {
      l.run();
    }
  }
}
