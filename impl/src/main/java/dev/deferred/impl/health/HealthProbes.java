package dev.deferred.impl.health;

import dev.deferred.impl.Library;
import dev.deferred.impl.client.CloudTasksConnection;
import dev.deferred.impl.config.DeferredConfig;
import dev.deferred.impl.store.PayloadStore;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.inject.Provider;

/** The probe of this application, built from the library's parts on first use. */
@ApplicationScoped
public class HealthProbes {

  @Inject @Library DeferredConfig config;
  // A provider: the connection opens on first use, not when the probe is built.
  @Inject @Library Provider<CloudTasksConnection> connection;
  @Inject @Library PayloadStore payloads;

  private volatile TaskPathProbe probe;

  TaskPathProbe probe() {
    TaskPathProbe p = probe;
    if (p == null) {
      p =
          new TaskPathProbe(
              config,
              () -> connection.get().client(),
              payloads,
              !payloads.getClass().getSimpleName().startsWith("InMemory"));
      probe = p;
    }
    return p;
  }
}
