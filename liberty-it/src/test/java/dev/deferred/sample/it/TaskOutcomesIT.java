package dev.deferred.sample.it;

import static org.assertj.core.api.Assertions.assertThat;

import jakarta.json.JsonObject;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * What the handler answers for each outcome of a task, seen through what Cloud Tasks does next. The
 * {@code retries} queue has short backoffs (see microprofile-config.properties).
 */
@ExtendWith(ServerLogOnFailure.class)
class TaskOutcomesIT {

  @Test
  void successfulTaskRunsExactlyOnce() {
    Defer defer = Defer.task("record").with("queue", "retries").with("message", "once");

    defer.ok();

    assertThat(Journal.awaitRun(defer.key()).getString("detail")).isEqualTo("once");
    Defer.awaitMarker("retries", 2_000);
    assertThat(Journal.entries(defer.key())).hasSize(1);
  }

  @Test
  void exceptionMakesCloudTasksRetryUntilTheTaskSucceeds() {
    Defer defer = Defer.task("failThenSucceed").with("queue", "retries").with("failures", 2);

    defer.ok();

    List<JsonObject> entries =
        Journal.await(defer.key(), "two failures then a run", e -> e.size() == 3);
    assertThat(entries)
        .extracting(e -> e.getString("event"))
        .containsExactly("attempt-failed", "attempt-failed", "ran");
    assertThat(entries)
        .extracting(e -> e.getJsonObject("task").getInt("retryCount"))
        .containsExactly(0, 1, 2);
    JsonObject last = entries.get(2).getJsonObject("task");
    assertThat(last.getInt("previousResponse")).isBetween(500, 599);
  }

  @Test
  void singularTaskFailureAsksForARetry() {
    Defer defer = Defer.task("singularThenSucceed").with("queue", "retries").with("failures", 1);

    defer.ok();

    List<JsonObject> entries =
        Journal.await(defer.key(), "one singular failure then a run", e -> e.size() == 2);
    assertThat(entries)
        .extracting(e -> e.getString("event"))
        .containsExactly("attempt-failed", "ran");
    assertThat(entries.get(1).getJsonObject("task").getInt("retryCount")).isEqualTo(1);
  }

  @Test
  void permanentTaskFailureIsNeverRetried() {
    Defer defer = Defer.task("failPermanently").with("queue", "retries");

    defer.ok();

    Journal.await(defer.key(), "the failing attempt", e -> e.size() == 1);
    Defer.awaitMarker("retries", 2_000);
    assertThat(Journal.entries(defer.key())).hasSize(1);
  }

  @Test
  void perTaskAttemptLimitStopsRetriesBeforeTheQueueLimit() {
    Defer defer = Defer.task("alwaysFail").with("queue", "retries").with("maxAttempts", 2);

    defer.ok();

    Journal.await(defer.key(), "two attempts", e -> e.size() == 2);
    Defer.awaitMarker("retries", 3_000);
    assertThat(Journal.entries(defer.key(), "attempt-failed")).hasSize(2);
  }

  @Test
  void nestedDeferredCallInsideATaskIsEnqueuedNotRun() {
    Defer defer = Defer.task("chain").with("message", "weekly digest");

    JsonObject task = defer.ok();

    JsonObject first = Journal.awaitRun(defer.key());
    JsonObject next = Journal.awaitRun(defer.key() + "-next");
    assertThat(next.getString("detail")).isEqualTo("newsletter 'weekly digest' sent");
    assertThat(next.getJsonObject("task").getString("queueName")).isEqualTo("mail");
    assertThat(next.getJsonObject("task").getString("taskName"))
        .isNotEqualTo(first.getJsonObject("task").getString("taskName"))
        .isNotEqualTo(task.getString("name"));
  }
}
