package dev.deferred.emulator;

import static dev.deferred.emulator.EmulatorTestSupport.apiError;
import static dev.deferred.emulator.EmulatorTestSupport.queueName;
import static dev.deferred.emulator.TaskRpcTest.appEngine;
import static dev.deferred.emulator.TaskRpcTest.http;
import static org.assertj.core.api.Assertions.assertThat;

import com.google.api.gax.rpc.ApiException;
import com.google.api.gax.rpc.StatusCode;
import com.google.cloud.tasks.v2.AppEngineHttpRequest;
import com.google.cloud.tasks.v2.CloudTasksClient;
import com.google.cloud.tasks.v2.HttpMethod;
import com.google.cloud.tasks.v2.HttpRequest;
import com.google.cloud.tasks.v2.Queue;
import com.google.cloud.tasks.v2.Task;
import com.google.protobuf.ByteString;
import com.google.protobuf.Duration;
import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Every CreateTask error path, with the real service's codes and messages. */
class TaskErrorsTest {
  static CloudTasksEmulator emu;
  static CloudTasksClient client;
  static final String Q = queueName("errors");

  @BeforeAll
  static void start() throws Exception {
    emu =
        CloudTasksEmulator.builder()
            .project(EmulatorTestSupport.PROJECT)
            .queue(Queue.newBuilder().setName(Q).setState(Queue.State.PAUSED).build())
            .start();
    client = EmulatorTestSupport.client(emu);
  }

  @AfterAll
  static void stop() throws Exception {
    EmulatorTestSupport.close(client);
    emu.close();
  }

  private static ApiException createFails(Task task) {
    return apiError(() -> client.createTask(Q, task));
  }

  private static void assertInvalid(ApiException e, String message) {
    assertThat(e.getStatusCode().getCode()).isEqualTo(StatusCode.Code.INVALID_ARGUMENT);
    assertThat(e.getMessage()).endsWith(message);
  }

  @Test
  void badTaskIdGetsTheRealMessage() {
    assertInvalid(
        createFails(http("http://localhost:1/").setName(Q + "/tasks/bad.id").build()),
        "Task ID \"bad.id\" can contain only letters ([A-Za-z]), numbers ([0-9]), hyphens (-), or"
            + " underscores (_). Task ID must between 1 and 500 characters.");
    assertThat(
            createFails(
                    http("http://localhost:1/").setName(Q + "/tasks/" + "a".repeat(501)).build())
                .getStatusCode()
                .getCode())
        .isEqualTo(StatusCode.Code.INVALID_ARGUMENT);
    assertThat(
            client.createTask(
                Q, http("http://localhost:1/").setName(Q + "/tasks/" + "a".repeat(500)).build()))
        .isNotNull();
  }

  @Test
  void namedTaskOfAnotherQueueIsRejected() {
    String other = queueName("other");
    assertInvalid(
        createFails(http("http://localhost:1/").setName(other + "/tasks/t1").build()),
        "The queue name from request ('"
            + Q
            + "') must be the same as the queue name in the named task ('"
            + other
            + "').");
  }

  @Test
  void duplicateLiveTaskIsAlreadyExists() {
    client.createTask(Q, http("http://localhost:1/").setName(Q + "/tasks/dup").build());
    ApiException e = createFails(http("http://localhost:1/").setName(Q + "/tasks/dup").build());
    assertThat(e.getStatusCode().getCode()).isEqualTo(StatusCode.Code.ALREADY_EXISTS);
    assertThat(e.getMessage()).endsWith("Requested entity already exists");
  }

  @Test
  void taskIntoAMissingQueueIsNotFound() {
    ApiException e =
        apiError(
            () ->
                client.createTask(queueName("no-such-queue"), http("http://localhost:1/").build()));
    assertThat(e.getStatusCode().getCode()).isEqualTo(StatusCode.Code.NOT_FOUND);
    assertThat(e.getMessage())
        .endsWith(
            "Queue does not exist. If you just created the queue, wait at least a minute for the"
                + " queue to initialize.");
  }

  @Test
  void httpUrlMustBeHttpAndAtMost2083Characters() {
    for (String url :
        new String[] {
          "", "ftp://example.com/", "localhost/x", "http://e.com/" + "a".repeat(2071)
        }) {
      assertInvalid(createFails(http(url).build()), "HttpRequest.url is required.");
    }
    assertThat(client.createTask(Q, http("https://e.com/" + "a".repeat(2069)).build())).isNotNull();
  }

  @Test
  void bodyOnlyWithPostPutPatchForHttpAndPostPutForAppEngine() {
    ByteString body = ByteString.copyFromUtf8("b");
    for (HttpMethod m : new HttpMethod[] {HttpMethod.GET, HttpMethod.DELETE, HttpMethod.HEAD}) {
      ApiException e =
          createFails(
              Task.newBuilder()
                  .setHttpRequest(
                      HttpRequest.newBuilder()
                          .setUrl("http://localhost:1/")
                          .setHttpMethod(m)
                          .setBody(body))
                  .build());
      assertThat(e.getStatusCode().getCode()).isEqualTo(StatusCode.Code.INVALID_ARGUMENT);
      assertThat(e.getMessage())
          .contains("only allowed for POST, PUT and PATCH")
          .contains(m.name());
    }
    assertThat(
            client.createTask(
                Q,
                Task.newBuilder()
                    .setHttpRequest(
                        HttpRequest.newBuilder()
                            .setUrl("http://localhost:1/")
                            .setHttpMethod(HttpMethod.PATCH)
                            .setBody(body))
                    .build()))
        .isNotNull();
    ApiException ae =
        createFails(
            Task.newBuilder()
                .setAppEngineHttpRequest(
                    AppEngineHttpRequest.newBuilder().setHttpMethod(HttpMethod.PATCH).setBody(body))
                .build());
    assertThat(ae.getStatusCode().getCode()).isEqualTo(StatusCode.Code.INVALID_ARGUMENT);
    assertThat(ae.getMessage()).contains("only allowed for POST and PUT");
  }

  @Test
  void relativeUriMustStartWithASlash() {
    ApiException e = createFails(appEngine("tasks/x").build());
    assertThat(e.getStatusCode().getCode()).isEqualTo(StatusCode.Code.INVALID_ARGUMENT);
    assertThat(e.getMessage()).contains("relativeUri \"tasks/x\" must begin with \"/\"");
  }

  @Test
  void dispatchDeadlineBoundsDependOnTheTarget() {
    Duration tooShort = Duration.newBuilder().setSeconds(14).build();
    Duration thirtyOneMinutes = Duration.newBuilder().setSeconds(31 * 60).build();
    assertInvalid(
        createFails(http("http://localhost:1/").setDispatchDeadline(tooShort).build()),
        "Task.dispatchDeadline must be between [15s, 30m].");
    assertInvalid(
        createFails(http("http://localhost:1/").setDispatchDeadline(thirtyOneMinutes).build()),
        "Task.dispatchDeadline must be between [15s, 30m].");
    assertThat(client.createTask(Q, appEngine("/x").setDispatchDeadline(thirtyOneMinutes).build()))
        .isNotNull();
    assertInvalid(
        createFails(
            appEngine("/x")
                .setDispatchDeadline(Duration.newBuilder().setSeconds(24 * 3600 + 16))
                .build()),
        "Task.dispatchDeadline must be between [15s, 24h15s].");
  }

  @Test
  void taskWithoutTargetIsInvalid() {
    ApiException e = createFails(Task.newBuilder().build());
    assertThat(e.getStatusCode().getCode()).isEqualTo(StatusCode.Code.INVALID_ARGUMENT);
  }

  @Test
  void tasksAboveOneMebibyteAreRejected() {
    ByteString big = ByteString.copyFrom(new byte[1024 * 1024]);
    ApiException e =
        createFails(
            Task.newBuilder()
                .setHttpRequest(HttpRequest.newBuilder().setUrl("http://localhost:1/").setBody(big))
                .build());
    assertThat(e.getStatusCode().getCode()).isEqualTo(StatusCode.Code.INVALID_ARGUMENT);
    assertThat(e.getMessage()).contains("maximum is 1048576 bytes");
    ByteString fits = ByteString.copyFrom(new byte[1024 * 1024 - 100]);
    assertThat(
            client.createTask(
                Q,
                Task.newBuilder()
                    .setHttpRequest(
                        HttpRequest.newBuilder().setUrl("http://localhost:1/").setBody(fits))
                    .build()))
        .isNotNull();
  }

  @Test
  void malformedNamesAreInvalidAndTheServerKeepsServing() {
    for (String parent :
        new String[] {
          "", "queues/x", "projects/p/locations/l/queues/", "projects/p p/locations/l/queues/q"
        }) {
      ApiException e =
          apiError(() -> client.createTask(parent, http("http://localhost:1/").build()));
      assertThat(e.getStatusCode().getCode()).isEqualTo(StatusCode.Code.INVALID_ARGUMENT);
    }
    ApiException e = apiError(() -> client.getTask("not/a/task/name"));
    assertThat(e.getStatusCode().getCode()).isEqualTo(StatusCode.Code.INVALID_ARGUMENT);
    assertThat(client.getQueue(Q).getName()).isEqualTo(Q);
  }

  @Test
  void unknownRpcPayloadFieldsDoNotCrashTheServer() {
    ManagedChannel ch = ManagedChannelBuilder.forTarget(emu.grpcTarget()).usePlaintext().build();
    try {
      var stub = com.google.cloud.tasks.v2.CloudTasksGrpc.newBlockingStub(ch);
      var err =
          org.assertj.core.api.Assertions.catchThrowableOfType(
              io.grpc.StatusRuntimeException.class,
              () ->
                  stub.createTask(
                      com.google.cloud.tasks.v2.CreateTaskRequest.newBuilder()
                          .setParent(Q)
                          .setTask(
                              Task.newBuilder()
                                  .setHttpRequest(
                                      HttpRequest.newBuilder()
                                          .setUrl("http://localhost:1/")
                                          .setHttpMethodValue(99)))
                          .build()));
      assertThat(err.getStatus().getCode()).isEqualTo(io.grpc.Status.Code.INVALID_ARGUMENT);
    } finally {
      ch.shutdownNow();
    }
    assertThat(client.getQueue(Q).getName()).isEqualTo(Q);
  }
}
