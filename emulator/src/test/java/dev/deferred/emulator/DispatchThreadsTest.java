package dev.deferred.emulator;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.cloud.tasks.v2.CloudTasksClient;
import com.google.cloud.tasks.v2.HttpRequest;
import com.google.cloud.tasks.v2.Queue;
import com.google.cloud.tasks.v2.RateLimits;
import com.google.cloud.tasks.v2.Task;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * The dispatcher's threads: its own bounded pool, reused from one dispatch to the next and ended by
 * {@link CloudTasksEmulator#close()}. (With {@code HttpClient.sendAsync} the JDK completed every
 * dispatch on a thread started for it whenever the common pool had parallelism 1.)
 */
class DispatchThreadsTest {

  private static final int TASKS = 300;

  @Test
  void dispatchesReuseThreadsInsteadOfStartingOnePerRequest() throws Exception {
    ThreadMXBean threads = ManagementFactory.getThreadMXBean();
    try (RecordingHandler handler = new RecordingHandler();
        CloudTasksEmulator emu =
            CloudTasksEmulator.builder().project(EmulatorTestSupport.PROJECT).start();
        CloudTasksClient client = EmulatorTestSupport.client(emu)) {
      String queue =
          client
              .createQueue(
                  EmulatorTestSupport.PARENT,
                  Queue.newBuilder()
                      .setName(EmulatorTestSupport.queueName("threads"))
                      .setRateLimits(RateLimits.newBuilder().setMaxConcurrentDispatches(4))
                      .build())
              .getName();
      Task task =
          Task.newBuilder()
              .setHttpRequest(HttpRequest.newBuilder().setUrl(handler.url("/t").toString()))
              .build();
      // Warm-up: the pools of the client, the servers and the handler reach their working size.
      client.createTask(queue, task);
      handler.take(1);
      assertThat(emu.awaitIdle(Duration.ofSeconds(20))).isTrue();
      client.pauseQueue(queue);
      for (int i = 0; i < TASKS; i++) {
        client.createTask(queue, task);
      }
      long startedBefore = threads.getTotalStartedThreadCount();

      client.resumeQueue(queue);
      handler.take(TASKS);
      assertThat(emu.awaitIdle(Duration.ofSeconds(20))).isTrue();

      long started = threads.getTotalStartedThreadCount() - startedBefore;
      assertThat(started).as("threads started for %d dispatches", TASKS).isLessThan(TASKS / 4);
    }
  }

  @Test
  void closeEndsTheDispatchThreads() throws Exception {
    try (RecordingHandler handler = new RecordingHandler();
        CloudTasksEmulator emu =
            CloudTasksEmulator.builder().project(EmulatorTestSupport.PROJECT).queue("q").start();
        CloudTasksClient client = EmulatorTestSupport.client(emu)) {
      Task task =
          Task.newBuilder()
              .setHttpRequest(HttpRequest.newBuilder().setUrl(handler.url("/t").toString()))
              .build();
      for (int i = 0; i < 10; i++) {
        client.createTask(EmulatorTestSupport.queueName("q"), task);
      }
      handler.take(10);
      assertThat(dispatchThreads()).isPositive();
      emu.close();

      long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
      while (dispatchThreads() > 0 && System.nanoTime() < deadline) {
        Thread.onSpinWait();
      }
      assertThat(dispatchThreads()).as("live dispatch threads after close").isZero();
    }
  }

  private static long dispatchThreads() {
    return Thread.getAllStackTraces().keySet().stream()
        .filter(t -> t.isAlive() && t.getName().startsWith("cloud-tasks-emulator-dispatch-"))
        .count();
  }
}
