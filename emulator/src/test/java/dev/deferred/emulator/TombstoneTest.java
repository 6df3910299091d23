package dev.deferred.emulator;

import static dev.deferred.emulator.EmulatorTestSupport.apiError;
import static org.assertj.core.api.Assertions.assertThat;

import com.google.api.gax.rpc.ApiException;
import com.google.api.gax.rpc.StatusCode;
import com.google.cloud.tasks.v2.Queue;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** Names of deleted and finished tasks, and of deleted queues, stay reserved for a while. */
class TombstoneTest extends ManualClockFixture {

  @Test
  void deletedTaskNameIsReservedForAnHour() {
    String q = queue("tomb", Queue.newBuilder());
    client.pauseQueue(q);
    httpTask(q, "x");
    client.deleteTask(q + "/tasks/x");
    ApiException dup = apiError(() -> httpTask(q, "x"));
    assertThat(dup.getStatusCode().getCode()).isEqualTo(StatusCode.Code.ALREADY_EXISTS);
    assertThat(dup.getMessage()).endsWith("Requested entity already exists");
    clock.advance(Duration.ofMinutes(59));
    assertThat(apiError(() -> httpTask(q, "x")).getStatusCode().getCode())
        .isEqualTo(StatusCode.Code.ALREADY_EXISTS);
    clock.advance(Duration.ofMinutes(1));
    assertThat(apiError(() -> client.getTask(q + "/tasks/x")).getMessage())
        .endsWith("Requested entity was not found.");
    assertThat(httpTask(q, "x").getName()).isEqualTo(q + "/tasks/x");
  }

  @Test
  void completedTaskNameIsReservedToo() throws Exception {
    String q = queue("done", Queue.newBuilder());
    httpTask(q, "ok");
    handler.next();
    idle();
    ApiException dup = apiError(() -> httpTask(q, "ok"));
    assertThat(dup.getStatusCode().getCode()).isEqualTo(StatusCode.Code.ALREADY_EXISTS);
    ApiException get = apiError(() -> client.getTask(q + "/tasks/ok"));
    assertThat(get.getMessage())
        .endsWith(
            "The task no longer exists, though a task with this name existed recently. The task"
                + " either successfully completed or was deleted.");
  }

  @Test
  void deletedQueueNameIsReservedForTheConfiguredPeriod() {
    String q = queue("tq", Queue.newBuilder());
    client.deleteQueue(q);
    ApiException e = apiError(() -> queue("tq", Queue.newBuilder()));
    assertThat(e.getStatusCode().getCode()).isEqualTo(StatusCode.Code.FAILED_PRECONDITION);
    assertThat(e.getMessage())
        .endsWith(
            "The queue cannot be created because a queue with this name existed too recently.");
    ApiException byUpdate =
        apiError(
            () ->
                client.updateQueue(
                    Queue.newBuilder().setName(q).build(),
                    com.google.protobuf.FieldMask.getDefaultInstance()));
    assertThat(byUpdate.getStatusCode().getCode()).isEqualTo(StatusCode.Code.FAILED_PRECONDITION);
    clock.advance(Duration.ofMinutes(5));
    assertThat(queue("tq", Queue.newBuilder())).isEqualTo(q);
  }

  @Test
  void resetDropsTombstones() {
    String q = queue("rq", Queue.newBuilder());
    client.pauseQueue(q);
    httpTask(q, "x");
    client.deleteTask(q + "/tasks/x");
    client.deleteQueue(q);
    emu.reset();
    assertThat(queue("rq", Queue.newBuilder())).isEqualTo(q);
    client.pauseQueue(q);
    assertThat(httpTask(q, "x").getName()).isEqualTo(q + "/tasks/x");
  }
}
