package dev.deferred.impl.testing;

import dev.deferred.impl.DeferredExtension;
import dev.deferred.testing.internal.TestConfigSource;
import io.smallrye.config.inject.ConfigExtension;
import java.util.Map;
import org.jboss.weld.environment.se.Weld;
import org.jboss.weld.environment.se.WeldContainer;

/** Boots a deployment that must fail, for the negative deployment tests. */
public final class Deployments {
  private Deployments() {}

  /**
   * Deploys the beans with the configuration and returns the failure's message.
   *
   * @throws AssertionError if the deployment succeeds
   */
  public static String failure(Map<String, String> config, Class<?>... beans) {
    TestConfigSource.clear();
    config.forEach(TestConfigSource::put);
    TestEnvironment.reset();
    DeferredTestExtension.releaseConfig();
    Weld weld =
        new Weld()
            .disableDiscovery()
            .addExtension(new DeferredExtension())
            .addExtension(new ConfigExtension())
            .beanClasses(beans)
            .addBeanClass(TestEnvironment.class);
    try (WeldContainer container = weld.initialize()) {
      throw new AssertionError("The deployment succeeded, a failure was expected");
    } catch (jakarta.enterprise.inject.spi.DeploymentException
        | jakarta.enterprise.inject.spi.DefinitionException e) {
      return e.getMessage();
    } finally {
      TestConfigSource.clear();
      DeferredTestExtension.releaseConfig();
    }
  }
}
