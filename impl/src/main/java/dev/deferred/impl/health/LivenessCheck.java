package dev.deferred.impl.health;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.Optional;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Liveness;

/**
 * Liveness of the library in this JVM (check {@value ReadinessCheck#NAME}), independent of remote
 * services: see {@link TaskPathProbe#liveness()}. Registered only when MicroProfile Health is
 * present.
 */
@Liveness
@ApplicationScoped
public class LivenessCheck implements HealthCheck {

  @Inject HealthProbes probes;

  @Override
  public HealthCheckResponse call() {
    TaskPathProbe.Result r = probes.probe().liveness();
    return new HealthCheckResponse(
        ReadinessCheck.NAME,
        r.up() ? HealthCheckResponse.Status.UP : HealthCheckResponse.Status.DOWN,
        Optional.of(r.data()));
  }
}
