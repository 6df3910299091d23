package dev.deferred.impl.iteration;

import dev.deferred.DeferredTask;
import dev.deferred.EnqueueException;
import jakarta.annotation.Priority;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.Alternative;
import jakarta.enterprise.inject.spi.BeanManager;
import jakarta.enterprise.inject.spi.BeforeBeanDiscovery;
import jakarta.enterprise.inject.spi.Extension;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The iteration's enqueues, except that the first finalize enqueue fails as an unreachable Cloud
 * Tasks would make it fail: after the marker update that saw the last shard finish had committed.
 */
@Alternative
@Priority(1)
public class FailingFinalizeDefers extends IterationDefers {

  /**
   * Adds the alternative from an extension: listed in {@code @AddBeanClasses}, weld-junit5 would
   * also add the library classes it injects, a second time.
   */
  public static class Registration implements Extension {
    void add(@Observes BeforeBeanDiscovery event, BeanManager beanManager) {
      event.addAnnotatedType(
          beanManager.createAnnotatedType(FailingFinalizeDefers.class),
          FailingFinalizeDefers.class.getName());
    }
  }

  static final AtomicInteger FAILURES_LEFT = new AtomicInteger();
  static final AtomicInteger FAILED = new AtomicInteger();

  @Override
  public DeferredTask finalize(IterationSpec spec) {
    if (FAILURES_LEFT.getAndDecrement() > 0) {
      FAILED.incrementAndGet();
      throw new EnqueueException(
          spec.queue(), finalizeName(spec.id()), "UNAVAILABLE: planned failure", null);
    }
    return super.finalize(spec);
  }
}
