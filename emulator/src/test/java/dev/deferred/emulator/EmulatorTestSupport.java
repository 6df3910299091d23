package dev.deferred.emulator;

import com.google.api.gax.core.NoCredentialsProvider;
import com.google.api.gax.grpc.InstantiatingGrpcChannelProvider;
import com.google.api.gax.rpc.ApiException;
import com.google.cloud.tasks.v2.CloudTasksClient;
import com.google.cloud.tasks.v2.CloudTasksSettings;
import io.grpc.ManagedChannelBuilder;
import java.io.IOException;
import java.util.concurrent.TimeUnit;
import org.assertj.core.api.ThrowableAssert;

/** The official client, wired to an emulator over plaintext gRPC. */
final class EmulatorTestSupport {
  private EmulatorTestSupport() {}

  static final String PROJECT = "test-project";
  static final String LOCATION = "us-central1";
  static final String PARENT = "projects/" + PROJECT + "/locations/" + LOCATION;

  static String queueName(String id) {
    return PARENT + "/queues/" + id;
  }

  static CloudTasksClient client(CloudTasksEmulator emu) throws IOException {
    CloudTasksSettings settings =
        CloudTasksSettings.newBuilder()
            .setEndpoint(emu.grpcTarget())
            .setCredentialsProvider(NoCredentialsProvider.create())
            .setTransportChannelProvider(
                InstantiatingGrpcChannelProvider.newBuilder()
                    .setEndpoint(emu.grpcTarget())
                    .setChannelConfigurator(ManagedChannelBuilder::usePlaintext)
                    .build())
            .build();
    return CloudTasksClient.create(settings);
  }

  static void close(CloudTasksClient client) throws InterruptedException {
    if (client != null) {
      client.close();
      client.awaitTermination(5, TimeUnit.SECONDS);
    }
  }

  /** Runs a call that must fail and returns the API error. */
  static ApiException apiError(ThrowableAssert.ThrowingCallable call) {
    try {
      call.call();
    } catch (ApiException e) {
      return e;
    } catch (Throwable t) {
      throw new AssertionError("Expected an ApiException, got " + t, t);
    }
    throw new AssertionError("Expected the call to fail, it succeeded");
  }
}
