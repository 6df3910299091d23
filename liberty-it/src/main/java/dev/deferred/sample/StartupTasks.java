package dev.deferred.sample;

import dev.deferred.Deferrer;
import dev.deferred.EnqueueException;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.context.Initialized;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.util.logging.Logger;

/**
 * Defers a task while the application starts, as applications do to schedule their first work: the
 * task must reach the handler under the application's context root. A defer that fails here would
 * stop the application's start; the sample starts anyway and says what was not scheduled.
 */
@ApplicationScoped
public class StartupTasks {
  private static final Logger LOG = Logger.getLogger(StartupTasks.class.getName());

  /** The journal key of the task deferred at start. */
  public static final String KEY = "deferred-at-startup";

  @Inject Deferrer deferrer;

  void onStart(@Observes @Initialized(ApplicationScoped.class) Object event) {
    try {
      deferrer.defer(Tasks.class, t -> t.record(KEY, "deferred while the application started"));
    } catch (EnqueueException e) {
      LOG.warning("The start-up task was not scheduled; the application starts without it: " + e);
    }
  }
}
