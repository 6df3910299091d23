package dev.deferred.emulator;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.cloud.tasks.v2.CloudTasksClient;
import com.google.cloud.tasks.v2.CloudTasksGrpc;
import com.google.cloud.tasks.v2.CreateQueueRequest;
import com.google.cloud.tasks.v2.CreateTaskRequest;
import com.google.cloud.tasks.v2.HttpRequest;
import com.google.cloud.tasks.v2.ListTasksRequest;
import com.google.cloud.tasks.v2.Queue;
import com.google.cloud.tasks.v2.RateLimits;
import com.google.cloud.tasks.v2.RetryConfig;
import com.google.cloud.tasks.v2.Task;
import com.google.cloud.tasks.v2.UpdateQueueRequest;
import com.google.protobuf.ByteString;
import com.google.protobuf.FieldMask;
import com.google.protobuf.Message;
import com.google.protobuf.Struct;
import com.google.protobuf.Timestamp;
import com.google.protobuf.util.JsonFormat;
import io.grpc.CallOptions;
import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import io.grpc.MethodDescriptor;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.ClientCalls;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

/**
 * Malformed requests against both APIs of a running emulator: mutated paths, methods, query
 * strings, headers and JSON bodies over REST; random and mutated protobuf bytes and nonsensical but
 * well-formed messages over gRPC. Every answer must be a Google-style error (or a success), never a
 * crash, an internal error or a hang, and the emulator must still dispatch afterwards. The seed is
 * printed; replay a run with {@code -Dfuzz.seed=SEED}.
 */
class EmulatorFuzzTest {

  static final int REST_REQUESTS = Integer.getInteger("fuzz.rest", 600);
  static final int GRPC_REQUESTS = Integer.getInteger("fuzz.grpc", 400);
  private static final int SOCKET_TIMEOUT_MS = 30_000;
  private static final Set<String> CODES = statusNames();

  private Random random;
  private String handlerUrl;
  private String parent;
  private int httpPort;

  @Test
  void malformedRequestsGetGoogleStyleErrorsAndTheEmulatorKeepsWorking() throws Exception {
    long seed = Long.getLong("fuzz.seed", new SecureRandom().nextLong());
    System.out.println("EmulatorFuzzTest seed " + seed + " (replay: -Dfuzz.seed=" + seed + ")");
    random = new Random(seed);
    try (RecordingHandler handler = new RecordingHandler();
        CloudTasksEmulator emu =
            CloudTasksEmulator.builder()
                .project(EmulatorTestSupport.PROJECT)
                .appEngineTarget(handler.base())
                .queue(Queue.newBuilder().setName("paused").setState(Queue.State.PAUSED).build())
                .queue("running")
                .queueTombstoneTtl(Duration.ZERO)
                .start();
        CloudTasksClient client = EmulatorTestSupport.client(emu)) {
      handlerUrl = handler.url("/fuzz").toString();
      parent = EmulatorTestSupport.PARENT;
      httpPort = emu.httpPort();
      Map<Integer, Integer> restAnswers = new TreeMap<>();
      for (int i = 0; i < REST_REQUESTS; i++) {
        RawRequest request = restRequest();
        int status = sendAndCheck(request, seed, i);
        restAnswers.merge(status, 1, Integer::sum);
      }
      Map<Status.Code, Integer> grpcAnswers = new EnumMap<>(Status.Code.class);
      ManagedChannel channel =
          ManagedChannelBuilder.forTarget(emu.grpcTarget()).usePlaintext().build();
      try {
        for (int i = 0; i < GRPC_REQUESTS; i++) {
          Status.Code code =
              random.nextBoolean() ? rawGrpcCall(channel, seed, i) : stubCall(channel, seed, i);
          grpcAnswers.merge(code, 1, Integer::sum);
        }
      } finally {
        channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
      }
      System.out.println(
          "EmulatorFuzzTest REST answers by HTTP status (0: request line refused by the JDK"
              + " HTTP server; -1: oversized body, connection reset): "
              + restAnswers);
      System.out.println("EmulatorFuzzTest gRPC answers by code: " + grpcAnswers);

      // No stuck queue: everything due is delivered or backing off, and a new task gets through.
      // The fuzz may have left a queue paused or at a legal but glacial rate (0.0001 dispatches a
      // second: one token every three hours); a task waiting for such a token is due, not idle, so
      // every queue is resumed and given a rate that drains it before waiting for idleness.
      for (Queue q : client.listQueues(parent).iterateAll()) {
        if (q.getState() == Queue.State.PAUSED) {
          client.resumeQueue(q.getName());
        }
        client.updateQueue(
            q.toBuilder()
                .setRateLimits(
                    RateLimits.newBuilder()
                        .setMaxDispatchesPerSecond(500)
                        .setMaxConcurrentDispatches(100))
                .build(),
            FieldMask.newBuilder()
                .addPaths("rate_limits.max_dispatches_per_second")
                .addPaths("rate_limits.max_concurrent_dispatches")
                .build());
      }
      assertThat(emu.awaitIdle(Duration.ofSeconds(60))).as("idle after the fuzz").isTrue();
      Queue control =
          client.createQueue(
              parent,
              Queue.newBuilder().setName(EmulatorTestSupport.queueName("control-" + seed)).build());
      client.createTask(
          control.getName(),
          Task.newBuilder()
              .setHttpRequest(HttpRequest.newBuilder().setUrl(handler.url("/control").toString()))
              .build());
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
      boolean delivered = false;
      while (!delivered && System.nanoTime() < deadline) {
        RecordingHandler.Recorded r = handler.poll(Duration.ofSeconds(1));
        delivered = r != null && r.path().equals("/control");
      }
      assertThat(delivered)
          .as("a task created after the fuzz is delivered (seed %d)", seed)
          .isTrue();
      assertThat(sendAndCheck(get("/v2/" + parent + "/queues"), seed, -1)).isEqualTo(200);
    }
  }

  // ---------------------------------------------------------------- REST

  record RawRequest(String method, String target, List<String> headers, byte[] body) {
    String describe() {
      return method
          + " "
          + (target.length() > 200 ? target.substring(0, 200) + "..." : target)
          + " "
          + headers
          + " body "
          + body.length
          + " bytes: "
          + new String(body, 0, Math.min(body.length, 300), StandardCharsets.UTF_8);
    }
  }

  private RawRequest get(String target) {
    return new RawRequest("GET", target, new ArrayList<>(), new byte[0]);
  }

  private RawRequest restRequest() {
    String queue =
        parent + "/queues/" + pick("paused", "running", "nope", "fuzz-" + random.nextInt(20));
    String task = queue + "/tasks/" + pick("t1", "t" + random.nextInt(50), "missing");
    String method;
    String target;
    String body;
    switch (random.nextInt(9)) {
      case 0 -> {
        method = "POST";
        target = "/v2/" + parent + "/queues";
        body = "{\"name\":\"" + queue + "\"," + queueSettings() + "}";
      }
      case 1, 2 -> {
        method = "POST";
        target = "/v2/" + queue + "/tasks";
        body = "{\"task\":" + taskJson(task) + ",\"responseView\":\"FULL\"}";
      }
      case 3 -> {
        method = "PATCH";
        target =
            "/v2/"
                + queue
                + "?updateMask="
                + pick("rateLimits.maxDispatchesPerSecond", "retryConfig", "state", "bogus");
        body = "{" + queueSettings() + "}";
      }
      case 4 -> {
        method = "POST";
        target =
            "/v2/" + pick(queue + ":pause", queue + ":resume", queue + ":purge", task + ":run");
        body = pick("{}", "{\"responseView\":\"FULL\"}", "");
      }
      case 5 -> {
        method = "GET";
        target =
            "/v2/"
                + queue
                + "/tasks?pageSize="
                + pick("1", "0", "-5", "100000", "x")
                + "&pageToken="
                + pick("", "abc", "%2F%2F", "AAAA");
        body = "";
      }
      case 6 -> {
        method = pick("GET", "DELETE");
        target = "/v2/" + pick(queue, task, parent + "/queues", parent + "/locations");
        body = "";
      }
      case 7 -> {
        method = "POST";
        target = "/v2/" + queue + pick(":setIamPolicy", ":getIamPolicy", ":testIamPermissions");
        body =
            pick(
                "{\"policy\":{\"bindings\":[{\"role\":\"roles/x\",\"members\":[\"user:a@b.c\"]}]}}",
                "{\"permissions\":[\"a\"]}",
                "{}");
      }
      default -> {
        method = "GET";
        target =
            "/v2/"
                + parent
                + "/queues?filter="
                + pick(
                    "state%3APAUSED",
                    "name%3D(",
                    "%28%28%28",
                    "rate_limits.max_dispatches_per_second%3E1",
                    "NOT%20NOT",
                    "a%3Db%20OR");
        body = "";
      }
    }
    List<String> headers = new ArrayList<>();
    headers.add("Content-Type: application/json");
    int mutations = 1 + random.nextInt(3);
    for (int m = 0; m < mutations; m++) {
      switch (random.nextInt(6)) {
        case 0 -> target = mutatePath(target);
        case 1 -> method = pick("GET", "POST", "PATCH", "DELETE", "PUT", "OPTIONS");
        case 2 ->
            target =
                target
                    + (target.contains("?") ? "&" : "?")
                    + pick(
                        "bogus=1",
                        "pageSize=%zz",
                        "%",
                        "responseView=WRONG",
                        "updateMask=a..b",
                        "$alt=json;enum-encoding=int",
                        "=",
                        "&&&");
        case 3 -> body = mutateJson(body);
        case 4 -> {
          headers.clear();
          String type =
              pick(
                  "text/plain",
                  "application/x-www-form-urlencoded",
                  "application/json; charset=bogus",
                  "application/jsonx",
                  "");
          if (!type.isEmpty()) {
            headers.add("Content-Type: " + type);
          }
        }
        default ->
            headers.add(
                "X-HTTP-Method-Override: " + pick("PATCH", "DELETE", "GET", "NONSENSE", ""));
      }
    }
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    if (random.nextInt(10) == 0) {
      bytes = randomBytes(random.nextInt(2000));
    }
    return new RawRequest(method, target, headers, bytes);
  }

  private String queueSettings() {
    return "\"rateLimits\":{\"maxDispatchesPerSecond\":"
        + pick("5", "0", "-1", "1e400", "\"NaN\"", "501", "0.0001")
        + ",\"maxConcurrentDispatches\":"
        + pick("1", "0", "-3", "5001", "2147483648")
        + "},\"retryConfig\":{\"maxAttempts\":"
        + pick("3", "-1", "0", "101")
        + ",\"minBackoff\":\""
        + pick("0.1s", "1s", "-1s", "abc", "99999999999s")
        + "\"}";
  }

  private String taskJson(String name) {
    String url =
        pick(
            handlerUrl,
            "http://127.0.0.1:1/closed",
            "ftp://x",
            "",
            "http://",
            "not a url",
            handlerUrl + "?q=%zz");
    String target =
        random.nextInt(4) == 0
            ? "\"appEngineHttpRequest\":{\"relativeUri\":\""
                + pick("/x", "x", "", "/a?b=c")
                + "\",\"httpMethod\":\""
                + pick("POST", "GET", "PATCH", "BOGUS")
                + "\"}"
            : "\"httpRequest\":{\"url\":\""
                + url
                + "\",\"httpMethod\":\""
                + pick("POST", "PUT", "GET", "HTTP_METHOD_UNSPECIFIED")
                + "\",\"body\":\""
                + pick(
                    Base64.getEncoder().encodeToString("hi".getBytes(StandardCharsets.UTF_8)),
                    "!!notbase64!!",
                    Base64.getEncoder()
                        .encodeToString(new byte[random.nextInt(3) == 0 ? 1_100_000 : 10]))
                + "\",\"headers\":{\""
                + pick("X-A", "Content-Type", "Host", "X-CloudTasks-QueueName", "Bad Header")
                + "\":\""
                + pick("1", "text/plain", "", "\\r\\nInjected: yes")
                + "\"}"
                + (random.nextBoolean()
                    ? ",\"oidcToken\":{\"serviceAccountEmail\":\"a@b.iam.gserviceaccount.com\"}"
                    : "")
                + "}";
    return "{"
        + (random.nextBoolean() ? "\"name\":\"" + name + "\"," : "")
        + target
        + ",\"scheduleTime\":\""
        + pick(
            "2030-01-01T00:00:00Z",
            "yesterday",
            "1970-01-01T00:00:00Z",
            "9999-12-31T23:59:59Z",
            "2020-02-30T00:00:00Z")
        + "\",\"dispatchDeadline\":\""
        + pick("15s", "1s", "3600s", "x")
        + "\"}";
  }

  private String mutatePath(String target) {
    int q = target.indexOf('?');
    String path = q < 0 ? target : target.substring(0, q);
    String query = q < 0 ? "" : target.substring(q);
    String[] segments = path.split("/", -1);
    int i = 1 + random.nextInt(segments.length - 1);
    segments[i] =
        pick(
            "",
            "%",
            "%zz",
            "..",
            "%2F",
            "a:b:c",
            ":run",
            "*",
            "%00",
            "\u00e9t\u00e9",
            "x".repeat(5000),
            segments[i] + ":bogusVerb",
            segments[i] + "/extra");
    return String.join("/", segments) + query;
  }

  private String mutateJson(String body) {
    return switch (random.nextInt(9)) {
      case 0 -> body.isEmpty() ? "{" : body.substring(0, random.nextInt(body.length()));
      case 1 -> "[".repeat(20_000) + "]".repeat(20_000);
      case 2 -> "{\"a\":".repeat(5_000) + "1" + "}".repeat(5_000);
      case 3 -> body.replaceFirst("\\{", "{\"unknownField\":1,");
      case 4 -> body.replaceFirst("\"[a-zA-Z]+\":", "\"name\":12,\"name\":");
      case 5 -> "\"" + "s".repeat(5 * 1024 * 1024) + "\"";
      case 6 -> "null";
      case 7 -> body.replace("\"", "'");
      default -> {
        char[] chars = body.toCharArray();
        for (int k = 0; k < 1 + random.nextInt(5) && chars.length > 0; k++) {
          chars[random.nextInt(chars.length)] = (char) (32 + random.nextInt(95));
        }
        yield new String(chars);
      }
    };
  }

  private int sendAndCheck(RawRequest request, long seed, int index) throws Exception {
    String context = "request " + index + " of seed " + seed + ": " + request.describe();
    ByteArrayOutputStream head = new ByteArrayOutputStream();
    StringBuilder text = new StringBuilder();
    text.append(request.method()).append(' ').append(request.target()).append(" HTTP/1.1\r\n");
    text.append("Host: 127.0.0.1:").append(httpPort).append("\r\n");
    for (String h : request.headers()) {
      text.append(h).append("\r\n");
    }
    text.append("Content-Length: ").append(request.body().length).append("\r\n");
    text.append("Connection: close\r\n\r\n");
    head.write(text.toString().getBytes(StandardCharsets.UTF_8));
    byte[] response;
    try (Socket socket = new Socket("127.0.0.1", httpPort)) {
      socket.setSoTimeout(SOCKET_TIMEOUT_MS);
      OutputStream out = socket.getOutputStream();
      out.write(head.toByteArray());
      try {
        out.write(request.body());
        out.flush();
      } catch (java.io.IOException refusedEarly) {
        // The server may answer and close before reading a body it refuses.
      }
      InputStream in = socket.getInputStream();
      response = in.readAllBytes();
    } catch (java.net.SocketException reset) {
      // A body refused before it is read (too large, not JSON) is answered at once, and the unread
      // rest (beyond the 64 KiB the JDK server drains) makes the server's close a reset that can
      // swallow the answer: counted apart;
      // the server's health is checked by the next request.
      if (request.body().length > 64 * 1024) {
        return -1;
      }
      // Likewise the JDK server's own 400 for a request line it cannot parse.
      if (!isUri(request.target())) {
        return 0;
      }
      throw new AssertionError("connection failed: " + context, reset);
    }
    String raw = new String(response, StandardCharsets.UTF_8);
    assertThat(raw).as("an HTTP answer to %s", context).startsWith("HTTP/1.1 ");
    int status = Integer.parseInt(raw.substring(9, 12));
    String body = raw.substring(raw.indexOf("\r\n\r\n") + 4);
    assertThat(status).as("status of %s", context).isBetween(200, 599).isNotEqualTo(500);
    if (!isUri(request.target())) {
      // The JDK's HTTP server answers a request line it cannot parse itself, before any handler
      // of the emulator runs: a plain 400 page, counted apart.
      assertThat(status).as(context).isEqualTo(400);
      assertThat(body).as(context).startsWith("<h1>400 Bad Request</h1>");
      return 0;
    }
    Struct json = Struct.newBuilder().build();
    try {
      Struct.Builder parsed = Struct.newBuilder();
      JsonFormat.parser().merge(body, parsed);
      json = parsed.build();
    } catch (Exception e) {
      throw new AssertionError("not JSON: " + body + " in answer to " + context, e);
    }
    if (status >= 400) {
      assertThat(json.getFieldsMap().keySet()).as(context).containsExactly("error");
      Struct error = json.getFieldsOrThrow("error").getStructValue();
      assertThat(error.getFieldsMap().keySet())
          .as(context)
          .containsExactlyInAnyOrder("code", "message", "status");
      assertThat(error.getFieldsOrThrow("code").getNumberValue()).as(context).isEqualTo(status);
      assertThat(error.getFieldsOrThrow("message").getStringValue()).as(context).isNotBlank();
      String code = error.getFieldsOrThrow("status").getStringValue();
      assertThat(code).as(context).isIn(CODES).isNotIn("INTERNAL", "UNKNOWN");
    }
    return status;
  }

  private static boolean isUri(String target) {
    try {
      new java.net.URI(target);
      return true;
    } catch (java.net.URISyntaxException e) {
      return false;
    }
  }

  // ---------------------------------------------------------------- gRPC

  private static final MethodDescriptor.Marshaller<byte[]> BYTES =
      new MethodDescriptor.Marshaller<>() {
        @Override
        public InputStream stream(byte[] value) {
          return new ByteArrayInputStream(value);
        }

        @Override
        public byte[] parse(InputStream stream) {
          try {
            return stream.readAllBytes();
          } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
          }
        }
      };

  /** Random or mutated bytes sent as the request message of a real (or unknown) method. */
  private Status.Code rawGrpcCall(ManagedChannel channel, long seed, int index) {
    List<MethodDescriptor<?, ?>> methods =
        new ArrayList<>(CloudTasksGrpc.getServiceDescriptor().getMethods());
    String name =
        random.nextInt(10) == 0
            ? "google.cloud.tasks.v2.CloudTasks/" + pick("Explode", "", "createTask")
            : methods.get(random.nextInt(methods.size())).getFullMethodName();
    byte[] bytes;
    if (random.nextBoolean()) {
      bytes = randomBytes(random.nextInt(300));
    } else {
      bytes = validMessage().toByteArray();
      if (bytes.length > 0) {
        int flips = 1 + random.nextInt(4);
        for (int k = 0; k < flips; k++) {
          bytes[random.nextInt(bytes.length)] = (byte) random.nextInt(256);
        }
        if (random.nextBoolean()) {
          bytes = java.util.Arrays.copyOf(bytes, random.nextInt(bytes.length));
        }
      }
    }
    byte[] payload = bytes;
    MethodDescriptor<byte[], byte[]> method =
        MethodDescriptor.<byte[], byte[]>newBuilder()
            .setType(MethodDescriptor.MethodType.UNARY)
            .setFullMethodName(name)
            .setRequestMarshaller(BYTES)
            .setResponseMarshaller(BYTES)
            .build();
    String context =
        "gRPC call "
            + index
            + " of seed "
            + seed
            + ": "
            + name
            + " with "
            + bytes.length
            + " bytes";
    return outcome(
        () ->
            ClientCalls.blockingUnaryCall(
                channel,
                method,
                CallOptions.DEFAULT.withDeadlineAfter(30, TimeUnit.SECONDS),
                payload),
        context);
  }

  /** Well-formed messages with nonsense in them, through the generated stub. */
  private Status.Code stubCall(ManagedChannel channel, long seed, int index) {
    CloudTasksGrpc.CloudTasksBlockingStub stub =
        CloudTasksGrpc.newBlockingStub(channel).withDeadlineAfter(30, TimeUnit.SECONDS);
    Message request = validMessage();
    String context = "gRPC stub call " + index + " of seed " + seed + ": " + request;
    Supplier<Object> call;
    if (request instanceof CreateQueueRequest r) {
      call = () -> stub.createQueue(r);
    } else if (request instanceof CreateTaskRequest r) {
      call = () -> stub.createTask(r);
    } else if (request instanceof UpdateQueueRequest r) {
      call = () -> stub.updateQueue(r);
    } else {
      ListTasksRequest r = (ListTasksRequest) request;
      call = () -> stub.listTasks(r);
    }
    return outcome(call, context);
  }

  private Message validMessage() {
    String queue =
        parent + "/queues/" + pick("paused", "running", "g-" + random.nextInt(10), "bad_name!", "");
    return switch (random.nextInt(4)) {
      case 0 ->
          CreateQueueRequest.newBuilder()
              .setParent(pick(parent, "projects/x", "", "projects/p/locations/l/extra"))
              .setQueue(
                  Queue.newBuilder()
                      .setName(queue)
                      .setRateLimits(
                          RateLimits.newBuilder()
                              .setMaxDispatchesPerSecond(pickDouble())
                              .setMaxConcurrentDispatches(random.nextInt(20_000) - 10_000))
                      .setRetryConfig(
                          RetryConfig.newBuilder().setMaxAttempts(random.nextInt(300) - 150)))
              .build();
      case 1 ->
          CreateTaskRequest.newBuilder()
              .setParent(queue)
              .setTask(
                  Task.newBuilder()
                      .setName(
                          random.nextBoolean() ? queue + "/tasks/" + pick("t1", "bad id", "") : "")
                      .setScheduleTime(
                          Timestamp.newBuilder()
                              .setSeconds(random.nextLong() % 400_000_000_000L)
                              .setNanos(random.nextInt(2_000_000_000)))
                      .setHttpRequest(
                          HttpRequest.newBuilder()
                              .setUrl(pick(handlerUrl, "", "mailto:x", "http://127.0.0.1:1/"))
                              .setBody(ByteString.copyFrom(randomBytes(random.nextInt(64))))
                              .putHeaders(pick("X-A", "", "Host", "a\nb"), pick("1", "\r\n"))))
              .build();
      case 2 ->
          UpdateQueueRequest.newBuilder()
              .setQueue(
                  Queue.newBuilder()
                      .setName(queue)
                      .setRateLimits(
                          RateLimits.newBuilder().setMaxDispatchesPerSecond(pickDouble())))
              .setUpdateMask(
                  FieldMask.newBuilder()
                      .addPaths(
                          pick("rate_limits", "bogus", "", "name", "rate_limits.max_burst_size")))
              .build();
      default ->
          ListTasksRequest.newBuilder()
              .setParent(queue)
              .setPageSize(random.nextInt(4000) - 2000)
              .setPageToken(
                  pick("", "garbage", "%%%", Base64.getEncoder().encodeToString(randomBytes(12))))
              .setResponseViewValue(random.nextInt(6) - 1)
              .build();
    };
  }

  private Status.Code outcome(Supplier<Object> call, String context) {
    try {
      call.get();
      return Status.Code.OK;
    } catch (StatusRuntimeException e) {
      Status status = e.getStatus();
      assertThat(status.getCode())
          .as("%s: %s", context, status)
          .isNotIn(Status.Code.UNKNOWN, Status.Code.DEADLINE_EXCEEDED, Status.Code.CANCELLED);
      assertThat(status.getDescription()).as("%s: %s", context, status).isNotBlank();
      assertThat(status.getCode()).as("%s: %s", context, status).isNotEqualTo(Status.Code.INTERNAL);
      return status.getCode();
    }
  }

  // ---------------------------------------------------------------- helpers

  @SafeVarargs
  private <T> T pick(T... options) {
    return options[random.nextInt(options.length)];
  }

  private double pickDouble() {
    return pick(5.0, 0.0, -1.0, Double.NaN, Double.POSITIVE_INFINITY, 1e300, 0.00001);
  }

  private byte[] randomBytes(int n) {
    byte[] bytes = new byte[n];
    random.nextBytes(bytes);
    return bytes;
  }

  private static Set<String> statusNames() {
    Set<String> names = new java.util.HashSet<>();
    for (Status.Code c : Status.Code.values()) {
      names.add(c.name());
    }
    return names;
  }
}
