package dev.deferred.emulator;

import static dev.deferred.emulator.EmulatorTestSupport.apiError;
import static org.assertj.core.api.Assertions.assertThat;

import com.google.api.gax.rpc.ApiException;
import com.google.api.gax.rpc.StatusCode;
import com.google.cloud.tasks.v2.Queue;
import com.google.cloud.tasks.v2.RateLimits;
import com.google.cloud.tasks.v2.RetryConfig;
import com.google.cloud.tasks.v2.Task;
import com.google.protobuf.Duration;
import org.junit.jupiter.api.Test;

/** RunTask: immediate dispatch whatever the queue's state, and no second delivery. */
class RunTaskTest extends ManualClockFixture {

  @Test
  void runTaskDispatchesAtOnceInAPausedQueueAndDeletesTheTaskOnSuccess() throws Exception {
    String q = queue("paused-run", Queue.newBuilder());
    client.pauseQueue(q);
    httpTask(q, "t");
    nothingDelivered();
    Task returned = client.runTask(q + "/tasks/t");
    assertThat(returned.getName()).isEqualTo(q + "/tasks/t");
    assertThat(returned.getDispatchCount()).isEqualTo(1);
    assertThat(handler.next().path()).isEqualTo("/t");
    idle();
    ApiException gone = apiError(() -> client.getTask(q + "/tasks/t"));
    assertThat(gone.getMessage()).contains("existed recently");
    ApiException again = apiError(() -> client.runTask(q + "/tasks/t"));
    assertThat(again.getStatusCode().getCode()).isEqualTo(StatusCode.Code.NOT_FOUND);
    assertThat(again.getMessage()).contains("existed recently");
  }

  @Test
  void runTaskOfAFutureTaskIsNotDeliveredAgainAtItsScheduleTime() throws Exception {
    String q = queue("future-run", Queue.newBuilder());
    client.createTask(
        q,
        Task.newBuilder()
            .setName(q + "/tasks/later")
            .setScheduleTime(ts(START.plusSeconds(600)))
            .setHttpRequest(
                com.google.cloud.tasks.v2.HttpRequest.newBuilder()
                    .setUrl(handler.url("/later").toString()))
            .build());
    client.runTask(q + "/tasks/later");
    assertThat(handler.next().path()).isEqualTo("/later");
    idle();
    clock.advance(java.time.Duration.ofSeconds(600));
    nothingDelivered();
  }

  @Test
  void failedRunTaskReschedulesTheTaskAfterTheBackoff() throws Exception {
    String q =
        queue(
            "failed-run",
            Queue.newBuilder()
                .setRetryConfig(
                    RetryConfig.newBuilder()
                        .setMinBackoff(Duration.newBuilder().setSeconds(5))
                        .setMaxBackoff(Duration.newBuilder().setSeconds(5))));
    client.pauseQueue(q);
    httpTask(q, "f");
    handler.script(500);
    client.runTask(q + "/tasks/f");
    handler.next();
    idle();
    Task after = client.getTask(q + "/tasks/f");
    assertThat(after.getScheduleTime()).isEqualTo(ts(START.plusSeconds(5)));
    assertThat(after.getDispatchCount()).isEqualTo(1);
    assertThat(after.getResponseCount()).isEqualTo(1);
    clock.advance(java.time.Duration.ofSeconds(5));
    // Still paused: the retry waits for Resume.
    nothingDelivered();
    client.resumeQueue(q);
    RecordingHandler.Recorded retry = handler.next();
    assertThat(retry.header("X-CloudTasks-TaskRetryCount")).isEqualTo("1");
    idle();
  }

  @Test
  void runTaskIgnoresTheRateLimit() throws Exception {
    String q =
        queue(
            "rate-run",
            Queue.newBuilder().setRateLimits(RateLimits.newBuilder().setMaxDispatchesPerSecond(1)));
    httpTask(q, "a");
    httpTask(q, "b");
    handler.next();
    assertThat(handler.pending()).isZero();
    client.runTask(q + "/tasks/b");
    assertThat(handler.next().path()).isEqualTo("/b");
    clock.advance(java.time.Duration.ofSeconds(5));
    nothingDelivered();
  }

  @Test
  void runTaskOnAMissingTaskIsNotFound() {
    String q = queue("missing-run", Queue.newBuilder());
    ApiException e = apiError(() -> client.runTask(q + "/tasks/none"));
    assertThat(e.getStatusCode().getCode()).isEqualTo(StatusCode.Code.NOT_FOUND);
    assertThat(e.getMessage()).endsWith("Requested entity was not found.");
  }
}
