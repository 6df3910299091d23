package dev.deferred.impl.health;

import dev.deferred.impl.DeferredRuntime;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

/** The probe of this application, built from its runtime on first use. */
@ApplicationScoped
public class HealthProbes {

  @Inject DeferredRuntime runtime;

  private volatile TaskPathProbe probe;

  TaskPathProbe probe() {
    TaskPathProbe p = probe;
    if (p == null) {
      p =
          new TaskPathProbe(
              runtime.config(),
              () -> runtime.connection().client(),
              runtime.payloadStore(),
              !runtime.payloadStore().getClass().getSimpleName().startsWith("InMemory"));
      probe = p;
    }
    return p;
  }
}
