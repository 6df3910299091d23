package dev.deferred.emulator.rest;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.api.gax.core.NoCredentialsProvider;
import com.google.api.gax.rpc.ApiException;
import com.google.api.gax.rpc.StatusCode;
import com.google.cloud.tasks.v2.CloudTasksClient;
import com.google.cloud.tasks.v2.CloudTasksSettings;
import com.google.cloud.tasks.v2.CreateTaskRequest;
import com.google.cloud.tasks.v2.GetTaskRequest;
import com.google.cloud.tasks.v2.HttpMethod;
import com.google.cloud.tasks.v2.HttpRequest;
import com.google.cloud.tasks.v2.ListQueuesRequest;
import com.google.cloud.tasks.v2.ListQueuesResponse;
import com.google.cloud.tasks.v2.ListTasksRequest;
import com.google.cloud.tasks.v2.Queue;
import com.google.cloud.tasks.v2.RateLimits;
import com.google.cloud.tasks.v2.RetryConfig;
import com.google.cloud.tasks.v2.Task;
import com.google.cloud.tasks.v2.UpdateQueueRequest;
import com.google.iam.v1.Binding;
import com.google.iam.v1.GetIamPolicyRequest;
import com.google.iam.v1.Policy;
import com.google.iam.v1.SetIamPolicyRequest;
import com.google.iam.v1.TestIamPermissionsRequest;
import com.google.protobuf.ByteString;
import com.google.protobuf.FieldMask;
import com.google.protobuf.util.Durations;
import com.sun.net.httpserver.HttpServer;
import dev.deferred.emulator.CloudTasksEmulator;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Every Cloud Tasks RPC through the official Java client's HTTP/JSON transport against a running
 * emulator, plus the raw JSON of the errors, which that client reduces to an HTTP status.
 */
class RestTransportTest {

  private static final String PROJECT = "rest-project";
  private static final String LOCATION = "europe-west1";
  private static final String PARENT = "projects/" + PROJECT + "/locations/" + LOCATION;

  private static CloudTasksEmulator emu;
  private static CloudTasksClient client;
  private static HttpServer worker;
  private static ExecutorService workerExecutor;
  private static final LinkedBlockingQueue<String> delivered = new LinkedBlockingQueue<>();
  private static final HttpClient HTTP = HttpClient.newHttpClient();

  @BeforeAll
  static void start() throws Exception {
    worker = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    workerExecutor = Executors.newFixedThreadPool(2);
    worker.setExecutor(workerExecutor);
    worker.createContext(
        "/",
        exchange -> {
          byte[] body = exchange.getRequestBody().readAllBytes();
          delivered.add(
              exchange.getRequestURI().getPath() + " " + new String(body, StandardCharsets.UTF_8));
          exchange.sendResponseHeaders(200, -1);
          exchange.close();
        });
    worker.start();
    emu =
        CloudTasksEmulator.builder()
            .project(PROJECT)
            .location(LOCATION)
            .queueTombstoneTtl(java.time.Duration.ofDays(7))
            .start();
    client =
        CloudTasksClient.create(
            CloudTasksSettings.newHttpJsonBuilder()
                .setEndpoint(base())
                .setCredentialsProvider(NoCredentialsProvider.create())
                .build());
  }

  @AfterAll
  static void stop() throws Exception {
    if (client != null) {
      client.close();
      client.awaitTermination(5, TimeUnit.SECONDS);
    }
    if (emu != null) {
      emu.close();
    }
    worker.stop(0);
    workerExecutor.shutdownNow();
  }

  @BeforeEach
  void reset() {
    emu.reset();
    delivered.clear();
  }

  private static String base() {
    return "http://127.0.0.1:" + emu.httpPort();
  }

  private static String queueName(String id) {
    return PARENT + "/queues/" + id;
  }

  private static Queue createQueue(String id) {
    return client.createQueue(PARENT, Queue.newBuilder().setName(queueName(id)).build());
  }

  private static Task httpTask(String queue, String id, String body) {
    Task.Builder task =
        Task.newBuilder()
            .setHttpRequest(
                HttpRequest.newBuilder()
                    .setUrl("http://127.0.0.1:" + worker.getAddress().getPort() + "/work")
                    .setHttpMethod(HttpMethod.POST)
                    .setBody(ByteString.copyFromUtf8(body)));
    if (id != null) {
      task.setName(queueName(queue) + "/tasks/" + id);
    }
    return task.build();
  }

  /**
   * Runs a call that must fail. Over HTTP/JSON the client's message is only the HTTP reason ("Not
   * Found"); Google's error JSON, with the real message, is in the cause.
   */
  private static ApiException apiError(Runnable call) {
    try {
      call.run();
    } catch (ApiException e) {
      return e;
    }
    throw new AssertionError("expected the call to fail");
  }

  private static HttpResponse<String> raw(String method, String path, String body)
      throws Exception {
    return HTTP.send(
        java.net.http.HttpRequest.newBuilder(URI.create(base() + path))
            .method(
                method,
                body == null
                    ? java.net.http.HttpRequest.BodyPublishers.noBody()
                    : java.net.http.HttpRequest.BodyPublishers.ofString(body))
            .header("Content-Type", "application/json")
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }

  // ---- queues ----

  @Test
  void createGetAndDeleteQueue() {
    Queue created = createQueue("q1");

    assertThat(created.getName()).isEqualTo(queueName("q1"));
    assertThat(created.getState()).isEqualTo(Queue.State.RUNNING);
    assertThat(created.getRateLimits().getMaxDispatchesPerSecond()).isEqualTo(500.0);
    assertThat(client.getQueue(queueName("q1"))).isEqualTo(created);

    client.deleteQueue(queueName("q1"));

    ApiException e = apiError(() -> client.getQueue(queueName("q1")));
    assertThat(e.getStatusCode().getCode()).isEqualTo(StatusCode.Code.NOT_FOUND);
  }

  @Test
  void listQueuesPagesInOrderAndFilters() {
    for (String id : List.of("c", "a", "d", "b", "e")) {
      createQueue(id);
    }
    client.pauseQueue(queueName("d"));

    ListQueuesResponse first =
        client
            .listQueuesCallable()
            .call(ListQueuesRequest.newBuilder().setParent(PARENT).setPageSize(2).build());
    assertThat(first.getQueuesList())
        .extracting(Queue::getName)
        .containsExactly(queueName("a"), queueName("b"));
    assertThat(first.getNextPageToken()).isNotEmpty();
    ListQueuesResponse second =
        client
            .listQueuesCallable()
            .call(
                ListQueuesRequest.newBuilder()
                    .setParent(PARENT)
                    .setPageSize(2)
                    .setPageToken(first.getNextPageToken())
                    .build());
    assertThat(second.getQueuesList())
        .extracting(Queue::getName)
        .containsExactly(queueName("c"), queueName("d"));

    List<String> all = new ArrayList<>();
    client.listQueues(PARENT).iterateAll().forEach(q -> all.add(q.getName()));
    assertThat(all).hasSize(5).isSorted();

    List<String> paused = new ArrayList<>();
    client
        .listQueues(
            ListQueuesRequest.newBuilder().setParent(PARENT).setFilter("state: PAUSED").build())
        .iterateAll()
        .forEach(q -> paused.add(q.getName()));
    assertThat(paused).containsExactly(queueName("d"));
  }

  @Test
  void updateQueueHonoursTheMaskSentAsQueryParameter() {
    Queue original = createQueue("upd");

    Queue updated =
        client.updateQueue(
            UpdateQueueRequest.newBuilder()
                .setQueue(
                    Queue.newBuilder()
                        .setName(queueName("upd"))
                        .setRateLimits(
                            RateLimits.newBuilder()
                                .setMaxDispatchesPerSecond(7)
                                .setMaxConcurrentDispatches(3))
                        .setRetryConfig(RetryConfig.newBuilder().setMaxAttempts(9)))
                .setUpdateMask(
                    FieldMask.newBuilder().addPaths("rate_limits.max_dispatches_per_second"))
                .build());

    assertThat(updated.getRateLimits().getMaxDispatchesPerSecond()).isEqualTo(7.0);
    assertThat(updated.getRateLimits().getMaxConcurrentDispatches())
        .isEqualTo(original.getRateLimits().getMaxConcurrentDispatches());
    assertThat(updated.getRetryConfig()).isEqualTo(original.getRetryConfig());
  }

  @Test
  void updateQueueCreatesAMissingQueue() {
    Queue created =
        client.updateQueue(
            UpdateQueueRequest.newBuilder()
                .setQueue(Queue.newBuilder().setName(queueName("fresh")))
                .build());

    assertThat(created.getName()).isEqualTo(queueName("fresh"));
    assertThat(client.getQueue(queueName("fresh")).getState()).isEqualTo(Queue.State.RUNNING);
  }

  @Test
  void pauseResumeAndPurge() {
    createQueue("pr");
    client.createTask(queueName("pr"), httpTask("pr", "t1", "x"));

    assertThat(client.pauseQueue(queueName("pr")).getState()).isEqualTo(Queue.State.PAUSED);
    assertThat(client.purgeQueue(queueName("pr")).getName()).isEqualTo(queueName("pr"));
    assertThat(client.listTasks(queueName("pr")).iterateAll()).isEmpty();
    assertThat(client.resumeQueue(queueName("pr")).getState()).isEqualTo(Queue.State.RUNNING);
  }

  @Test
  void iamPolicyRoundTrips() {
    createQueue("iam");
    Policy policy =
        Policy.newBuilder()
            .addBindings(
                Binding.newBuilder().setRole("roles/cloudtasks.viewer").addMembers("user:x@y.z"))
            .build();

    Policy stored =
        client.setIamPolicy(
            SetIamPolicyRequest.newBuilder()
                .setResource(queueName("iam"))
                .setPolicy(policy)
                .build());

    assertThat(stored.getBindingsList()).isEqualTo(policy.getBindingsList());
    assertThat(
            client.getIamPolicy(
                GetIamPolicyRequest.newBuilder().setResource(queueName("iam")).build()))
        .isEqualTo(stored);
    assertThat(
            client
                .testIamPermissions(
                    TestIamPermissionsRequest.newBuilder()
                        .setResource(queueName("iam"))
                        .addPermissions("cloudtasks.tasks.create")
                        .build())
                .getPermissionsList())
        .containsExactly("cloudtasks.tasks.create");
  }

  // ---- tasks ----

  @Test
  void createGetListAndDeleteTaskWithViews() {
    createQueue("tq");
    client.pauseQueue(queueName("tq"));

    Task created =
        client.createTask(
            CreateTaskRequest.newBuilder()
                .setParent(queueName("tq"))
                .setTask(httpTask("tq", "named", "payload"))
                .setResponseView(Task.View.FULL)
                .build());
    assertThat(created.getName()).isEqualTo(queueName("tq") + "/tasks/named");
    assertThat(created.getHttpRequest().getBody().toStringUtf8()).isEqualTo("payload");
    assertThat(created.getScheduleTime().getSeconds()).isPositive();
    assertThat(created.getDispatchDeadline()).isEqualTo(Durations.fromMinutes(10));

    Task basic = client.getTask(created.getName());
    assertThat(basic.getView()).isEqualTo(Task.View.BASIC);
    assertThat(basic.getHttpRequest().getBody().isEmpty()).isTrue();
    Task full =
        client.getTask(
            GetTaskRequest.newBuilder()
                .setName(created.getName())
                .setResponseView(Task.View.FULL)
                .build());
    assertThat(full.getView()).isEqualTo(Task.View.FULL);
    assertThat(full.getHttpRequest().getBody().toStringUtf8()).isEqualTo("payload");

    Task unnamed = client.createTask(queueName("tq"), httpTask("tq", null, "second"));
    assertThat(unnamed.getName()).startsWith(queueName("tq") + "/tasks/");

    List<Task> listed = new ArrayList<>();
    client
        .listTasks(
            ListTasksRequest.newBuilder()
                .setParent(queueName("tq"))
                .setResponseView(Task.View.FULL)
                .setPageSize(1)
                .build())
        .iterateAll()
        .forEach(listed::add);
    assertThat(listed).hasSize(2);
    assertThat(listed)
        .extracting(t -> t.getHttpRequest().getBody().toStringUtf8())
        .containsExactlyInAnyOrder("payload", "second");

    client.deleteTask(created.getName());
    ApiException gone = apiError(() -> client.getTask(created.getName()));
    assertThat(gone.getStatusCode().getCode()).isEqualTo(StatusCode.Code.NOT_FOUND);
    assertThat(gone.getCause().getMessage()).contains("The task no longer exists");
  }

  @Test
  void runTaskDispatchesEvenInAPausedQueue() throws Exception {
    createQueue("run");
    client.pauseQueue(queueName("run"));
    Task task = client.createTask(queueName("run"), httpTask("run", "r1", "ran"));

    Task returned = client.runTask(task.getName());

    assertThat(returned.getName()).isEqualTo(task.getName());
    assertThat(delivered.poll(30, TimeUnit.SECONDS)).isEqualTo("/work ran");
  }

  // ---- errors: what the client sees, and the JSON on the wire ----

  @Test
  void createTaskInMissingQueueIsNotFoundWithGoogleMessage() throws Exception {
    ApiException e =
        apiError(() -> client.createTask(queueName("nope"), httpTask("nope", null, "")));
    assertThat(e.getStatusCode().getCode()).isEqualTo(StatusCode.Code.NOT_FOUND);
    assertThat(e.getCause().getMessage()).contains("Queue does not exist.");

    HttpResponse<String> response =
        raw(
            "POST",
            "/v2/" + queueName("nope") + "/tasks",
            "{\"task\":{\"httpRequest\":{\"url\":\"http://x\"}}}");
    assertThat(response.statusCode()).isEqualTo(404);
    assertThat(response.body())
        .isEqualTo(
            "{\"error\":{\"code\":404,\"message\":\"Queue does not exist. If you just created the"
                + " queue, wait at least a minute for the queue to initialize.\",\"status\":\"NOT_FOUND\"}}");
  }

  @Test
  void duplicateTaskNameIsConflictAlreadyExists() throws Exception {
    createQueue("dup");
    client.pauseQueue(queueName("dup"));
    client.createTask(queueName("dup"), httpTask("dup", "same", "1"));

    // Google's REST transport knows only the HTTP status: 409 reads as ABORTED on the client.
    ApiException e =
        apiError(() -> client.createTask(queueName("dup"), httpTask("dup", "same", "2")));
    assertThat(e.getStatusCode().getCode()).isEqualTo(StatusCode.Code.ABORTED);
    assertThat(e.getCause().getMessage()).contains("Requested entity already exists");

    HttpResponse<String> response =
        raw(
            "POST",
            "/v2/" + queueName("dup") + "/tasks",
            "{\"task\":{\"name\":\""
                + queueName("dup")
                + "/tasks/same\",\"httpRequest\":{\"url\":\"http://x\"}}}");
    assertThat(response.statusCode()).isEqualTo(409);
    assertThat(response.body()).contains("\"status\":\"ALREADY_EXISTS\"");
  }

  @Test
  void invalidTaskIdIsBadRequestWithTheRule() {
    createQueue("bad");

    ApiException e =
        apiError(() -> client.createTask(queueName("bad"), httpTask("bad", "no spaces", "")));

    assertThat(e.getStatusCode().getCode()).isEqualTo(StatusCode.Code.INVALID_ARGUMENT);
    assertThat(e.getCause().getMessage())
        .contains("can contain only letters ([A-Za-z]), numbers ([0-9])");
  }

  @Test
  void recentlyDeletedQueueNameIsFailedPreconditionOnTheWire() throws Exception {
    createQueue("gone");
    client.deleteQueue(queueName("gone"));

    ApiException e = apiError(() -> createQueue("gone"));
    assertThat(e.getCause().getMessage()).contains("existed too recently");

    HttpResponse<String> response =
        raw("POST", "/v2/" + PARENT + "/queues", "{\"name\":\"" + queueName("gone") + "\"}");
    assertThat(response.statusCode()).isEqualTo(400);
    assertThat(response.body()).contains("\"status\":\"FAILED_PRECONDITION\"");
  }

  @Test
  void unknownJsonFieldIsRejectedAndNothingIsCreated() throws Exception {
    createQueue("strict");

    HttpResponse<String> response =
        raw(
            "POST",
            "/v2/" + queueName("strict") + "/tasks",
            "{\"task\":{\"httpRequest\":{\"url\":\"http://x\"},\"priority\":1}}");

    assertThat(response.statusCode()).isEqualTo(400);
    assertThat(response.body()).contains("INVALID_ARGUMENT", "priority");
    assertThat(client.listTasks(queueName("strict")).iterateAll()).isEmpty();
  }

  @Test
  void jsonOutputUsesCamelCaseStringsForTimesAndEnumNames() throws Exception {
    createQueue("json");

    HttpResponse<String> response = raw("GET", "/v2/" + queueName("json"), null);

    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.body())
        .contains(
            "\"maxDispatchesPerSecond\": 500.0",
            "\"state\": \"RUNNING\"",
            "\"minBackoff\": \"0.100s\"");
    HttpResponse<String> asInts =
        raw("GET", "/v2/" + queueName("json") + "?%24alt=json%3Benum-encoding%3Dint", null);
    assertThat(asInts.body()).contains("\"state\": 1");
  }

  @Test
  void listLocationsShowsTheEmulatorsLocation() throws Exception {
    HttpResponse<String> response = raw("GET", "/v2/projects/" + PROJECT + "/locations", null);

    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.body()).contains("\"locationId\": \"" + LOCATION + "\"");
  }
}
