package dev.deferred.testing;

import dev.deferred.Deferrer;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/** Tasks of every kind the module's tests need. */
@ApplicationScoped
public class Chores {
  static final List<String> DONE = new CopyOnWriteArrayList<>();
  static final AtomicInteger FLAKY_RUNS = new AtomicInteger();

  @Inject Deferrer deferrer;

  public void record(String what) {
    DONE.add(what);
  }

  public void fail(String what) {
    throw new IllegalStateException("cannot " + what);
  }

  /** Fails on its first two runs. */
  public void flaky(String what) {
    if (FLAKY_RUNS.incrementAndGet() < 3) {
      throw new IllegalStateException("not yet: " + what);
    }
    DONE.add(what);
  }

  /** Records, then defers another task. */
  public void thenRecord(String what) {
    DONE.add("first " + what);
    deferrer.defer(Chores.class, c -> c.record(what));
  }

  /** Defers itself again on every run: never lets the queue empty. */
  public void forever(int round) {
    DONE.add("round " + round);
    deferrer.defer(Chores.class, c -> c.forever(round + 1));
  }
}
