package dev.deferred.emulator;

import static dev.deferred.emulator.EmulatorTestSupport.queueName;
import static org.assertj.core.api.Assertions.assertThat;

import com.google.cloud.tasks.v2.CloudTasksClient;
import com.google.cloud.tasks.v2.HttpRequest;
import com.google.cloud.tasks.v2.Queue;
import com.google.cloud.tasks.v2.Task;
import com.google.protobuf.Timestamp;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;

/** An emulator on a {@link ManualClock}, a recording handler and the official client. */
abstract class ManualClockFixture {
  /** The clock is shared by the tests of a class: each test measures from its own start. */
  static Instant START;

  static ManualClock clock;
  static RecordingHandler handler;
  static CloudTasksEmulator emu;
  static CloudTasksClient client;

  @BeforeAll
  static void startEmulator() throws Exception {
    clock = new ManualClock(Instant.parse("2030-01-01T00:00:00Z"));
    handler = new RecordingHandler();
    emu =
        CloudTasksEmulator.builder()
            .project(EmulatorTestSupport.PROJECT)
            .clock(clock)
            .appEngineTarget(handler.base())
            .queueTombstoneTtl(Duration.ofMinutes(5))
            .start();
    client = EmulatorTestSupport.client(emu);
  }

  @AfterAll
  static void stopEmulator() throws Exception {
    EmulatorTestSupport.close(client);
    emu.close();
    handler.close();
  }

  @BeforeEach
  void resetEmulator() {
    emu.reset();
    handler.respond(null);
    // Whole seconds keep the expected schedule times readable.
    clock.set(clock.now().plusSeconds(3600).truncatedTo(java.time.temporal.ChronoUnit.HOURS));
    START = clock.now();
  }

  static String queue(String id, Queue.Builder config) {
    return client
        .createQueue(EmulatorTestSupport.PARENT, config.setName(queueName(id)).build())
        .getName();
  }

  static Task httpTask(String queue, String id) {
    Task.Builder t =
        Task.newBuilder()
            .setHttpRequest(HttpRequest.newBuilder().setUrl(handler.url("/" + id).toString()));
    if (id != null) {
      t.setName(queue + "/tasks/" + id);
    }
    return client.createTask(queue, t.build());
  }

  static Timestamp ts(Instant i) {
    return Timestamp.newBuilder().setSeconds(i.getEpochSecond()).setNanos(i.getNano()).build();
  }

  static void idle() {
    assertThat(emu.awaitIdle(Duration.ofSeconds(20))).as("emulator idle").isTrue();
  }

  /** Asserts that nothing reaches the handler while the emulator settles. */
  static void nothingDelivered() throws InterruptedException {
    idle();
    assertThat(handler.poll(Duration.ofMillis(100))).as("unexpected delivery").isNull();
  }
}
