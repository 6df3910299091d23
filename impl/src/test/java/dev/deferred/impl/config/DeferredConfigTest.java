package dev.deferred.impl.config;

import static org.assertj.core.api.Assertions.assertThat;

import io.smallrye.config.PropertiesConfigSource;
import io.smallrye.config.SmallRyeConfigBuilder;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

class DeferredConfigTest {

  private static DeferredConfig read(Map<String, String> values, Map<String, String> env) {
    return DeferredConfig.read(
        new SmallRyeConfigBuilder()
            .withSources(new PropertiesConfigSource(values, "test", 100))
            .build(),
        env::get);
  }

  @Test
  void withNothingConfiguredTheModeIsEmbeddedWithTheDefaultQueue() {
    DeferredConfig c = read(Map.of(), Map.of());
    assertThat(c.problems()).isEmpty();
    assertThat(c.mode()).isEqualTo(Mode.EMBEDDED);
    assertThat(c.project()).isEqualTo("deferred-local");
    assertThat(c.queues()).containsOnlyKeys("default");
    assertThat(c.signingKeys()).isEmpty();
    assertThat(c.handlerPath()).isEqualTo("/_ah/queue/deferred");
  }

  @Test
  void signingKeysThatHoldOnlySeparatorsAreRefused() {
    // Otherwise every instance would sign with a random key of its own.
    for (String keys : new String[] {",", " , ,"}) {
      assertThat(
              read(Map.of("deferred.signing.keys", keys), Map.of("K_SERVICE", "shop")).problems())
          .contains(Messages.noSigningKeyGiven(keys.trim()));
    }
    assertThat(read(Map.of("deferred.signing.keys", ","), Map.of()).problems())
        .containsExactly(Messages.noSigningKeyGiven(","));
  }

  @Test
  void theSignatureLifetimeDefaultsToMoreThanCloudTasksRetentionAndIsBoundedBelow() {
    assertThat(read(Map.of(), Map.of()).signingLifetime()).isEqualTo(Duration.ofDays(32));
    assertThat(read(Map.of("deferred.signing.lifetime", "2d"), Map.of()).signingLifetime())
        .isEqualTo(Duration.ofDays(2));
    assertThat(read(Map.of("deferred.signing.lifetime", "10m"), Map.of()).problems())
        .containsExactly(
            Messages.invalidValue(
                "deferred.signing.lifetime",
                "10m",
                "a duration of at least 1h; the default, 32d, outlasts Cloud Tasks' 31-day task"
                    + " retention"));
  }

  @Test
  void theModeIsDetectedFromTheEnvironment() {
    assertThat(read(Map.of(), Map.of("CLOUD_TASKS_EMULATOR_HOST", "localhost:8123")).mode())
        .isEqualTo(Mode.EMULATOR);
    assertThat(read(Map.of(), Map.of("K_SERVICE", "shop")).mode()).isEqualTo(Mode.CLOUD);
    assertThat(read(Map.of(), Map.of("GAE_APPLICATION", "s~shop")).mode()).isEqualTo(Mode.CLOUD);
    assertThat(read(Map.of("deferred.mode", "embedded"), Map.of("K_SERVICE", "shop")).mode())
        .isEqualTo(Mode.EMBEDDED);
  }

  @Test
  void queuesAreReadWithDurationsInBothForms() {
    DeferredConfig c =
        read(
            Map.of(
                "deferred.queues.mail.rate-per-second", "5",
                "deferred.queues.mail.rate-max-concurrent", "2",
                "deferred.queues.mail.retry-max-attempts", "10",
                "deferred.queues.mail.retry-min-backoff", "500ms",
                "deferred.queues.mail.retry-max-backoff", "PT1H",
                "deferred.queues.mail.retry-max-doublings", "4",
                "deferred.queues.mail.retry-max-duration", "2d"),
            Map.of());

    assertThat(c.problems()).isEmpty();
    QueueConfig mail = c.queues().get("mail");
    assertThat(mail.ratePerSecond()).hasValue(5.0);
    assertThat(mail.rateMaxConcurrent()).hasValue(2);
    assertThat(mail.retryMaxAttempts()).hasValue(10);
    assertThat(mail.retryMinBackoff()).contains(Duration.ofMillis(500));
    assertThat(mail.retryMaxBackoff()).contains(Duration.ofHours(1));
    assertThat(mail.retryMaxDoublings()).hasValue(4);
    assertThat(mail.retryMaxDuration()).contains(Duration.ofDays(2));
    assertThat(c.queues()).containsOnlyKeys("default", "mail");
  }

  @Test
  void theEmulatorModeNeedsTheEmulatorsKeySet() {
    DeferredConfig c =
        read(
            Map.of(
                "deferred.emulator.host", "localhost:8123",
                "deferred.signing.keys", "MDEyMzQ1Njc4OWFiY2RlZjAxMjM0NTY3ODlhYmNkZWY="),
            Map.of());

    assertThat(c.problems())
        .containsExactly(
            "DEFERRED-0013: deferred.mode=emulator needs the emulator's key set to verify the"
                + " OIDC tokens of its tasks: set"
                + " deferred.emulator.jwks-url=http://HOST:HTTP_PORT/oauth2/v3/certs (the emulator"
                + " prints its HTTP port at startup)");
  }

  @Test
  void theEmbeddedEmulatorsHttpPortIsFreeUnlessConfigured() {
    assertThat(read(Map.of(), Map.of()).emulatorHttpPort()).isZero();
    assertThat(read(Map.of("deferred.emulator.http-port", "9023"), Map.of()).emulatorHttpPort())
        .isEqualTo(9023);
    assertThat(read(Map.of("deferred.emulator.http-port", "70000"), Map.of()).problems())
        .containsExactly(
            "DEFERRED-0002: Invalid value '70000' for deferred.emulator.http-port: expected an"
                + " integer from 0 to 65535");
  }

  @Test
  void theRoutingVersionDefaultsToTheRunningVersion() {
    assertThat(read(Map.of(), Map.of("GAE_VERSION", "v7")).routingVersion()).contains("v7");
    assertThat(
            read(Map.of("deferred.routing.version", "v8"), Map.of("GAE_VERSION", "v7"))
                .routingVersion())
        .contains("v8");
  }

  @Test
  void theRoutingServiceDefaultsToTheRunningService() {
    assertThat(read(Map.of(), Map.of("GAE_SERVICE", "worker")).routingService()).contains("worker");
    assertThat(
            read(Map.of("deferred.routing.service", "api"), Map.of("GAE_SERVICE", "worker"))
                .routingService())
        .contains("api");
    assertThat(read(Map.of(), Map.of()).routingService()).isEmpty();
  }

  @Test
  void appEngineFlexibleAndKubernetesAreDetectedAsCloud() {
    // App Engine flexible sets GAE_INSTANCE and GAE_SERVICE, but not GAE_APPLICATION.
    DeferredConfig flexible =
        read(Map.of(), Map.of("GAE_INSTANCE", "aef-default-1-abcd", "GAE_SERVICE", "default"));
    assertThat(flexible.mode()).isEqualTo(Mode.CLOUD);
    assertThat(flexible.modeSource()).isEqualTo("App Engine flexible (GAE_INSTANCE)");
    // Kubernetes, GKE included, sets KUBERNETES_SERVICE_HOST in every container.
    DeferredConfig gke = read(Map.of(), Map.of("KUBERNETES_SERVICE_HOST", "10.0.0.1"));
    assertThat(gke.mode()).isEqualTo(Mode.CLOUD);
    assertThat(gke.modeSource()).isEqualTo("GKE / Kubernetes (KUBERNETES_SERVICE_HOST)");
    assertThat(read(Map.of(), Map.of("K_SERVICE", "shop")).modeSource())
        .isEqualTo("Cloud Run (K_SERVICE)");
    assertThat(read(Map.of(), Map.of("GAE_APPLICATION", "s~shop")).modeSource())
        .isEqualTo("App Engine standard (GAE_APPLICATION)");
    assertThat(read(Map.of("deferred.mode", "cloud"), Map.of()).modeSource())
        .isEqualTo("deferred.mode");
    assertThat(read(Map.of(), Map.of()).modeSource()).isEqualTo("default");
    // In cloud mode nothing is guessed: a missing project and location stop the startup.
    assertThat(gke.problems())
        .contains(
            "DEFERRED-0004: deferred.location is required in cloud mode: set it to the region of"
                + " your queues, e.g. deferred.location=europe-west1 (gcloud tasks queues list"
                + " shows it)");
  }
}
