package dev.deferred.impl.client;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.api.gax.core.NoCredentialsProvider;
import com.google.api.gax.grpc.InstantiatingGrpcChannelProvider;
import com.google.cloud.tasks.v2.CloudTasksClient;
import com.google.cloud.tasks.v2.CloudTasksSettings;
import com.google.cloud.tasks.v2.LocationName;
import com.google.cloud.tasks.v2.Queue;
import com.google.cloud.tasks.v2.QueueName;
import dev.deferred.emulator.CloudTasksEmulator;
import io.grpc.ManagedChannelBuilder;
import org.junit.jupiter.api.Test;

/**
 * Cloud mode opens its client with {@code CloudTasksClient.create()}, whose channel comes from
 * gax's {@link InstantiatingGrpcChannelProvider}. The library's POM leaves out jars of the client
 * that only Google-internal transports use (xDS, ALTS, Conscrypt, the beta protos); this test runs
 * that same channel provider, plaintext against the emulator, so a needed class that was left out
 * fails here and not in production.
 */
class DefaultTransportTest {

  @Test
  void theDefaultChannelProviderWorksWithoutTheExcludedJars() throws Exception {
    try (CloudTasksEmulator emulator =
        CloudTasksEmulator.builder()
            .host("127.0.0.1")
            .grpcPort(0)
            .httpPort(0)
            .project("shop")
            .location("europe-west1")
            .start()) {
      InstantiatingGrpcChannelProvider channels =
          CloudTasksSettings.defaultGrpcTransportProviderBuilder()
              .setEndpoint(emulator.grpcTarget())
              .setChannelConfigurator(ManagedChannelBuilder::usePlaintext)
              .build();
      CloudTasksSettings settings =
          CloudTasksSettings.newBuilder()
              .setTransportChannelProvider(channels)
              .setCredentialsProvider(NoCredentialsProvider.create())
              .build();
      try (CloudTasksClient client = CloudTasksClient.create(settings)) {
        client.createQueue(
            LocationName.of("shop", "europe-west1"),
            Queue.newBuilder()
                .setName(QueueName.of("shop", "europe-west1", "mail").toString())
                .build());

        assertThat(client.getQueue(QueueName.of("shop", "europe-west1", "mail")).getName())
            .endsWith("/queues/mail");
      }
    }
  }
}
