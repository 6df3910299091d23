package dev.deferred.emulator;

import static dev.deferred.emulator.EmulatorTestSupport.apiError;
import static org.assertj.core.api.Assertions.assertThat;

import com.google.api.gax.rpc.ApiException;
import com.google.api.gax.rpc.StatusCode;
import com.google.cloud.tasks.v2.Queue;
import com.google.cloud.tasks.v2.RetryConfig;
import com.google.cloud.tasks.v2.Task;
import com.google.protobuf.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Backoff and the stop rule, driven by a manual clock. */
class RetryBackoffTest extends ManualClockFixture {

  private static RetryConfig.Builder retry(long minSeconds, long maxSeconds, int doublings) {
    return RetryConfig.newBuilder()
        .setMinBackoff(Duration.newBuilder().setSeconds(minSeconds))
        .setMaxBackoff(Duration.newBuilder().setSeconds(maxSeconds))
        .setMaxDoublings(doublings);
  }

  @Test
  void backoffDoublesThenGrowsLinearlyUpToTheMaximumAndStopsAtMaxAttempts() throws Exception {
    String q =
        queue("backoff", Queue.newBuilder().setRetryConfig(retry(10, 300, 3).setMaxAttempts(9)));
    handler.respond(r -> RecordingHandler.Reply.of(500));
    httpTask(q, "t");
    handler.next();
    idle();
    Task afterFirst = client.getTask(q + "/tasks/t");
    assertThat(afterFirst.getDispatchCount()).isEqualTo(1);
    assertThat(afterFirst.getResponseCount()).isEqualTo(1);
    assertThat(afterFirst.getFirstAttempt().getDispatchTime()).isEqualTo(ts(START));
    assertThat(afterFirst.getLastAttempt().getScheduleTime()).isEqualTo(ts(START));
    assertThat(afterFirst.getLastAttempt().getResponseStatus().getCode())
        .isEqualTo(io.grpc.Status.Code.INTERNAL.value());

    java.time.Instant now = START;
    List<Integer> expected = List.of(10, 20, 40, 80, 160, 240, 300, 300);
    for (int i = 0; i < expected.size(); i++) {
      java.time.Instant due = now.plusSeconds(expected.get(i));
      assertThat(client.getTask(q + "/tasks/t").getScheduleTime())
          .as("retry %d", i + 1)
          .isEqualTo(ts(due));
      clock.set(due.minusMillis(1));
      nothingDelivered();
      clock.set(due);
      RecordingHandler.Recorded r = handler.next();
      assertThat(r.header("X-CloudTasks-TaskRetryCount")).isEqualTo(Integer.toString(i + 1));
      idle();
      now = due;
    }
    ApiException gone = apiError(() -> client.getTask(q + "/tasks/t"));
    assertThat(gone.getStatusCode().getCode()).isEqualTo(StatusCode.Code.NOT_FOUND);
    assertThat(gone.getMessage()).contains("existed recently");
    clock.advance(java.time.Duration.ofHours(1));
    nothingDelivered();
  }

  @Test
  void bothLimitsMustBeReachedBeforeATaskIsDropped() throws Exception {
    // 2 attempts AND 60 s, backoff 10 s, 20 s, then +20 s: attempts at 0, 10, 30 and 70 s; the
    // third happens although max_attempts is reached, because 60 s have not passed yet.
    String q =
        queue(
            "both",
            Queue.newBuilder()
                .setRetryConfig(
                    retry(10, 1000, 1)
                        .setMaxAttempts(2)
                        .setMaxRetryDuration(Duration.newBuilder().setSeconds(60))));
    handler.respond(r -> RecordingHandler.Reply.of(500));
    httpTask(q, "t");
    handler.next();
    idle();
    int[] dueSeconds = {10, 30, 70};
    for (int s : dueSeconds) {
      clock.set(START.plusSeconds(s));
      handler.next();
      idle();
    }
    assertThat(apiError(() -> client.getTask(q + "/tasks/t")).getStatusCode().getCode())
        .isEqualTo(StatusCode.Code.NOT_FOUND);
  }

  @Test
  void unlimitedAttemptsStopOnlyAtTheRetryDuration() throws Exception {
    String q =
        queue(
            "duration-only",
            Queue.newBuilder()
                .setRetryConfig(
                    retry(10, 10, 0)
                        .setMaxAttempts(-1)
                        .setMaxRetryDuration(Duration.newBuilder().setSeconds(35))));
    handler.respond(r -> RecordingHandler.Reply.of(503));
    httpTask(q, "t");
    handler.next();
    idle();
    // 503 without Retry-After backs off harder, but never beyond max_backoff (10 s).
    for (int s : new int[] {10, 20, 30, 40}) {
      clock.set(START.plusSeconds(s));
      handler.next();
      idle();
    }
    assertThat(apiError(() -> client.getTask(q + "/tasks/t")).getStatusCode().getCode())
        .isEqualTo(StatusCode.Code.NOT_FOUND);
  }

  @Test
  void maxAttemptsAloneDecidesWhenThereIsNoDurationLimit() throws Exception {
    String q =
        queue("attempts-only", Queue.newBuilder().setRetryConfig(retry(1, 1, 0).setMaxAttempts(3)));
    handler.respond(r -> RecordingHandler.Reply.of(400));
    httpTask(q, "t");
    handler.next();
    idle();
    clock.advance(java.time.Duration.ofSeconds(1));
    handler.next();
    idle();
    clock.advance(java.time.Duration.ofSeconds(1));
    handler.next();
    idle();
    assertThat(apiError(() -> client.getTask(q + "/tasks/t")).getStatusCode().getCode())
        .isEqualTo(StatusCode.Code.NOT_FOUND);
    clock.advance(java.time.Duration.ofSeconds(10));
    nothingDelivered();
  }

  @Test
  void retryAfterOn429DelaysTheTaskAndThrottlesTheQueue() throws Exception {
    String q = queue("retry-after", Queue.newBuilder().setRetryConfig(retry(1, 600, 16)));
    handler.script(new RecordingHandler.Reply(429, Map.of("Retry-After", "120"), false));
    httpTask(q, "first");
    handler.next();
    idle();
    assertThat(client.getTask(q + "/tasks/first").getScheduleTime())
        .isEqualTo(ts(START.plusSeconds(120)));
    httpTask(q, "second");
    nothingDelivered();
    clock.set(START.plusSeconds(120));
    List<RecordingHandler.Recorded> both = handler.take(2);
    assertThat(both)
        .extracting(RecordingHandler.Recorded::path)
        .containsExactlyInAnyOrder("/first", "/second");
    idle();
  }

  @Test
  void retryAfterAsAnHttpDateIsMeasuredOnTheEmulatorsClock() throws Exception {
    String q = queue("retry-after-date", Queue.newBuilder().setRetryConfig(retry(1, 600, 16)));
    String in90Seconds =
        java.time.format.DateTimeFormatter.RFC_1123_DATE_TIME.format(
            START.plusSeconds(90).atZone(java.time.ZoneOffset.UTC));
    handler.script(new RecordingHandler.Reply(503, Map.of("Retry-After", in90Seconds), false));
    httpTask(q, "dated");
    handler.next();
    idle();

    assertThat(client.getTask(q + "/tasks/dated").getScheduleTime())
        .isEqualTo(ts(START.plusSeconds(90)));
    clock.set(START.plusSeconds(89));
    nothingDelivered();
    clock.set(START.plusSeconds(90));
    assertThat(handler.next().path()).isEqualTo("/dated");
    idle();
  }

  @Test
  void http503WithoutRetryAfterDoublesTheBackoffAndPausesTheQueue() throws Exception {
    String q = queue("http-503", Queue.newBuilder().setRetryConfig(retry(10, 600, 16)));
    handler.script(503);
    httpTask(q, "overloaded");
    handler.next();
    idle();
    assertThat(client.getTask(q + "/tasks/overloaded").getScheduleTime())
        .isEqualTo(ts(START.plusSeconds(20)));
    httpTask(q, "waiting");
    nothingDelivered();
    clock.set(START.plusSeconds(20));
    assertThat(handler.take(2))
        .extracting(RecordingHandler.Recorded::path)
        .containsExactlyInAnyOrder("/overloaded", "/waiting");
    idle();
  }

  @Test
  void appEngine503ThrottlesTheQueueBut429DoesNot() throws Exception {
    String q = queue("ae-throttle", Queue.newBuilder().setRetryConfig(retry(30, 600, 16)));
    handler.script(429);
    client.createTask(
        q,
        Task.newBuilder()
            .setAppEngineHttpRequest(
                com.google.cloud.tasks.v2.AppEngineHttpRequest.newBuilder().setRelativeUri("/a429"))
            .build());
    handler.next();
    idle();
    client.createTask(
        q,
        Task.newBuilder()
            .setAppEngineHttpRequest(
                com.google.cloud.tasks.v2.AppEngineHttpRequest.newBuilder()
                    .setRelativeUri("/after429"))
            .build());
    assertThat(handler.next().path()).isEqualTo("/after429");
    idle();
    handler.script(503);
    client.createTask(
        q,
        Task.newBuilder()
            .setAppEngineHttpRequest(
                com.google.cloud.tasks.v2.AppEngineHttpRequest.newBuilder().setRelativeUri("/a503"))
            .build());
    handler.next();
    idle();
    client.createTask(
        q,
        Task.newBuilder()
            .setAppEngineHttpRequest(
                com.google.cloud.tasks.v2.AppEngineHttpRequest.newBuilder()
                    .setRelativeUri("/blocked"))
            .build());
    nothingDelivered();
    clock.advance(java.time.Duration.ofSeconds(30));
    // The retried /a429 (due at 30 s), /a503 and /blocked all go once the throttle ends.
    assertThat(handler.take(3))
        .extracting(RecordingHandler.Recorded::path)
        .containsExactlyInAnyOrder("/a429", "/a503", "/blocked");
  }
}
