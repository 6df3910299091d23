package dev.deferred.impl.operations;

import static org.assertj.core.api.Assertions.assertThat;

import dev.deferred.DeferOptions;
import dev.deferred.Deferrer;
import dev.deferred.TaskCounts;
import dev.deferred.TaskCounts.QueueCounts;
import dev.deferred.impl.testing.DeferredTest;
import dev.deferred.impl.testing.DeferredTestExtension;
import dev.deferred.testing.internal.TaskHttpServer;
import io.opentelemetry.api.OpenTelemetry;
import jakarta.enterprise.inject.Instance;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Map;
import org.jboss.weld.junit5.auto.AddBeanClasses;
import org.junit.jupiter.api.Test;

/**
 * The library's own per-queue counters, with no OpenTelemetry bean in the application: every
 * configured queue is listed from the start, each outcome of a delivery is counted on its queue,
 * and a forged request counts nowhere.
 */
@DeferredTest(config = "deferred.queues.chores.rate-per-second=50")
@AddBeanClasses(Chores.class)
class TaskCountsTest {

  @Inject Deferrer deferrer;
  @Inject TaskCounts counts;
  @Inject Instance<OpenTelemetry> telemetry;

  @Test
  void countsDeferredSucceededRetriedAndFailedPerQueueWithoutTelemetry() throws Exception {
    assertThat(telemetry.isResolvable()).as("no OpenTelemetry bean in this application").isFalse();
    assertThat(counts.since()).isBeforeOrEqualTo(Instant.now());
    assertThat(counts.byQueue()).containsKeys("default", "chores");
    QueueCounts before = counts.byQueue().get("chores");
    QueueCounts defaultBefore = counts.byQueue().get("default");

    DeferOptions chores = DeferOptions.queue("chores");
    deferrer.defer(Chores.class, c -> c.sweep("a"), chores);
    deferrer.defer(Chores.class, c -> c.sweep("b"), chores);
    deferrer.defer(Chores.class, c -> c.dust("c"), chores);
    deferrer.defer(Chores.class, c -> c.paint("d"), chores);
    DeferredTestExtension.awaitIdle();

    // A request that is not a genuine task: refused, and not counted on the queue it names.
    int forged =
        TaskHttpServer.send(
                Map.of(
                    "X-CloudTasks-QueueName", "chores",
                    "X-CloudTasks-TaskName", "forged",
                    "Content-Type", "application/json"),
                "{}".getBytes(StandardCharsets.UTF_8))
            .status();
    assertThat(forged).isEqualTo(403);

    QueueCounts after = counts.byQueue().get("chores");
    assertThat(after.deferred() - before.deferred()).isEqualTo(4);
    assertThat(after.succeeded() - before.succeeded()).isEqualTo(3);
    assertThat(after.retried() - before.retried()).isEqualTo(1);
    assertThat(after.failed() - before.failed()).isEqualTo(1);
    assertThat(counts.byQueue().get("default")).isEqualTo(defaultBefore);
    assertThat(counts.byQueue().keySet()).containsExactly("chores", "default");
  }
}
