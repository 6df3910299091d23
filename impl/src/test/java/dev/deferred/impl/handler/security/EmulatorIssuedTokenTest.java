package dev.deferred.impl.handler.security;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.api.gax.core.NoCredentialsProvider;
import com.google.api.gax.grpc.InstantiatingGrpcChannelProvider;
import com.google.cloud.tasks.v2.CloudTasksClient;
import com.google.cloud.tasks.v2.CloudTasksSettings;
import com.google.cloud.tasks.v2.HttpMethod;
import com.google.cloud.tasks.v2.HttpRequest;
import com.google.cloud.tasks.v2.OidcToken;
import com.google.cloud.tasks.v2.Queue;
import com.google.cloud.tasks.v2.Task;
import com.google.protobuf.ByteString;
import com.sun.net.httpserver.HttpServer;
import dev.deferred.emulator.CloudTasksEmulator;
import dev.deferred.impl.handler.security.AuthenticationResult.Rejected;
import dev.deferred.impl.handler.security.AuthenticationResult.Verified;
import io.grpc.ManagedChannelBuilder;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Clock;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The verifier against what the Cloud Tasks emulator really sends: a task with an OIDC token is
 * created through the official client over gRPC, the emulator dispatches it over HTTP to a
 * recording handler, and the recorded {@code Authorization} header is checked against the
 * emulator's published keys.
 */
class EmulatorIssuedTokenTest {
  private static final String SERVICE_ACCOUNT = "tasks@dev-project.iam.gserviceaccount.com";

  private CloudTasksEmulator emulator;
  private CloudTasksClient client;
  private HttpServer handler;
  private final BlockingQueue<Map<String, String>> received = new ArrayBlockingQueue<>(10);

  @BeforeEach
  void start() throws IOException {
    handler = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    handler.createContext(
        "/_ah/queue/deferred",
        exchange -> {
          try (exchange) {
            String authorization = exchange.getRequestHeaders().getFirst("Authorization");
            received.add(Map.of("Authorization", authorization == null ? "" : authorization));
            exchange.sendResponseHeaders(204, -1);
          }
        });
    handler.start();
    emulator = CloudTasksEmulator.builder().queue("deferred").start();
    client =
        CloudTasksClient.create(
            CloudTasksSettings.newBuilder()
                .setCredentialsProvider(NoCredentialsProvider.create())
                .setTransportChannelProvider(
                    InstantiatingGrpcChannelProvider.newBuilder()
                        .setEndpoint(emulator.grpcTarget())
                        .setChannelConfigurator(ManagedChannelBuilder::usePlaintext)
                        .build())
                .build());
  }

  @AfterEach
  void stop() throws InterruptedException {
    if (client != null) {
      client.close();
      client.awaitTermination(10, TimeUnit.SECONDS);
    }
    if (emulator != null) {
      emulator.close();
    }
    handler.stop(0);
  }

  private String handlerUrl() {
    return "http://127.0.0.1:" + handler.getAddress().getPort() + "/_ah/queue/deferred";
  }

  private Map<String, String> dispatch(String audience) throws InterruptedException {
    Queue queue =
        client.getQueue(
            "projects/%s/locations/%s/queues/deferred"
                .formatted(emulator.project(), emulator.location()));
    OidcToken.Builder oidc = OidcToken.newBuilder().setServiceAccountEmail(SERVICE_ACCOUNT);
    if (audience != null) {
      oidc.setAudience(audience);
    }
    client.createTask(
        queue.getName(),
        Task.newBuilder()
            .setHttpRequest(
                HttpRequest.newBuilder()
                    .setUrl(handlerUrl())
                    .setHttpMethod(HttpMethod.POST)
                    .setBody(ByteString.copyFromUtf8("{}"))
                    .setOidcToken(oidc))
            .build());
    Map<String, String> headers = received.poll(60, TimeUnit.SECONDS);
    assertThat(headers).as("the emulator dispatched the task within 60 s").isNotNull();
    return headers;
  }

  private CloudTasksAuthenticator verifier(String audience, String serviceAccount) {
    return CloudTasksAuthenticators.emulator(
        new OidcSettings(
            audience,
            serviceAccount,
            java.util.Set.of(emulator.oidcIssuer()),
            OidcSettings.DEFAULT_CLOCK_SKEW),
        emulator.jwksUri(),
        Clock.systemUTC());
  }

  @Test
  void tokenTheEmulatorSendsWithTheDefaultAudienceIsVerified() throws InterruptedException {
    Function<String, String> headers = dispatch(null)::get;
    assertThat(headers.apply("Authorization")).startsWith("Bearer ");
    assertThat(verifier(handlerUrl(), SERVICE_ACCOUNT).authenticate(headers))
        .isEqualTo(new Verified("OIDC token of " + SERVICE_ACCOUNT));
  }

  @Test
  void tokenTheEmulatorSendsWithAnExplicitAudienceIsVerifiedForThatAudienceOnly()
      throws InterruptedException {
    Function<String, String> headers = dispatch("https://app.example.com")::get;
    assertThat(verifier("https://app.example.com", SERVICE_ACCOUNT).authenticate(headers))
        .isInstanceOf(Verified.class);
    assertThat(verifier(handlerUrl(), SERVICE_ACCOUNT).authenticate(headers))
        .isInstanceOfSatisfying(
            Rejected.class, r -> assertThat(r.reason()).startsWith("DEFERRED-2017:"));
  }

  @Test
  void tokenForAnotherServiceAccountIsRejected() throws InterruptedException {
    Function<String, String> headers = dispatch(null)::get;
    assertThat(
            verifier(handlerUrl(), "other@dev-project.iam.gserviceaccount.com")
                .authenticate(headers))
        .isInstanceOfSatisfying(
            Rejected.class, r -> assertThat(r.reason()).startsWith("DEFERRED-2018:"));
  }

  @Test
  void tokenFromAnotherEmulatorIsRejected() throws InterruptedException {
    Function<String, String> headers = dispatch(null)::get;
    // A second emulator has its own key: a token signed by the first must not verify against it.
    try (CloudTasksEmulator other = CloudTasksEmulator.builder().start()) {
      CloudTasksAuthenticator otherKeys =
          CloudTasksAuthenticators.emulator(
              OidcSettings.google(handlerUrl(), SERVICE_ACCOUNT),
              other.jwksUri(),
              Clock.systemUTC());
      assertThat(otherKeys.authenticate(headers))
          .isInstanceOfSatisfying(
              Rejected.class, r -> assertThat(r.reason()).startsWith("DEFERRED-2014:"));
    }
  }
}
