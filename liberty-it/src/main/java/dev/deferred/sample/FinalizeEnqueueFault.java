package dev.deferred.sample;

import dev.deferred.DeferredTask;
import dev.deferred.EnqueueException;
import dev.deferred.impl.iteration.IterationDefers;
import dev.deferred.impl.iteration.IterationSpec;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Alternative;
import jakarta.interceptor.Interceptor;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Test instrumentation, not part of the demo: the library's enqueues of an iteration's own tasks,
 * except that the first finalize enqueue of an iteration {@linkplain #failFirstFinalize marked} by
 * the scenario fails, as an unreachable Cloud Tasks would make it fail: after the marker update
 * that saw the last shard finish has committed. Every other iteration's enqueues go through
 * unchanged.
 *
 * <p>It replaces the library's internal {@code IterationDefers} bean (a global alternative), which
 * may change without notice; a real application never does this.
 */
@Alternative
@Priority(Interceptor.Priority.APPLICATION)
@ApplicationScoped
public class FinalizeEnqueueFault extends IterationDefers {

  /** Failures still to throw, then the failures thrown, by iteration id. */
  private static final Map<String, AtomicInteger> TO_FAIL = new ConcurrentHashMap<>();

  private static final Map<String, AtomicInteger> FAILED = new ConcurrentHashMap<>();

  /** Makes the first finalize enqueue of this iteration fail. */
  static void failFirstFinalize(String iterationId) {
    TO_FAIL.put(iterationId, new AtomicInteger(1));
    FAILED.put(iterationId, new AtomicInteger());
  }

  /** How many finalize enqueues of this iteration failed here. */
  static int failures(String iterationId) {
    AtomicInteger failed = FAILED.get(iterationId);
    return failed == null ? 0 : failed.get();
  }

  @Override
  public DeferredTask finalize(IterationSpec spec) {
    AtomicInteger toFail = TO_FAIL.get(spec.id());
    if (toFail != null && toFail.getAndDecrement() > 0) {
      FAILED.get(spec.id()).incrementAndGet();
      throw new EnqueueException(
          spec.queue(), finalizeName(spec.id()), "UNAVAILABLE: planned failure", null);
    }
    return super.finalize(spec);
  }
}
