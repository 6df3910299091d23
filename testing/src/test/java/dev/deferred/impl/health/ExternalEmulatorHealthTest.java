package dev.deferred.impl.health;

import static org.assertj.core.api.Assertions.assertThat;

import dev.deferred.emulator.CloudTasksEmulator;
import dev.deferred.impl.testing.DeferredTest;
import dev.deferred.impl.testing.DeferredTestExtension;
import jakarta.inject.Inject;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Liveness;
import org.eclipse.microprofile.health.Readiness;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Readiness in emulator mode, against an external emulator that stops and starts again on the same
 * port: UP while it answers, DOWN with {@code DEFERRED-7601} and every queue {@code UNKNOWN} while
 * it is stopped (the first that did not answer and the ones not asked after it), UP again once it
 * is back. Liveness asks no remote service and stays UP.
 */
@DeferredTest(
    config = {
      "deferred.mode=emulator",
      "deferred.create-queues=false",
      "deferred.queues.exports.rate-per-second=5",
      "deferred.signing.keys=MDEyMzQ1Njc4OWFiY2RlZjAxMjM0NTY3ODlhYmNkZWY="
    })
class ExternalEmulatorHealthTest {

  static CloudTasksEmulator emulator;
  static int grpcPort;
  static int httpPort;

  @Inject @Readiness HealthCheck readiness;
  @Inject @Liveness HealthCheck liveness;

  static CloudTasksEmulator start(int grpc, int http) {
    return CloudTasksEmulator.builder()
        .host("127.0.0.1")
        .grpcPort(grpc)
        .httpPort(http)
        .project("deferred-local")
        .location("us-central1")
        .queue("default")
        .queue("exports")
        .start();
  }

  @BeforeAll
  static void externalEmulator() {
    emulator = start(0, 0);
    grpcPort = emulator.grpcPort();
    httpPort = emulator.httpPort();
    DeferredTestExtension.configure("deferred.emulator.host", "127.0.0.1:" + grpcPort);
    DeferredTestExtension.configure("deferred.emulator.jwks-url", emulator.jwksUri().toString());
  }

  @AfterAll
  static void stopEmulator() {
    if (emulator != null) {
      emulator.close();
    }
  }

  @Test
  void readinessIsDownNamingTheEmulatorWhileItIsStoppedAndUpOnceItIsBack() {
    HealthCheckResponse up = readiness.call();
    assertThat(up.getStatus()).isEqualTo(HealthCheckResponse.Status.UP);
    assertThat(up.getData().orElseThrow())
        .containsEntry("mode", "emulator")
        .containsEntry("cloudTasks", "emulator at 127.0.0.1:" + grpcPort)
        .containsEntry("queue.exports", "RUNNING")
        .containsEntry("signingKeys", "1 key")
        .doesNotContainKey("problems");

    emulator.close();
    emulator = null;
    HealthCheckResponse down = readiness.call();

    assertThat(down.getStatus()).isEqualTo(HealthCheckResponse.Status.DOWN);
    assertThat(down.getData().orElseThrow())
        .containsEntry("mode", "emulator")
        .containsEntry("cloudTasks", "emulator at 127.0.0.1:" + grpcPort)
        .containsEntry("queue.default", "UNKNOWN")
        .containsEntry("queue.exports", "UNKNOWN");
    assertThat((String) down.getData().orElseThrow().get("problems"))
        .startsWith("DEFERRED-7601: Cloud Tasks cannot be reached (")
        .endsWith(
            "): check deferred.emulator.host in emulator mode, the network and credentials in"
                + " cloud mode")
        .doesNotContain("DEFERRED-7602");
    assertThat(liveness.call().getStatus()).isEqualTo(HealthCheckResponse.Status.UP);

    emulator = start(grpcPort, httpPort);
    // gRPC reconnects with its own backoff after the refused calls: ask until it has, within
    // bounds.
    long deadline = System.nanoTime() + java.time.Duration.ofSeconds(60).toNanos();
    HealthCheckResponse back = readiness.call();
    while (back.getStatus() != HealthCheckResponse.Status.UP && System.nanoTime() < deadline) {
      java.util.concurrent.locks.LockSupport.parkNanos(200_000_000L);
      back = readiness.call();
    }
    assertThat(back.getStatus())
        .as(String.valueOf(back.getData()))
        .isEqualTo(HealthCheckResponse.Status.UP);
    assertThat(back.getData().orElseThrow()).containsEntry("queue.exports", "RUNNING");
  }
}
