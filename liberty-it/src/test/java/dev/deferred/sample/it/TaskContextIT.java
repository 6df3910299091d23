package dev.deferred.sample.it;

import static org.assertj.core.api.Assertions.assertThat;

import jakarta.json.JsonObject;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The request-scoped {@code TaskContext}, inside and outside a task. */
@ExtendWith(ServerLogOnFailure.class)
class TaskContextIT {

  @Test
  void taskContextInsideATaskDescribesThatTask() {
    Defer defer = Defer.task("record").with("queue", "mail");

    JsonObject deferred = defer.ok();

    JsonObject task = Journal.awaitRun(defer.key()).getJsonObject("task");
    assertThat(task.getBoolean("isTask")).isTrue();
    assertThat(task.getString("queueName")).isEqualTo("mail");
    assertThat(task.getString("taskName")).isEqualTo(deferred.getString("name"));
    assertThat(task.getInt("retryCount")).isZero();
    assertThat(task.getInt("executionCount")).isZero();
    assertThat(Instant.parse(task.getString("eta"))).isBefore(Instant.now());
    assertThat(task.containsKey("previousResponse")).isFalse();
    assertThat(task.containsKey("shardIndex")).isFalse();
  }

  @Test
  void taskContextOutsideATaskSaysSoAndIsEmpty() {
    JsonObject context = Json.parse(SampleApp.get("/api/scenarios/context").body());

    assertThat(context.getBoolean("isTask")).isFalse();
    assertThat(context.keySet()).containsExactly("isTask");
  }
}
