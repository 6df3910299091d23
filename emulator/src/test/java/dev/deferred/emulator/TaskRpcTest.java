package dev.deferred.emulator;

import static dev.deferred.emulator.EmulatorTestSupport.apiError;
import static dev.deferred.emulator.EmulatorTestSupport.queueName;
import static org.assertj.core.api.Assertions.assertThat;

import com.google.api.gax.rpc.ApiException;
import com.google.api.gax.rpc.StatusCode;
import com.google.cloud.tasks.v2.AppEngineHttpRequest;
import com.google.cloud.tasks.v2.AppEngineRouting;
import com.google.cloud.tasks.v2.CloudTasksClient;
import com.google.cloud.tasks.v2.CreateTaskRequest;
import com.google.cloud.tasks.v2.GetTaskRequest;
import com.google.cloud.tasks.v2.HttpMethod;
import com.google.cloud.tasks.v2.HttpRequest;
import com.google.cloud.tasks.v2.ListTasksRequest;
import com.google.cloud.tasks.v2.ListTasksResponse;
import com.google.cloud.tasks.v2.Queue;
import com.google.cloud.tasks.v2.Task;
import com.google.protobuf.ByteString;
import com.google.protobuf.Duration;
import com.google.protobuf.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Task RPCs on a paused queue (nothing is dispatched, so what is stored stays observable) with a
 * manual clock.
 */
class TaskRpcTest {
  static final Instant START = Instant.parse("2030-01-01T00:00:00Z");
  static ManualClock clock = new ManualClock(START);
  static CloudTasksEmulator emu;
  static CloudTasksClient client;
  static final String Q = queueName("tasks");

  @BeforeAll
  static void start() throws Exception {
    emu =
        CloudTasksEmulator.builder()
            .project(EmulatorTestSupport.PROJECT)
            .clock(clock)
            .queue(Queue.newBuilder().setName(Q).setState(Queue.State.PAUSED).build())
            .start();
    client = EmulatorTestSupport.client(emu);
  }

  @AfterAll
  static void stop() throws Exception {
    EmulatorTestSupport.close(client);
    emu.close();
  }

  @BeforeEach
  void reset() {
    emu.reset();
  }

  static Task.Builder http(String url) {
    return Task.newBuilder().setHttpRequest(HttpRequest.newBuilder().setUrl(url));
  }

  static Task.Builder appEngine(String uri) {
    return Task.newBuilder()
        .setAppEngineHttpRequest(AppEngineHttpRequest.newBuilder().setRelativeUri(uri));
  }

  static Timestamp ts(Instant i) {
    return Timestamp.newBuilder().setSeconds(i.getEpochSecond()).setNanos(i.getNano()).build();
  }

  @Test
  void taskWithoutNameGetsAServerGeneratedIdAndDefaults() {
    Task t = client.createTask(Q, http("http://localhost:1/x").build());
    assertThat(t.getName()).matches(Q + "/tasks/[0-9]+");
    assertThat(t.getScheduleTime()).isEqualTo(ts(START));
    assertThat(t.getCreateTime()).isEqualTo(ts(START));
    assertThat(t.getDispatchDeadline()).isEqualTo(Duration.newBuilder().setSeconds(600).build());
    assertThat(t.getHttpRequest().getHttpMethod()).isEqualTo(HttpMethod.POST);
    assertThat(t.getDispatchCount()).isZero();
    assertThat(t.getView()).isEqualTo(Task.View.BASIC);
  }

  @Test
  void pastScheduleTimeMeansNowAndFutureOnesAreTruncatedToMicroseconds() {
    Task past =
        client.createTask(
            Q, http("http://localhost:1/x").setScheduleTime(ts(START.minusSeconds(3600))).build());
    assertThat(past.getScheduleTime()).isEqualTo(ts(START));
    Instant future = START.plusSeconds(60).plusNanos(123_456_789);
    Task t = client.createTask(Q, http("http://localhost:1/x").setScheduleTime(ts(future)).build());
    assertThat(t.getScheduleTime())
        .isEqualTo(
            Timestamp.newBuilder()
                .setSeconds(future.getEpochSecond())
                .setNanos(123_456_000)
                .build());
  }

  @Test
  void scheduleTimeBeyond720HoursIsInvalid() {
    Instant limit = START.plus(java.time.Duration.ofHours(720));
    assertThat(
            client.createTask(Q, http("http://localhost:1/x").setScheduleTime(ts(limit)).build()))
        .isNotNull();
    ApiException e =
        apiError(
            () ->
                client.createTask(
                    Q,
                    http("http://localhost:1/x")
                        .setScheduleTime(ts(limit.plusSeconds(1)))
                        .build()));
    assertThat(e.getStatusCode().getCode()).isEqualTo(StatusCode.Code.INVALID_ARGUMENT);
    assertThat(e.getMessage()).endsWith("must be no more than 720h in the future.");
  }

  @Test
  void basicViewHidesTheBodyAndFullViewShowsIt() {
    ByteString body = ByteString.copyFromUtf8("payload");
    Task created =
        client.createTask(
            Q,
            http("http://localhost:1/x")
                .setName(Q + "/tasks/viewed")
                .setHttpRequest(
                    HttpRequest.newBuilder()
                        .setUrl("http://localhost:1/x")
                        .setBody(body)
                        .putHeaders("Content-Type", "text/plain"))
                .build());
    assertThat(created.getHttpRequest().getBody().isEmpty()).isTrue();
    assertThat(created.getHttpRequest().getHeadersMap())
        .containsEntry("Content-Type", "text/plain");
    Task full =
        client.getTask(
            GetTaskRequest.newBuilder()
                .setName(Q + "/tasks/viewed")
                .setResponseView(Task.View.FULL)
                .build());
    assertThat(full.getView()).isEqualTo(Task.View.FULL);
    assertThat(full.getHttpRequest().getBody()).isEqualTo(body);
    Task ae =
        client.createTask(
            CreateTaskRequest.newBuilder()
                .setParent(Q)
                .setTask(
                    appEngine("/ae")
                        .setAppEngineHttpRequest(
                            AppEngineHttpRequest.newBuilder().setRelativeUri("/ae").setBody(body)))
                .build());
    assertThat(ae.getAppEngineHttpRequest().getBody().isEmpty()).isTrue();
    ListTasksResponse full2 =
        client
            .listTasksCallable()
            .call(
                ListTasksRequest.newBuilder().setParent(Q).setResponseView(Task.View.FULL).build());
    assertThat(full2.getTasksList())
        .allSatisfy(t -> assertThat(t.getView()).isEqualTo(Task.View.FULL));
  }

  @Test
  void appEngineTaskGetsRoutingHostAndDefaults() {
    Task t =
        client.createTask(
            Q,
            Task.newBuilder()
                .setAppEngineHttpRequest(
                    AppEngineHttpRequest.newBuilder()
                        .setAppEngineRouting(
                            AppEngineRouting.newBuilder().setService("worker").setVersion("v2")))
                .build());
    assertThat(t.getAppEngineHttpRequest().getRelativeUri()).isEqualTo("/");
    assertThat(t.getAppEngineHttpRequest().getHttpMethod()).isEqualTo(HttpMethod.POST);
    assertThat(t.getAppEngineHttpRequest().getAppEngineRouting().getHost())
        .isEqualTo("v2.worker.test-project.appspot.com");
  }

  @Test
  void listTasksPagesInNameOrder() {
    for (int i = 9; i >= 0; i--) {
      client.createTask(Q, http("http://localhost:1/x").setName(Q + "/tasks/t" + i).build());
    }
    List<String> seen = new ArrayList<>();
    String token = "";
    int pages = 0;
    do {
      ListTasksResponse page =
          client
              .listTasksCallable()
              .call(
                  ListTasksRequest.newBuilder()
                      .setParent(Q)
                      .setPageSize(4)
                      .setPageToken(token)
                      .build());
      page.getTasksList()
          .forEach(t -> seen.add(t.getName().substring(t.getName().lastIndexOf('/') + 1)));
      token = page.getNextPageToken();
      pages++;
    } while (!token.isEmpty());
    assertThat(pages).isEqualTo(3);
    assertThat(seen).containsExactly("t0", "t1", "t2", "t3", "t4", "t5", "t6", "t7", "t8", "t9");
    ApiException bad =
        apiError(
            () ->
                client
                    .listTasksCallable()
                    .call(
                        ListTasksRequest.newBuilder()
                            .setParent(Q)
                            .setPageToken("garbage!")
                            .build()));
    assertThat(bad.getStatusCode().getCode()).isEqualTo(StatusCode.Code.INVALID_ARGUMENT);
  }

  @Test
  void deleteTaskRemovesItAndLeavesATombstone() {
    client.createTask(Q, http("http://localhost:1/x").setName(Q + "/tasks/del").build());
    client.deleteTask(Q + "/tasks/del");
    ApiException get = apiError(() -> client.getTask(Q + "/tasks/del"));
    assertThat(get.getStatusCode().getCode()).isEqualTo(StatusCode.Code.NOT_FOUND);
    assertThat(get.getMessage())
        .endsWith(
            "The task no longer exists, though a task with this name existed recently. The task"
                + " either successfully completed or was deleted.");
    ApiException again = apiError(() -> client.deleteTask(Q + "/tasks/del"));
    assertThat(again.getStatusCode().getCode()).isEqualTo(StatusCode.Code.NOT_FOUND);
    ApiException never = apiError(() -> client.getTask(Q + "/tasks/never"));
    assertThat(never.getMessage()).endsWith("Requested entity was not found.");
  }

  @Test
  void purgeDeletesEveryTaskCreatedBeforeIt() {
    client.createTask(Q, http("http://localhost:1/x").setName(Q + "/tasks/p1").build());
    client.createTask(Q, http("http://localhost:1/x").setName(Q + "/tasks/p2").build());
    Queue purged = client.purgeQueue(Q);
    assertThat(purged.getPurgeTime()).isEqualTo(ts(START));
    assertThat(client.listTasks(Q).iterateAll()).isEmpty();
    client.createTask(Q, http("http://localhost:1/x").setName(Q + "/tasks/p3").build());
    assertThat(client.listTasks(Q).iterateAll()).hasSize(1);
  }

  @Test
  void deleteQueueDeletesItsTasks() {
    client.createTask(Q, http("http://localhost:1/x").setName(Q + "/tasks/dq").build());
    client.deleteQueue(Q);
    ApiException e = apiError(() -> client.getTask(Q + "/tasks/dq"));
    assertThat(e.getStatusCode().getCode()).isEqualTo(StatusCode.Code.NOT_FOUND);
  }
}
