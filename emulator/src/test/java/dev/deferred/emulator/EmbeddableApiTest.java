package dev.deferred.emulator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The embeddable API's contract: addresses, defaults, start failures, close. */
class EmbeddableApiTest {

  @Test
  void addressesDescribeTheBoundPorts() throws Exception {
    try (CloudTasksEmulator emu = CloudTasksEmulator.builder().start()) {
      assertThat(emu.grpcPort()).isPositive();
      assertThat(emu.httpPort()).isPositive().isNotEqualTo(emu.grpcPort());
      assertThat(emu.grpcTarget()).isEqualTo("127.0.0.1:" + emu.grpcPort());
      assertThat(emu.httpBaseUrl()).isEqualTo(URI.create("http://127.0.0.1:" + emu.httpPort()));
      assertThat(emu.jwksUri()).isEqualTo(URI.create(emu.httpBaseUrl() + "/oauth2/v3/certs"));
      assertThat(emu.oidcIssuer()).isEqualTo("https://accounts.google.com");
      assertThat(emu.project()).isEqualTo("dev-project");
      assertThat(emu.location()).isEqualTo("us-central1");
      assertThat(emu.awaitIdle(Duration.ofSeconds(5))).isTrue();
      HttpResponse<String> jwks =
          HttpClient.newHttpClient()
              .send(
                  HttpRequest.newBuilder(emu.jwksUri()).build(),
                  HttpResponse.BodyHandlers.ofString());
      assertThat(jwks.body()).contains("\"kty\":\"RSA\"");
    }
  }

  @Test
  void closeIsIdempotentAndReleasesThePorts() {
    CloudTasksEmulator emu = CloudTasksEmulator.builder().start();
    int grpc = emu.grpcPort();
    int http = emu.httpPort();
    emu.close();
    emu.close();
    try (CloudTasksEmulator again =
        CloudTasksEmulator.builder().grpcPort(grpc).httpPort(http).start()) {
      assertThat(again.grpcPort()).isEqualTo(grpc);
      assertThat(again.httpPort()).isEqualTo(http);
    }
  }

  @Test
  void aPortInUseFailsTheStartWithTheAddress() {
    try (CloudTasksEmulator first = CloudTasksEmulator.builder().start()) {
      assertThatThrownBy(() -> CloudTasksEmulator.builder().httpPort(first.httpPort()).start())
          .isInstanceOf(UncheckedIOException.class)
          .hasMessageContaining("HTTP port " + first.httpPort());
    }
  }

  @Test
  void anInvalidDeclaredQueueFailsTheStartNamingIt() {
    assertThatThrownBy(() -> CloudTasksEmulator.builder().queue("bad_queue").start())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("Queue ID \"bad_queue\"");
  }

  @Test
  void builderRejectsBadSettingsAtOnce() {
    assertThatThrownBy(() -> CloudTasksEmulator.builder().grpcPort(70000))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("70000");
    assertThatThrownBy(() -> CloudTasksEmulator.builder().appEngineTarget(URI.create("ftp://x")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("ftp://x");
    assertThatThrownBy(() -> CloudTasksEmulator.builder().taskTombstoneTtl(Duration.ofSeconds(-1)))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new ManualClock().advance(Duration.ofSeconds(-1)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("backwards");
  }
}
