package dev.deferred.impl.operations;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The optional beans are registered only where their API can be loaded, so an application on a
 * server without MicroProfile Health (or without the OpenTelemetry API) deploys as before.
 */
class OptionalIntegrationsTest {

  /** The test class path as a server without an API would show it. */
  private static final class Without extends ClassLoader {
    private final String hidden;

    Without(String hidden, ClassLoader parent) {
      super(parent);
      this.hidden = hidden;
    }

    @Override
    protected Class<?> loadClass(String name, boolean resolve) throws ClassNotFoundException {
      if (name.startsWith(hidden)) {
        throw new ClassNotFoundException(name);
      }
      return super.loadClass(name, resolve);
    }
  }

  @Test
  void healthChecksAndTelemetryAreRegisteredWhenTheirApisArePresent() {
    List<String> expected = new ArrayList<>(OptionalIntegrations.HEALTH_BEANS);
    expected.add(OptionalIntegrations.TELEMETRY_BEAN);
    assertThat(OptionalIntegrations.beans(getClass().getClassLoader()))
        .extracting(Class::getName)
        .containsExactlyElementsOf(expected);
  }

  @Test
  void noHealthCheckIsRegisteredOrLoadedWithoutMicroProfileHealth() {
    assertThat(
            OptionalIntegrations.beans(
                new Without("org.eclipse.microprofile.health.", getClass().getClassLoader())))
        .extracting(Class::getName)
        .containsExactly(OptionalIntegrations.TELEMETRY_BEAN);
  }

  @Test
  void nothingIsRegisteredWithoutEitherApi() {
    ClassLoader bare =
        new Without(
            "io.opentelemetry.",
            new Without("org.eclipse.microprofile.health.", getClass().getClassLoader()));
    assertThat(OptionalIntegrations.beans(bare)).isEmpty();
  }
}
