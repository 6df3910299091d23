package dev.deferred.sample;

import jakarta.enterprise.context.ApplicationScoped;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The no-op work of the throughput measurements (docs/performance.md): a deferred task and a plain
 * JAX-RS request do the same thing here, count one call, so that what is measured is the way to the
 * method and not the method.
 */
@ApplicationScoped
public class Throughput {

  private final AtomicLong calls = new AtomicLong();

  /** The no-op task and endpoint body: counts the call. */
  public void run() {
    calls.incrementAndGet();
  }

  /** The calls counted since the last {@link #reset()}. */
  public long calls() {
    return calls.get();
  }

  /** Starts counting again from zero. */
  public void reset() {
    calls.set(0);
  }
}
