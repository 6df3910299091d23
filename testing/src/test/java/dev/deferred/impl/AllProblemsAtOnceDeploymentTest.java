package dev.deferred.impl;

import static org.assertj.core.api.Assertions.assertThat;

import dev.deferred.Deferred;
import dev.deferred.impl.testing.Deployments;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * A problem in a @Deferred method does not hide a configuration problem or an unconfigured queue:
 * one deployment reports all of them.
 */
class AllProblemsAtOnceDeploymentTest {

  @ApplicationScoped
  static class Invoices {
    @Deferred(countdown = "soon")
    public void remind(long id) {}

    @Deferred(queue = "billing")
    public void send(long id) {}
  }

  @Test
  void anInvalidCountdownAnUnknownKeyAndAnUnconfiguredQueueAreReportedTogether() {
    String message =
        Deployments.failure(Map.of("deferred.queues.default.rate-per-secnd", "5"), Invoices.class);

    assertThat(message)
        .contains(
            "DEFERRED-0103: @Deferred method "
                + Invoices.class.getName()
                + ".remind(long) has an invalid countdown 'soon': 'soon' is not a duration: write"
                + " e.g. 10s, 500ms, 5m, 1h, 2d or PT10S")
        .contains(
            "DEFERRED-0001: Unknown configuration key 'deferred.queues.default.rate-per-secnd':"
                + " did you mean 'deferred.queues.default.rate-per-second'? Every key is listed in"
                + " the 'Configuration reference' section of Deferred's README.")
        .contains(
            "DEFERRED-0102: @Deferred method "
                + Invoices.class.getName()
                + ".send(long) uses queue 'billing', which is not configured: add"
                + " deferred.queues.billing.rate-per-second (or another deferred.queues.billing.*"
                + " key) to microprofile-config.properties. Configured queues: default");
  }
}
