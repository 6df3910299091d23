package dev.deferred.impl;

import static org.assertj.core.api.Assertions.assertThat;

import dev.deferred.impl.testing.Deployments;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Configuration problems fail the deployment, every one at once, each naming the fix. */
class InvalidConfigurationDeploymentTest {

  @Test
  void unknownKeysAreReportedWithTheNearestValidKey() {
    String message =
        Deployments.failure(
            Map.of(
                "deferred.queues.mail.rate-per-secnd", "5",
                "deferred.singing.keys", "x"));

    assertThat(message)
        .contains(
            "DEFERRED-0001: Unknown configuration key 'deferred.queues.mail.rate-per-secnd': did"
                + " you mean 'deferred.queues.mail.rate-per-second'? Every key is listed in the"
                + " 'Configuration reference' section of Deferred's README.")
        .contains(
            "DEFERRED-0001: Unknown configuration key 'deferred.singing.keys': did you mean"
                + " 'deferred.signing.keys'? Every key is listed in the 'Configuration reference'"
                + " section of Deferred's README.");
  }

  @Test
  void cloudModeNeedsALocationAndASigningKey() {
    String message =
        Deployments.failure(Map.of("deferred.mode", "cloud", "deferred.project", "shop"));

    assertThat(message)
        .contains(
            "DEFERRED-0004: deferred.location is required in cloud mode: set it to the region of"
                + " your queues, e.g. deferred.location=europe-west1 (gcloud tasks queues list"
                + " shows it)")
        .contains(
            "DEFERRED-0006: deferred.signing.keys is required in cloud mode, so that every"
                + " instance signs and verifies task payloads with the same key. Create a key with"
                + " 'openssl rand -base64 32' and set it, e.g. in the environment variable"
                + " DEFERRED_SIGNING_KEYS; keep it out of source control");
  }

  @Test
  void invalidValuesNameTheKeyTheValueAndWhatIsExpected() {
    String message =
        Deployments.failure(
            Map.of(
                "deferred.queues.mail.rate-per-second", "fast",
                "deferred.queues.mail.retry-min-backoff", "a while",
                "deferred.signing.keys", "c2hvcnQ="));

    assertThat(message)
        .contains(
            "DEFERRED-0002: Invalid value 'fast' for deferred.queues.mail.rate-per-second:"
                + " expected a number such as 5 or 0.5")
        .contains(
            "DEFERRED-0002: Invalid value 'a while' for deferred.queues.mail.retry-min-backoff:"
                + " expected a duration such as 10s, 500ms, 5m or PT10S")
        .contains(
            "DEFERRED-0007: Signing key #0 in deferred.signing.keys has 5 bytes, at least 32 are"
                + " required: create one with 'openssl rand -base64 32'");
  }
}
