package dev.deferred.impl.testing;

import com.google.cloud.tasks.v2.CloudTasksClient;
import com.google.cloud.tasks.v2.QueueName;
import dev.deferred.impl.DeferredRuntime;
import dev.deferred.impl.client.EmulatorLauncher;
import dev.deferred.testing.internal.TaskHttpServer;
import dev.deferred.testing.internal.TestConfigSource;
import io.smallrye.config.SmallRyeConfigBuilder;
import jakarta.enterprise.inject.spi.CDI;
import java.time.Duration;
import org.eclipse.microprofile.config.ConfigProvider;
import org.eclipse.microprofile.config.spi.ConfigProviderResolver;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.platform.commons.support.AnnotationSupport;

/**
 * Sets the test class's configuration and runs its task HTTP server; see {@link DeferredTest}. The
 * server and the configuration source are the testing module's own ({@link TaskHttpServer}, {@link
 * TestConfigSource}); unlike {@code dev.deferred.testing.DeferredTest}, the library runs in
 * embedded mode, its queues running and delivering by themselves.
 */
public final class DeferredTestExtension implements BeforeAllCallback, AfterAllCallback {

  private static TaskHttpServer server;

  /** The HTTP server of the running test class. */
  public static TaskHttpServer server() {
    return server;
  }

  /**
   * The runtime of the running container. Not injected into tests: weld-junit5 would add the class
   * as a bean a second time.
   */
  public static DeferredRuntime runtime() {
    return CDI.current().select(DeferredRuntime.class).get();
  }

  /**
   * Waits until every queue is empty (tasks scheduled later and retries waiting for their backoff
   * included) and no dispatch is in flight, asking the emulator over the Cloud Tasks API.
   */
  public static void awaitIdle() {
    CloudTasksClient client = LibraryParts.connection().client();
    EmulatorLauncher emulator = LibraryParts.connection().emulator().orElseThrow();
    long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
    while (true) {
      // Read before looking at the queues, so a delivery in between wakes the wait below.
      long seen = server.deliveries();
      boolean empty = true;
      for (String queue : LibraryParts.config().queues().keySet()) {
        QueueName name =
            QueueName.of(LibraryParts.config().project(), LibraryParts.config().location(), queue);
        try {
          if (client.listTasks(name).iterateAll().iterator().hasNext()) {
            empty = false;
            break;
          }
        } catch (com.google.api.gax.rpc.NotFoundException e) {
          // a test deleted the queue: nothing can be queued there
        }
      }
      if (empty && emulator.awaitIdle(Duration.ofSeconds(30))) {
        return;
      }
      if (System.nanoTime() > deadline) {
        throw new AssertionError("Tasks were still queued after 60 seconds");
      }
      try {
        // What is still queued waits for its schedule or backoff: the next change is a delivery.
        // The bound covers tasks sent to another URL (the handler-URL option), which this server
        // never sees.
        server.awaitDeliveryAfter(seen, Duration.ofMillis(250));
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new AssertionError("Interrupted while waiting for the queues to empty", e);
      }
    }
  }

  @Override
  public void beforeAll(ExtensionContext context) throws Exception {
    System.setProperty("ObjectStoreEnvironmentBean.objectStoreDir", "target/narayana-object-store");
    System.setProperty(
        "com.arjuna.ats.arjuna.objectstore.objectStoreDir", "target/narayana-object-store");
    server = new TaskHttpServer();
    TestConfigSource.clear();
    TestConfigSource.put("deferred.handler.url", server.url().toString());
    TestConfigSource.put("deferred.queues.default.retry-min-backoff", "100ms");
    TestConfigSource.put("deferred.queues.default.retry-max-backoff", "200ms");
    DeferredTest test =
        AnnotationSupport.findAnnotation(context.getRequiredTestClass(), DeferredTest.class)
            .orElseThrow();
    for (String entry : test.config()) {
      int eq = entry.indexOf('=');
      TestConfigSource.put(entry.substring(0, eq).trim(), entry.substring(eq + 1).trim());
    }
    TestEnvironment.reset();
    for (String entry : test.env()) {
      int eq = entry.indexOf('=');
      TestEnvironment.VARIABLES.put(entry.substring(0, eq).trim(), entry.substring(eq + 1).trim());
    }
    releaseConfig();
  }

  @Override
  public void afterAll(ExtensionContext context) {
    if (server != null) {
      server.close();
      server = null;
    }
    TestConfigSource.clear();
    TestEnvironment.reset();
    ConfigProviderResolver.instance().releaseConfig(ConfigProvider.getConfig());
  }

  /**
   * Sets one configuration value for the containers of the running test class, e.g. from a
   * {@code @BeforeAll} method when the value is only known then (a port).
   */
  public static void configure(String key, String value) {
    TestConfigSource.put(key, value);
    releaseConfig();
  }

  /**
   * Replaces the configuration of the thread's class loader by one that holds only the test's
   * entries ({@link TestConfigSource}): no {@code META-INF/microprofile-config.properties} (this
   * module's own tests declare an application's queues there), no system property, no environment
   * variable, so nothing outside the test class changes what the library reads.
   */
  static void releaseConfig() {
    ConfigProviderResolver resolver = ConfigProviderResolver.instance();
    resolver.releaseConfig(ConfigProvider.getConfig());
    resolver.registerConfig(
        new SmallRyeConfigBuilder()
            .addDefaultInterceptors()
            .addDiscoveredConverters()
            .withSources(new TestConfigSource())
            .build(),
        Thread.currentThread().getContextClassLoader());
  }
}
