package dev.deferred.impl.operations;

import java.util.ArrayList;
import java.util.List;
import java.util.logging.Logger;

/**
 * The beans of the integrations a server may or may not provide (MicroProfile Health, the
 * OpenTelemetry API), chosen by whether their API can be loaded: an application on a server without
 * them deploys and works as before, and none of their classes is ever loaded.
 */
public final class OptionalIntegrations {
  private static final Logger LOG = Logger.getLogger(OptionalIntegrations.class.getName());

  static final String HEALTH_API = "org.eclipse.microprofile.health.HealthCheck";

  static final List<String> HEALTH_BEANS =
      List.of(
          "dev.deferred.impl.health.HealthProbes",
          "dev.deferred.impl.health.ReadinessCheck",
          "dev.deferred.impl.health.LivenessCheck");

  static final String TELEMETRY_API = "io.opentelemetry.api.OpenTelemetry";

  static final String TELEMETRY_BEAN = "dev.deferred.impl.telemetry.TelemetryIntegration";

  private OptionalIntegrations() {}

  /**
   * The integration beans to register.
   *
   * @param loader the loader of the library (the application's)
   */
  public static List<Class<?>> beans(ClassLoader loader) {
    List<Class<?>> beans = new ArrayList<>();
    if (present(HEALTH_API, loader)) {
      for (String name : HEALTH_BEANS) {
        beans.add(load(name, loader));
      }
    } else {
      LOG.fine("MicroProfile Health is not available: no health checks");
    }
    if (present(TELEMETRY_API, loader)) {
      beans.add(load(TELEMETRY_BEAN, loader));
    }
    return beans;
  }

  /** Whether {@code className} can be loaded by {@code loader}. */
  public static boolean present(String className, ClassLoader loader) {
    try {
      Class.forName(className, false, loader);
      return true;
    } catch (ClassNotFoundException | LinkageError e) {
      return false;
    }
  }

  private static Class<?> load(String name, ClassLoader loader) {
    try {
      return Class.forName(name, false, loader);
    } catch (ClassNotFoundException e) {
      throw new IllegalStateException("The library's own class " + name + " is missing", e);
    }
  }
}
