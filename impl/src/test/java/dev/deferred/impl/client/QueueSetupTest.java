package dev.deferred.impl.client;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.api.gax.core.NoCredentialsProvider;
import com.google.api.gax.grpc.GrpcTransportChannel;
import com.google.api.gax.rpc.FixedTransportChannelProvider;
import com.google.cloud.tasks.v2.CloudTasksClient;
import com.google.cloud.tasks.v2.CloudTasksSettings;
import com.google.cloud.tasks.v2.Queue;
import com.google.cloud.tasks.v2.QueueName;
import dev.deferred.emulator.CloudTasksEmulator;
import dev.deferred.impl.config.DeferredConfig;
import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import io.smallrye.config.PropertiesConfigSource;
import io.smallrye.config.SmallRyeConfigBuilder;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Queue creation and update at startup, against the emulator over real gRPC. */
class QueueSetupTest {

  private CloudTasksEmulator emulator;
  private ManagedChannel channel;
  private CloudTasksClient client;

  @BeforeEach
  void start() throws Exception {
    emulator =
        CloudTasksEmulator.builder()
            .host("127.0.0.1")
            .grpcPort(0)
            .httpPort(0)
            .project("shop")
            .location("europe-west1")
            .start();
    channel = ManagedChannelBuilder.forTarget(emulator.grpcTarget()).usePlaintext().build();
    client =
        CloudTasksClient.create(
            CloudTasksSettings.newBuilder()
                .setTransportChannelProvider(
                    FixedTransportChannelProvider.create(GrpcTransportChannel.create(channel)))
                .setCredentialsProvider(NoCredentialsProvider.create())
                .build());
  }

  @AfterEach
  void stop() throws Exception {
    client.close();
    channel.shutdownNow().awaitTermination(10, TimeUnit.SECONDS);
    emulator.close();
  }

  private static DeferredConfig config(Map<String, String> queues) {
    Map<String, String> values = new java.util.HashMap<>(queues);
    values.put("deferred.mode", "emulator");
    values.put("deferred.emulator.host", "unused:1");
    values.put("deferred.emulator.jwks-url", "http://unused/certs");
    values.put("deferred.project", "shop");
    values.put("deferred.location", "europe-west1");
    values.put("deferred.signing.keys", "MDEyMzQ1Njc4OWFiY2RlZjAxMjM0NTY3ODlhYmNkZWY=");
    return DeferredConfig.read(
        new SmallRyeConfigBuilder()
            .withSources(new PropertiesConfigSource(values, "test", 100))
            .build(),
        k -> null);
  }

  private Queue queue(String id) {
    return client.getQueue(QueueName.of("shop", "europe-west1", id));
  }

  @Test
  void missingQueuesAreCreatedAndChangedSettingsUpdated() {
    QueueSetup.Outcome first =
        QueueSetup.sync(
            client,
            config(
                Map.of(
                    "deferred.queues.mail.rate-per-second", "5",
                    "deferred.queues.mail.retry-max-attempts", "7")));

    assertThat(first)
        .isEqualTo(
            new QueueSetup.Outcome(List.of("default", "mail"), List.of(), List.of(), List.of()));
    assertThat(queue("mail").getRateLimits().getMaxDispatchesPerSecond()).isEqualTo(5.0);
    assertThat(queue("mail").getRetryConfig().getMaxAttempts()).isEqualTo(7);
    assertThat(queue("default").getName()).endsWith("/queues/default");

    QueueSetup.Outcome second =
        QueueSetup.sync(
            client,
            config(
                Map.of(
                    "deferred.queues.mail.rate-per-second", "2",
                    "deferred.queues.mail.retry-max-attempts", "7")));

    assertThat(second)
        .isEqualTo(
            new QueueSetup.Outcome(List.of(), List.of("mail"), List.of("default"), List.of()));

    assertThat(queue("mail").getRateLimits().getMaxDispatchesPerSecond()).isEqualTo(2.0);
    assertThat(queue("mail").getRetryConfig().getMaxAttempts()).isEqualTo(7);
  }

  @Test
  void anUnreachableCloudTasksOnlyWarns() throws Exception {
    emulator.close();
    java.util.List<String> warnings = new java.util.concurrent.CopyOnWriteArrayList<>();
    java.util.logging.Handler handler =
        new java.util.logging.Handler() {
          @Override
          public void publish(java.util.logging.LogRecord r) {
            warnings.add(r.getMessage());
          }

          @Override
          public void flush() {}

          @Override
          public void close() {}
        };
    java.util.logging.Logger logger =
        java.util.logging.Logger.getLogger(QueueSetup.class.getName());
    logger.addHandler(handler);
    try {
      // Nothing thrown: the application starts, and a warning names each queue.
      QueueSetup.Outcome outcome =
          QueueSetup.sync(client, config(Map.of("deferred.queues.mail.rate-per-second", "5")));
      assertThat(outcome.failed()).containsExactly("default", "mail");
      assertThat(outcome.created()).isEmpty();
    } finally {
      logger.removeHandler(handler);
    }
    assertThat(warnings)
        .hasSize(2)
        .allMatch(w -> w.startsWith("DEFERRED-0304: Could not create or update queue '"))
        .anyMatch(w -> w.contains("queue 'mail'"))
        .anyMatch(w -> w.contains("queue 'default'"));
  }

  @Test
  void aQueueAnotherInstanceCreatesBetweenTheReadAndTheCreateIsUpdatedNotFailed() throws Exception {
    // Two instances of an application start at once: both read "mail" as missing, the other one
    // creates it first (with other settings), and this one's create is refused as a duplicate.
    java.util.concurrent.atomic.AtomicBoolean raced =
        new java.util.concurrent.atomic.AtomicBoolean();
    io.grpc.ClientInterceptor otherInstanceFirst =
        new io.grpc.ClientInterceptor() {
          @Override
          public <Q, R> io.grpc.ClientCall<Q, R> interceptCall(
              io.grpc.MethodDescriptor<Q, R> method,
              io.grpc.CallOptions options,
              io.grpc.Channel next) {
            return new io.grpc.ForwardingClientCall.SimpleForwardingClientCall<Q, R>(
                next.newCall(method, options)) {
              @Override
              public void sendMessage(Q message) {
                if (message instanceof com.google.cloud.tasks.v2.CreateQueueRequest create
                    && create.getQueue().getName().endsWith("/queues/mail")
                    && raced.compareAndSet(false, true)) {
                  client.createQueue(
                      "projects/shop/locations/europe-west1",
                      Queue.newBuilder()
                          .setName(QueueName.of("shop", "europe-west1", "mail").toString())
                          .setRateLimits(
                              com.google.cloud.tasks.v2.RateLimits.newBuilder()
                                  .setMaxDispatchesPerSecond(1))
                          .build());
                }
                super.sendMessage(message);
              }
            };
          }
        };
    java.util.List<String> warnings = new java.util.concurrent.CopyOnWriteArrayList<>();
    java.util.logging.Handler handler =
        new java.util.logging.Handler() {
          @Override
          public void publish(java.util.logging.LogRecord r) {
            warnings.add(r.getMessage());
          }

          @Override
          public void flush() {}

          @Override
          public void close() {}
        };
    java.util.logging.Logger logger =
        java.util.logging.Logger.getLogger(QueueSetup.class.getName());
    logger.addHandler(handler);
    ManagedChannel racingChannel =
        ManagedChannelBuilder.forTarget(emulator.grpcTarget())
            .usePlaintext()
            .intercept(otherInstanceFirst)
            .build();
    try (CloudTasksClient racing =
        CloudTasksClient.create(
            CloudTasksSettings.newBuilder()
                .setTransportChannelProvider(
                    FixedTransportChannelProvider.create(
                        GrpcTransportChannel.create(racingChannel)))
                .setCredentialsProvider(NoCredentialsProvider.create())
                .build())) {
      QueueSetup.Outcome outcome =
          QueueSetup.sync(
              racing,
              config(
                  Map.of(
                      "deferred.queues.default.rate-per-second", "3",
                      "deferred.queues.mail.rate-per-second", "5")));

      assertThat(raced).isTrue();
      assertThat(outcome)
          .isEqualTo(
              new QueueSetup.Outcome(List.of("default"), List.of("mail"), List.of(), List.of()));
    } finally {
      logger.removeHandler(handler);
      racingChannel.shutdownNow().awaitTermination(10, TimeUnit.SECONDS);
    }
    assertThat(warnings).isEmpty();
    assertThat(queue("mail").getRateLimits().getMaxDispatchesPerSecond()).isEqualTo(5.0);
  }
}
