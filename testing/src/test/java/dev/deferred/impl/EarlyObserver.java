package dev.deferred.impl;

import dev.deferred.Deferrer;
import dev.deferred.impl.defer.ReportService;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.context.Initialized;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.spi.BeanManager;
import jakarta.inject.Inject;
import jakarta.interceptor.Interceptor;
import java.time.YearMonth;
import java.util.concurrent.atomic.AtomicReference;

/**
 * An application bean that defers at application start, as applications do; with an early priority,
 * so that the order does not depend on the container's choice among equal priorities.
 */
@ApplicationScoped
public class EarlyObserver {
  /** Whether the library had started (its handler URL known) when the application deferred. */
  static final AtomicReference<Boolean> RUNTIME_STARTED = new AtomicReference<>();

  @Inject Deferrer deferrer;
  // Looked up, not injected: weld-junit5 would add an injected library class as a bean again.
  @Inject BeanManager beanManager;

  void onStart(
      @Observes @Priority(Interceptor.Priority.LIBRARY_BEFORE) @Initialized(ApplicationScoped.class) Object event) {
    RUNTIME_STARTED.set(beanManager.createInstance().select(DeferredRuntime.class).get().started());
    deferrer.defer(ReportService.class, r -> r.generate(51L, YearMonth.of(2026, 5)));
  }
}
