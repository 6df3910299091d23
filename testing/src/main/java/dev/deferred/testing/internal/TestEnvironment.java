package dev.deferred.testing.internal;

import com.google.api.gax.core.NoCredentialsProvider;
import com.google.api.gax.grpc.GrpcTransportChannel;
import com.google.api.gax.rpc.FixedTransportChannelProvider;
import com.google.cloud.tasks.v2.CloudTasksClient;
import com.google.cloud.tasks.v2.CloudTasksSettings;
import com.google.cloud.tasks.v2.LocationName;
import com.google.cloud.tasks.v2.Queue;
import dev.deferred.emulator.CloudTasksEmulator;
import dev.deferred.impl.client.QueueSetup;
import dev.deferred.impl.codec.Signer;
import dev.deferred.impl.config.DeferredConfig;
import dev.deferred.impl.config.QueueConfig;
import dev.deferred.testing.TaskQueues;
import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.eclipse.microprofile.config.ConfigProvider;
import org.eclipse.microprofile.config.spi.ConfigProviderResolver;

/**
 * Everything a Deferred test class runs against: the task HTTP server, the emulator on a {@link
 * TestClock}, a Cloud Tasks client of its own, the configuration that points the library at them,
 * and the {@link TaskQueues} driver. One per test class; the running one is {@link #current()}.
 */
public final class TestEnvironment implements AutoCloseable {
  private static volatile TestEnvironment current;

  private final TaskHttpServer server;
  private final TestClock clock;
  private final CloudTasksEmulator emulator;
  private final ManagedChannel channel;
  private final CloudTasksClient client;
  private final String signingKey;
  private final Map<String, String> classEntries;
  private final InProcessDriver driver;
  private volatile DeferredConfig config;
  private volatile Signer signer;

  /** Keys that point the library at this environment: a test cannot change them. */
  private static final Set<String> OWN_KEYS =
      Set.of(
          "deferred.mode",
          "deferred.emulator.host",
          "deferred.emulator.jwks-url",
          "deferred.create-queues");

  private TestEnvironment(List<String> classEntries) throws IOException {
    this.classEntries = parse(classEntries);
    byte[] key = new byte[32];
    new SecureRandom().nextBytes(key);
    this.signingKey = Base64.getEncoder().encodeToString(key);
    this.clock = new TestClock();
    this.server = new TaskHttpServer();
    CloudTasksEmulator started = null;
    ManagedChannel ch = null;
    try {
      started = CloudTasksEmulator.builder().clock(clock).start();
      ch = ManagedChannelBuilder.forTarget(started.grpcTarget()).usePlaintext().build();
      CloudTasksSettings settings =
          CloudTasksSettings.newBuilder()
              .setTransportChannelProvider(
                  FixedTransportChannelProvider.create(GrpcTransportChannel.create(ch)))
              .setCredentialsProvider(NoCredentialsProvider.create())
              .build();
      this.client = CloudTasksClient.create(settings);
    } catch (IOException | RuntimeException e) {
      if (ch != null) {
        ch.shutdownNow();
      }
      if (started != null) {
        started.close();
      }
      server.close();
      throw e;
    }
    this.emulator = started;
    this.channel = ch;
    this.driver = new InProcessDriver(this);
  }

  /**
   * Starts the environment of a test class and makes it the current one.
   *
   * @param classEntries {@code key=value} entries of the class
   */
  public static TestEnvironment start(List<String> classEntries) {
    try {
      TestEnvironment env = new TestEnvironment(classEntries);
      current = env;
      return env;
    } catch (IOException e) {
      throw new UncheckedIOException("The task server of the test could not start", e);
    }
  }

  /**
   * The environment of the running test class.
   *
   * @throws IllegalStateException if no Deferred test runs
   */
  public static TestEnvironment current() {
    TestEnvironment env = current;
    if (env == null) {
      throw new IllegalStateException(TestingMessages.noEnvironment());
    }
    return env;
  }

  /**
   * Sets the configuration the container will read: the library pointed at this environment, the
   * class's entries, then the test's.
   *
   * @param testEntries {@code key=value} entries of one test, may be empty
   */
  public void configure(List<String> testEntries) {
    Map<String, String> values = new LinkedHashMap<>();
    values.put("deferred.mode", "emulator");
    values.put("deferred.emulator.host", emulator.grpcTarget());
    values.put("deferred.emulator.jwks-url", emulator.jwksUri().toString());
    values.put("deferred.signing.keys", signingKey);
    values.put("deferred.handler.url", server.url().toString());
    // The queues are created paused by the test, not by the library.
    values.put("deferred.create-queues", "false");
    Map<String, String> testValues = parse(testEntries);
    Map<String, String> entries = new LinkedHashMap<>(classEntries);
    entries.putAll(testValues);
    for (Map.Entry<String, String> entry : entries.entrySet()) {
      if (OWN_KEYS.contains(entry.getKey())) {
        throw new IllegalArgumentException(
            TestingMessages.ownKey(
                entry.getKey(),
                entry.getValue(),
                testValues.containsKey(entry.getKey()) ? "@TestConfig" : "@DeferredTest(config)"));
      }
    }
    values.putAll(entries);
    TestConfigSource.VALUES.clear();
    TestConfigSource.VALUES.putAll(values);
    releaseConfig();
    // The environment the library sees in the test (none), so both read the same configuration.
    config = DeferredConfig.read(ConfigProvider.getConfig(), new TestHostEnvironment()::variable);
    // A test may set its own keys (rotation): listing verifies with what the library signs with.
    signer = config.signingKeys().isEmpty() ? null : new Signer(config.signingKeys());
  }

  /**
   * Empties the emulator (tasks, queues, name tombstones), puts its clock back to the real time and
   * creates every configured queue, paused.
   */
  public void resetQueues() {
    emulator.reset();
    clock.restart();
    DeferredConfig c = config;
    String parent = LocationName.of(c.project(), c.location()).toString();
    for (QueueConfig q : c.queues().values()) {
      Queue queue = QueueSetup.toQueue(c.project(), c.location(), q);
      client.createQueue(parent, queue);
      client.pauseQueue(queue.getName());
    }
  }

  /** The driver tests get as {@link TaskQueues}. */
  public TaskQueues queues() {
    return driver;
  }

  /** The task HTTP server. */
  public TaskHttpServer server() {
    return server;
  }

  /** The emulator. */
  public CloudTasksEmulator emulator() {
    return emulator;
  }

  TestClock clock() {
    return clock;
  }

  CloudTasksClient client() {
    return client;
  }

  Signer signer() {
    return signer;
  }

  /** The configuration of the running test. */
  public DeferredConfig config() {
    return config;
  }

  @Override
  public void close() {
    if (current == this) {
      current = null;
    }
    driver.close();
    try {
      client.close();
      client.awaitTermination(10, TimeUnit.SECONDS);
      channel.shutdown();
      channel.awaitTermination(10, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } finally {
      emulator.close();
      server.close();
      TestConfigSource.VALUES.clear();
      releaseConfig();
    }
  }

  private static void releaseConfig() {
    ConfigProviderResolver resolver = ConfigProviderResolver.instance();
    resolver.releaseConfig(ConfigProvider.getConfig());
  }

  private static Map<String, String> parse(List<String> entries) {
    Map<String, String> values = new LinkedHashMap<>();
    for (String entry : entries) {
      int eq = entry.indexOf('=');
      if (eq <= 0) {
        throw new IllegalArgumentException(TestingMessages.badEntry(entry));
      }
      values.put(entry.substring(0, eq).trim(), entry.substring(eq + 1).trim());
    }
    return values;
  }
}
