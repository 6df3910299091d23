package dev.deferred.impl;

import static org.assertj.core.api.Assertions.assertThat;

import dev.deferred.Deferred;
import dev.deferred.impl.testing.Deployments;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** A @Deferred method on a queue that is not configured fails the deployment. */
class UnknownQueueDeploymentTest {

  @ApplicationScoped
  static class Reports {
    @Deferred(queue = "reports")
    public void generate(long id) {}
  }

  @Test
  void theMessageListsTheConfiguredQueues() {
    String message =
        Deployments.failure(Map.of("deferred.queues.mail.rate-per-second", "5"), Reports.class);

    assertThat(message)
        .contains(
            "DEFERRED-0102: @Deferred method "
                + Reports.class.getName()
                + ".generate(long) uses queue 'reports', which is not configured: add"
                + " deferred.queues.reports.rate-per-second (or another deferred.queues.reports.*"
                + " key) to microprofile-config.properties. Configured queues: default, mail");
  }
}
