package dev.deferred.emulator;

import static dev.deferred.emulator.EmulatorTestSupport.apiError;
import static dev.deferred.emulator.EmulatorTestSupport.queueName;
import static org.assertj.core.api.Assertions.assertThat;

import com.google.api.gax.rpc.StatusCode;
import com.google.cloud.tasks.v2.AppEngineHttpRequest;
import com.google.cloud.tasks.v2.AppEngineRouting;
import com.google.cloud.tasks.v2.CloudTasksClient;
import com.google.cloud.tasks.v2.HttpMethod;
import com.google.cloud.tasks.v2.HttpRequest;
import com.google.cloud.tasks.v2.Queue;
import com.google.cloud.tasks.v2.Task;
import com.google.protobuf.ByteString;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** What a task handler receives: URL, method, body and Cloud Tasks' headers, on the real clock. */
class DispatchHeadersTest {
  static RecordingHandler handler;
  static RecordingHandler workerService;
  static CloudTasksEmulator emu;
  static CloudTasksClient client;
  static final String Q = queueName("headers");

  @BeforeAll
  static void start() throws Exception {
    handler = new RecordingHandler();
    workerService = new RecordingHandler();
    emu =
        CloudTasksEmulator.builder()
            .project(EmulatorTestSupport.PROJECT)
            .appEngineTarget(handler.base())
            .appEngineService("worker", workerService.base())
            .queue(Q)
            .start();
    client = EmulatorTestSupport.client(emu);
  }

  @AfterAll
  static void stop() throws Exception {
    EmulatorTestSupport.close(client);
    emu.close();
    handler.close();
    workerService.close();
  }

  @BeforeEach
  void reset() {
    emu.reset();
  }

  @AfterEach
  void everythingDelivered() {
    assertThat(emu.awaitIdle(Duration.ofSeconds(20))).isTrue();
  }

  @Test
  void httpTargetGetsCloudTasksHeadersAndNoAddedContentType() throws Exception {
    Task created =
        client.createTask(
            Q,
            Task.newBuilder()
                .setName(Q + "/tasks/h1")
                .setHttpRequest(
                    HttpRequest.newBuilder()
                        .setUrl(handler.url("/work?x=1").toString())
                        .setHttpMethod(HttpMethod.PUT)
                        .setBody(ByteString.copyFromUtf8("hello"))
                        .putHeaders("X-Custom", "custom value")
                        .putHeaders("User-Agent", "not-used")
                        .putHeaders("X-CloudTasks-QueueName", "spoofed"))
                .build());
    RecordingHandler.Recorded r = handler.next();
    assertThat(r.method()).isEqualTo("PUT");
    assertThat(r.path()).isEqualTo("/work?x=1");
    assertThat(r.bodyText()).isEqualTo("hello");
    assertThat(r.header("X-CloudTasks-QueueName")).isEqualTo("headers");
    assertThat(r.header("X-CloudTasks-TaskName")).isEqualTo("h1");
    assertThat(r.header("X-CloudTasks-TaskRetryCount")).isEqualTo("0");
    assertThat(r.header("X-CloudTasks-TaskExecutionCount")).isEqualTo("0");
    double eta = Double.parseDouble(r.header("X-CloudTasks-TaskETA"));
    com.google.protobuf.Timestamp s = created.getScheduleTime();
    assertThat(eta)
        .isCloseTo(s.getSeconds() + s.getNanos() / 1e9, org.assertj.core.data.Offset.offset(1e-6));
    assertThat(r.header("X-CloudTasks-TaskETA")).matches("[0-9]+\\.[0-9]{6}");
    assertThat(r.header("X-CloudTasks-TaskPreviousResponse")).isNull();
    assertThat(r.header("X-CloudTasks-TaskRetryReason")).isNull();
    assertThat(r.header("User-Agent")).isEqualTo("Google-Cloud-Tasks");
    assertThat(r.header("Content-Type")).isNull();
    assertThat(r.header("X-Custom")).isEqualTo("custom value");
    assertThat(r.header("Authorization")).isNull();
    assertThat(r.headers().keySet()).noneMatch(k -> k.toLowerCase().startsWith("x-appengine-"));
  }

  @Test
  void appEngineTargetGetsAppEngineHeadersUserAgentAndOctetStream() throws Exception {
    client.createTask(
        Q,
        Task.newBuilder()
            .setName(Q + "/tasks/ae1")
            .setAppEngineHttpRequest(
                AppEngineHttpRequest.newBuilder()
                    .setRelativeUri("/_ah/queue/deferred")
                    .setBody(ByteString.copyFromUtf8("payload")))
            .build());
    RecordingHandler.Recorded r = handler.next();
    assertThat(r.method()).isEqualTo("POST");
    assertThat(r.path()).isEqualTo("/_ah/queue/deferred");
    assertThat(r.header("X-AppEngine-QueueName")).isEqualTo("headers");
    assertThat(r.header("X-AppEngine-TaskName")).isEqualTo("ae1");
    assertThat(r.header("X-AppEngine-TaskRetryCount")).isEqualTo("0");
    assertThat(r.header("X-AppEngine-TaskExecutionCount")).isEqualTo("0");
    assertThat(r.header("X-AppEngine-TaskETA")).matches("[0-9]+\\.[0-9]{6}");
    assertThat(r.header("User-Agent"))
        .isEqualTo("AppEngine-Google; (+http://code.google.com/appengine)");
    assertThat(r.header("Content-Type")).isEqualTo("application/octet-stream");
    assertThat(r.headers().keySet()).noneMatch(k -> k.toLowerCase().startsWith("x-cloudtasks-"));

    client.createTask(
        Q,
        Task.newBuilder()
            .setAppEngineHttpRequest(
                AppEngineHttpRequest.newBuilder()
                    .setRelativeUri("/json")
                    .putHeaders("Content-Type", "application/json")
                    .setBody(ByteString.copyFromUtf8("{}")))
            .build());
    assertThat(handler.next().header("Content-Type")).isEqualTo("application/json");
  }

  @Test
  void appEngineServicesAreRoutedToTheirOwnUrl() throws Exception {
    client.createTask(
        Q,
        Task.newBuilder()
            .setAppEngineHttpRequest(
                AppEngineHttpRequest.newBuilder()
                    .setRelativeUri("/svc")
                    .setAppEngineRouting(AppEngineRouting.newBuilder().setService("worker")))
            .build());
    RecordingHandler.Recorded r = workerService.next();
    assertThat(r.path()).isEqualTo("/svc");
    assertThat(r.header("Content-Type")).isNull();
  }

  @Test
  void aVersionMappingWinsOverItsServiceMapping() throws Exception {
    try (RecordingHandler v2 = new RecordingHandler();
        CloudTasksEmulator routed =
            CloudTasksEmulator.builder()
                .appEngineTarget(handler.base())
                .appEngineService("worker", workerService.base())
                .appEngineService("v2.worker", v2.base())
                .queue("routed")
                .start()) {
      CloudTasksClient c = EmulatorTestSupport.client(routed);
      try {
        String q = "projects/dev-project/locations/us-central1/queues/routed";
        for (String version : new String[] {"v2", "v1"}) {
          c.createTask(
              q,
              Task.newBuilder()
                  .setAppEngineHttpRequest(
                      AppEngineHttpRequest.newBuilder()
                          .setRelativeUri("/" + version)
                          .setAppEngineRouting(
                              AppEngineRouting.newBuilder()
                                  .setService("worker")
                                  .setVersion(version)))
                  .build());
        }
        assertThat(v2.next().path()).isEqualTo("/v2");
        assertThat(workerService.next().path()).isEqualTo("/v1");
        assertThat(routed.awaitIdle(Duration.ofSeconds(20))).isTrue();
      } finally {
        EmulatorTestSupport.close(c);
      }
    }
  }

  @Test
  void queueRoutingOverrideWinsOverTheTaskRouting() throws Exception {
    String q2 = queueName("override");
    client.createQueue(
        EmulatorTestSupport.PARENT,
        Queue.newBuilder()
            .setName(q2)
            .setAppEngineRoutingOverride(AppEngineRouting.newBuilder().setService("worker"))
            .build());
    Task t =
        client.createTask(
            q2,
            Task.newBuilder()
                .setAppEngineHttpRequest(
                    AppEngineHttpRequest.newBuilder()
                        .setRelativeUri("/over")
                        .setAppEngineRouting(AppEngineRouting.newBuilder().setService("other")))
                .build());
    assertThat(t.getAppEngineHttpRequest().getAppEngineRouting().getService()).isEqualTo("worker");
    assertThat(workerService.next().path()).isEqualTo("/over");
  }

  @Test
  void retryOfAnHttpTargetCarriesPreviousResponseAndExcludes5xxFromTheExecutionCount()
      throws Exception {
    handler.script(500, 404, 200);
    client.createTask(
        Q,
        Task.newBuilder()
            .setName(Q + "/tasks/retried")
            .setHttpRequest(HttpRequest.newBuilder().setUrl(handler.url("/r").toString()))
            .build());
    List<RecordingHandler.Recorded> rs = handler.take(3);
    assertThat(rs.get(1).header("X-CloudTasks-TaskRetryCount")).isEqualTo("1");
    assertThat(rs.get(1).header("X-CloudTasks-TaskExecutionCount")).isEqualTo("0");
    assertThat(rs.get(1).header("X-CloudTasks-TaskPreviousResponse")).isEqualTo("500");
    assertThat(rs.get(1).header("X-CloudTasks-TaskRetryReason")).isEqualTo("");
    assertThat(rs.get(2).header("X-CloudTasks-TaskRetryCount")).isEqualTo("2");
    assertThat(rs.get(2).header("X-CloudTasks-TaskExecutionCount")).isEqualTo("1");
    assertThat(rs.get(2).header("X-CloudTasks-TaskPreviousResponse")).isEqualTo("404");
    assertThat(emu.awaitIdle(Duration.ofSeconds(20))).isTrue();
    assertThat(apiError(() -> client.getTask(Q + "/tasks/retried")).getStatusCode().getCode())
        .isEqualTo(StatusCode.Code.NOT_FOUND);
  }

  @Test
  void retryOfAnAppEngineTargetCountsEveryResponseAndSaysAppError() throws Exception {
    handler.script(500, 200);
    client.createTask(
        Q,
        Task.newBuilder()
            .setAppEngineHttpRequest(AppEngineHttpRequest.newBuilder().setRelativeUri("/ae-retry"))
            .build());
    List<RecordingHandler.Recorded> rs = handler.take(2);
    assertThat(rs.get(1).header("X-AppEngine-TaskRetryCount")).isEqualTo("1");
    assertThat(rs.get(1).header("X-AppEngine-TaskExecutionCount")).isEqualTo("1");
    assertThat(rs.get(1).header("X-AppEngine-TaskPreviousResponse")).isEqualTo("500");
    assertThat(rs.get(1).header("X-AppEngine-TaskRetryReason")).isEqualTo("App Error");
  }

  @Test
  void redirectIsAFailedAttemptAndIsNotFollowed() throws Exception {
    handler.script(
        new RecordingHandler.Reply(
            302, Map.of("Location", handler.url("/elsewhere").toString()), false));
    client.createTask(
        Q,
        Task.newBuilder()
            .setHttpRequest(HttpRequest.newBuilder().setUrl(handler.url("/redirected").toString()))
            .build());
    List<RecordingHandler.Recorded> rs = handler.take(2);
    assertThat(rs)
        .extracting(RecordingHandler.Recorded::path)
        .containsExactly("/redirected", "/redirected");
    assertThat(rs.get(1).header("X-CloudTasks-TaskPreviousResponse")).isEqualTo("302");
  }

  @Test
  void connectionClosedWithoutResponseIsAFailedAttempt() throws Exception {
    Task t;
    try (RecordingHandler dropper = new RecordingHandler()) {
      dropper.script(RecordingHandler.Reply.hanging());
      client.createTask(
          Q,
          Task.newBuilder()
              .setName(Q + "/tasks/dropped")
              .setHttpRequest(HttpRequest.newBuilder().setUrl(dropper.url("/drop").toString()))
              .build());
      dropper.next();
      // Closing the handler releases the hanging exchange without a response.
    }
    t = awaitAttempts(Q + "/tasks/dropped", 1);
    assertThat(t.getResponseCount()).isZero();
    assertThat(t.getLastAttempt().getResponseStatus().getCode())
        .isEqualTo(io.grpc.Status.Code.UNAVAILABLE.value());
    client.deleteTask(Q + "/tasks/dropped");
  }

  @Test
  void dispatchDeadlineIsTheRequestTimeoutAndIsReportedAs504() throws Exception {
    try (RecordingHandler slow = new RecordingHandler()) {
      slow.script(RecordingHandler.Reply.hanging(), RecordingHandler.Reply.of(200));
      client.createTask(
          Q,
          Task.newBuilder()
              .setName(Q + "/tasks/slow")
              .setDispatchDeadline(com.google.protobuf.Duration.newBuilder().setSeconds(15))
              .setHttpRequest(HttpRequest.newBuilder().setUrl(slow.url("/slow").toString()))
              .build());
      slow.next();
      RecordingHandler.Recorded retry = slow.next();
      assertThat(retry.header("X-CloudTasks-TaskRetryCount")).isEqualTo("1");
      assertThat(retry.header("X-CloudTasks-TaskPreviousResponse")).isEqualTo("504");
      assertThat(retry.header("X-CloudTasks-TaskExecutionCount")).isEqualTo("0");
    }
  }

  private static Task awaitAttempts(String name, int responded) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
    while (System.nanoTime() < deadline) {
      Task t = client.getTask(name);
      if (t.getLastAttempt().hasResponseTime() && t.getDispatchCount() >= responded) {
        return t;
      }
      java.util.concurrent.locks.LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(10));
    }
    throw new AssertionError("No completed attempt on " + name);
  }

  @Test
  void headerCaseIsPreservedOnTheWire() throws Exception {
    try (ServerSocket raw = new ServerSocket(0, 50, java.net.InetAddress.getLoopbackAddress())) {
      CompletableFuture<List<String>> lines =
          CompletableFuture.supplyAsync(
              () -> {
                try (Socket s = raw.accept()) {
                  InputStream in = s.getInputStream();
                  StringBuilder head = new StringBuilder();
                  while (!head.toString().endsWith("\r\n\r\n")) {
                    int c = in.read();
                    if (c < 0) {
                      break;
                    }
                    head.append((char) c);
                  }
                  OutputStream out = s.getOutputStream();
                  out.write(
                      "HTTP/1.1 200 OK\r\nContent-Length: 0\r\nConnection: close\r\n\r\n"
                          .getBytes(StandardCharsets.US_ASCII));
                  out.flush();
                  return new ArrayList<>(List.of(head.toString().split("\r\n")));
                } catch (IOException e) {
                  throw new java.io.UncheckedIOException(e);
                }
              });
      client.createTask(
          Q,
          Task.newBuilder()
              .setHttpRequest(
                  HttpRequest.newBuilder()
                      .setUrl("http://127.0.0.1:" + raw.getLocalPort() + "/raw")
                      .setHttpMethod(HttpMethod.GET)
                      .putHeaders("x-lower-case", "a")
                      .putHeaders("X-MiXeD-CaSe", "b"))
              .build());
      List<String> head = lines.get(20, TimeUnit.SECONDS);
      assertThat(head).contains("x-lower-case: a", "X-MiXeD-CaSe: b");
      assertThat(head).anyMatch(l -> l.startsWith("X-CloudTasks-QueueName: "));
    }
  }
}
