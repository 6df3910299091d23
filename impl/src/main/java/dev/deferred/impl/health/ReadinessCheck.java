package dev.deferred.impl.health;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.Optional;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/**
 * Readiness of the task path (check {@value #NAME}): see {@link TaskPathProbe#readiness()}.
 * Registered by the extension only when MicroProfile Health is present.
 */
@Readiness
@ApplicationScoped
public class ReadinessCheck implements HealthCheck {

  /** The check's name in the health report. */
  public static final String NAME = "deferred";

  @Inject HealthProbes probes;

  @Override
  public HealthCheckResponse call() {
    TaskPathProbe.Result r = probes.probe().readiness();
    return new HealthCheckResponse(
        NAME,
        r.up() ? HealthCheckResponse.Status.UP : HealthCheckResponse.Status.DOWN,
        Optional.of(r.data()));
  }
}
