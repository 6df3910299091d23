package dev.deferred.impl.telemetry;

import dev.deferred.impl.operations.TaskObserver;
import io.opentelemetry.api.OpenTelemetry;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Instance;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Inject;
import java.time.Clock;
import java.util.logging.Logger;

/**
 * Chooses the task observer once: OpenTelemetry metrics and traces when the application has an
 * {@code OpenTelemetry} bean (MicroProfile Telemetry provides one), {@link TaskObserver#NONE}
 * otherwise, so that without telemetry the defer path and the handler pay nothing but this check.
 */
@ApplicationScoped
public class TelemetryIntegration {
  private static final Logger LOG = Logger.getLogger(TelemetryIntegration.class.getName());

  @Inject Instance<OpenTelemetry> telemetry;

  private volatile TaskObserver observer;

  /** The observer for the defer engine and the task handler. */
  @Produces
  TaskObserver observer() {
    TaskObserver o = observer;
    if (o == null) {
      o =
          telemetry.isResolvable()
              ? new OpenTelemetryTaskObserver(telemetry.get(), Clock.systemUTC())
              : TaskObserver.NONE;
      LOG.fine(
          o == TaskObserver.NONE
              ? "No OpenTelemetry bean: no task telemetry"
              : "Task telemetry on");
      observer = o;
    }
    return o;
  }
}
