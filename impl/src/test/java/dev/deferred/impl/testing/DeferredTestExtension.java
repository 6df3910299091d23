package dev.deferred.impl.testing;

import dev.deferred.impl.DeferredRuntime;
import dev.deferred.impl.client.EmulatorLauncher;
import jakarta.enterprise.inject.spi.CDI;
import java.time.Duration;
import org.eclipse.microprofile.config.ConfigProvider;
import org.eclipse.microprofile.config.spi.ConfigProviderResolver;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.platform.commons.support.AnnotationSupport;

/** Sets the test class's configuration and runs its task HTTP server; see {@link DeferredTest}. */
public final class DeferredTestExtension implements BeforeAllCallback, AfterAllCallback {

  private static TaskHttpServer server;

  /** The HTTP server of the running test class. */
  public static TaskHttpServer server() {
    return server;
  }

  /** Waits until the embedded emulator has no task queued or running. */
  public static void awaitIdle() {
    EmulatorLauncher emulator =
        CDI.current().select(DeferredRuntime.class).get().connection().emulator().orElseThrow();
    if (!emulator.awaitIdle(Duration.ofSeconds(30))) {
      throw new AssertionError("The emulator did not become idle within 30 seconds");
    }
  }

  @Override
  public void beforeAll(ExtensionContext context) throws Exception {
    System.setProperty("ObjectStoreEnvironmentBean.objectStoreDir", "target/narayana-object-store");
    System.setProperty(
        "com.arjuna.ats.arjuna.objectstore.objectStoreDir", "target/narayana-object-store");
    server = new TaskHttpServer();
    TestConfigSource.VALUES.clear();
    TestConfigSource.VALUES.put("deferred.handler.url", server.url().toString());
    TestConfigSource.VALUES.put("deferred.queues.default.retry-min-backoff", "100ms");
    TestConfigSource.VALUES.put("deferred.queues.default.retry-max-backoff", "200ms");
    DeferredTest test =
        AnnotationSupport.findAnnotation(context.getRequiredTestClass(), DeferredTest.class)
            .orElseThrow();
    for (String entry : test.config()) {
      int eq = entry.indexOf('=');
      TestConfigSource.VALUES.put(entry.substring(0, eq).trim(), entry.substring(eq + 1).trim());
    }
    releaseConfig();
  }

  @Override
  public void afterAll(ExtensionContext context) {
    if (server != null) {
      server.close();
      server = null;
    }
    TestConfigSource.VALUES.clear();
    releaseConfig();
  }

  static void releaseConfig() {
    ConfigProviderResolver resolver = ConfigProviderResolver.instance();
    resolver.releaseConfig(ConfigProvider.getConfig());
  }
}
