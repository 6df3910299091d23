package dev.deferred.emulator;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.cloud.tasks.v2.Queue;
import com.google.cloud.tasks.v2.RateLimits;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** Token bucket, concurrency limit, pause and schedule times, on a manual clock. */
class RateLimitTest extends ManualClockFixture {

  @Test
  void slowQueueDispatchesOneTokenAtATime() throws Exception {
    String q =
        queue(
            "slow",
            Queue.newBuilder().setRateLimits(RateLimits.newBuilder().setMaxDispatchesPerSecond(5)));
    for (int i = 0; i < 4; i++) {
      httpTask(q, "t" + i);
    }
    handler.next();
    // Burst 1 at 5/s: the rest waits for tokens, so the queue is not idle.
    assertThat(emu.awaitIdle(Duration.ofMillis(200))).isFalse();
    assertThat(handler.pending()).isZero();
    for (int i = 1; i < 4; i++) {
      clock.advance(Duration.ofMillis(200));
      handler.next();
    }
    idle();
  }

  @Test
  void burstIsDerivedFromTheRate() throws Exception {
    String q =
        queue(
            "burst",
            Queue.newBuilder()
                .setRateLimits(RateLimits.newBuilder().setMaxDispatchesPerSecond(50)));
    for (int i = 0; i < 15; i++) {
      httpTask(q, "t" + i);
    }
    handler.take(10);
    assertThat(emu.awaitIdle(Duration.ofMillis(200))).isFalse();
    assertThat(handler.pending()).isZero();
    clock.advance(Duration.ofMillis(100));
    handler.take(5);
    idle();
  }

  @Test
  void maxConcurrentDispatchesIsHonoured() throws Exception {
    String q =
        queue(
            "concurrency",
            Queue.newBuilder()
                .setRateLimits(RateLimits.newBuilder().setMaxConcurrentDispatches(2)));
    CountDownLatch release = new CountDownLatch(1);
    handler.respond(
        r -> {
          try {
            release.await(30, TimeUnit.SECONDS);
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
          }
          return RecordingHandler.Reply.of(200);
        });
    for (int i = 0; i < 5; i++) {
      httpTask(q, "t" + i);
    }
    handler.take(2);
    assertThat(handler.poll(Duration.ofMillis(300))).isNull();
    release.countDown();
    handler.take(3);
    idle();
  }

  @Test
  void pausedQueueDispatchesNothingUntilResumed() throws Exception {
    String q = queue("paused", Queue.newBuilder());
    client.pauseQueue(q);
    httpTask(q, "p");
    nothingDelivered();
    client.resumeQueue(q);
    assertThat(handler.next().path()).isEqualTo("/p");
    idle();
  }

  @Test
  void scheduleTimeIsHonouredToTheMillisecond() throws Exception {
    String q = queue("scheduled", Queue.newBuilder());
    client.createTask(
        q, httpTaskProto("/later").toBuilder().setScheduleTime(ts(START.plusMillis(1500))).build());
    nothingDelivered();
    clock.set(START.plusMillis(1499));
    nothingDelivered();
    clock.set(START.plusMillis(1500));
    assertThat(handler.next().path()).isEqualTo("/later");
    idle();
  }

  @Test
  void aTaskDueInAnHourIsDeliveredWhenTheClockGetsThere() throws Exception {
    String q = queue("hour", Queue.newBuilder());
    client.createTask(
        q, httpTaskProto("/hour").toBuilder().setScheduleTime(ts(START.plusSeconds(3600))).build());
    nothingDelivered();
    clock.advance(Duration.ofHours(1));
    assertThat(handler.next().path()).isEqualTo("/hour");
    idle();
  }

  private static com.google.cloud.tasks.v2.Task httpTaskProto(String path) {
    return com.google.cloud.tasks.v2.Task.newBuilder()
        .setHttpRequest(
            com.google.cloud.tasks.v2.HttpRequest.newBuilder().setUrl(handler.url(path).toString()))
        .build();
  }
}
