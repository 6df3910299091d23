package dev.deferred.benchmarks.iteration;

import jakarta.enterprise.context.ApplicationScoped;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicLong;

/** The benchmark's callbacks: a trivial per-row call (a counter) and a finalize that signals. */
@ApplicationScoped
public class Counter {

  public static final AtomicLong ROWS = new AtomicLong();
  public static volatile CountDownLatch done = new CountDownLatch(1);

  public void count(BenchRow row) {
    ROWS.incrementAndGet();
  }

  public void finished() {
    done.countDown();
  }
}
