package dev.deferred.sample;

import dev.deferred.Deferrer;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.context.Initialized;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;

/**
 * Defers a task while the application starts, as applications do to schedule their first work: the
 * task must reach the handler under the application's context root.
 */
@ApplicationScoped
public class StartupTasks {

  /** The journal key of the task deferred at start. */
  public static final String KEY = "deferred-at-startup";

  @Inject Deferrer deferrer;

  void onStart(@Observes @Initialized(ApplicationScoped.class) Object event) {
    deferrer.defer(Tasks.class, t -> t.record(KEY, "deferred while the application started"));
  }
}
