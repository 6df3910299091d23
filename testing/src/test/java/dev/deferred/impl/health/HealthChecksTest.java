package dev.deferred.impl.health;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.cloud.tasks.v2.CloudTasksClient;
import com.google.cloud.tasks.v2.QueueName;
import dev.deferred.DeferOptions;
import dev.deferred.Deferrer;
import dev.deferred.impl.testing.DeferredTest;
import dev.deferred.impl.testing.LibraryParts;
import jakarta.inject.Inject;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Liveness;
import org.eclipse.microprofile.health.Readiness;
import org.jboss.weld.junit5.auto.AddBeanClasses;
import org.junit.jupiter.api.Test;

/**
 * The health checks against the embedded emulator: registered because MicroProfile Health is on the
 * class path, UP when every queue is there, DOWN naming the queue that is not.
 */
@DeferredTest(
    config = {
      "deferred.queues.exports.rate-per-second=5",
      "deferred.queues.mail.rate-per-second=5"
    })
@AddBeanClasses(Archive.class)
class HealthChecksTest {

  @Inject @Readiness HealthCheck readiness;
  @Inject @Liveness HealthCheck liveness;
  @Inject Deferrer deferrer;

  private static QueueName queue(String id) {
    var config = LibraryParts.config();
    return QueueName.of(config.project(), config.location(), id);
  }

  @Test
  void readinessIsUpWithEveryQueueAndItsState() {
    HealthCheckResponse r = readiness.call();

    assertThat(r.getName()).isEqualTo("deferred");
    assertThat(r.getStatus()).isEqualTo(HealthCheckResponse.Status.UP);
    assertThat(r.getData().orElseThrow())
        .containsEntry("mode", "embedded")
        .containsEntry("cloudTasks", "embedded emulator")
        .containsEntry("queue.exports", "RUNNING")
        .containsEntry("queue.exports.tasks", 0L)
        .containsEntry("queue.mail", "RUNNING")
        .containsEntry("payloadStore", "memory")
        .containsEntry("signingKeys", "random key (embedded mode)")
        .doesNotContainKey("problems");
  }

  @Test
  void aPausedQueueShowsPausedWithItsWaitingTasksAndStaysUp() {
    CloudTasksClient client = LibraryParts.connection().client();
    client.pauseQueue(queue("mail"));
    deferrer.defer(Archive.class, a -> a.store("x"), DeferOptions.queue("mail"));
    deferrer.defer(Archive.class, a -> a.store("y"), DeferOptions.queue("mail"));

    HealthCheckResponse r = readiness.call();

    assertThat(r.getStatus()).isEqualTo(HealthCheckResponse.Status.UP);
    assertThat(r.getData().orElseThrow())
        .containsEntry("queue.mail", "PAUSED")
        .containsEntry("queue.mail.tasks", 2L);
    client.purgeQueue(queue("mail"));
    client.resumeQueue(queue("mail"));
  }

  @Test
  void aMissingQueueTurnsReadinessDownAndNamesIt() {
    LibraryParts.connection().client().deleteQueue(queue("exports"));

    HealthCheckResponse r = readiness.call();

    assertThat(r.getStatus()).isEqualTo(HealthCheckResponse.Status.DOWN);
    assertThat(r.getData().orElseThrow())
        .containsEntry("queue.exports", "MISSING")
        .containsEntry("queue.mail", "RUNNING")
        .containsEntry(
            "problems",
            "DEFERRED-7602: queue 'exports' is configured but missing in Cloud Tasks: restart the"
                + " application to create it (deferred.create-queues is on)");
    assertThat(liveness.call().getStatus()).isEqualTo(HealthCheckResponse.Status.UP);
  }

  @Test
  void livenessAsksNoRemoteService() {
    LibraryParts.connection().client().deleteQueue(queue("exports"));

    HealthCheckResponse r = liveness.call();

    assertThat(r.getStatus()).isEqualTo(HealthCheckResponse.Status.UP);
    assertThat(r.getData().orElseThrow())
        .containsEntry("mode", "embedded")
        .containsEntry("queues", "default, exports, mail")
        .containsEntry("signingKeys", "random key (embedded mode)");
  }
}
