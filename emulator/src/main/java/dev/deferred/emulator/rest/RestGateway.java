package dev.deferred.emulator.rest;

import com.google.cloud.location.ListLocationsResponse;
import com.google.cloud.location.Location;
import com.google.cloud.tasks.v2.CloudTasksGrpc;
import com.google.cloud.tasks.v2.CreateQueueRequest;
import com.google.cloud.tasks.v2.CreateTaskRequest;
import com.google.cloud.tasks.v2.DeleteQueueRequest;
import com.google.cloud.tasks.v2.DeleteTaskRequest;
import com.google.cloud.tasks.v2.GetQueueRequest;
import com.google.cloud.tasks.v2.GetTaskRequest;
import com.google.cloud.tasks.v2.ListQueuesRequest;
import com.google.cloud.tasks.v2.ListTasksRequest;
import com.google.cloud.tasks.v2.PauseQueueRequest;
import com.google.cloud.tasks.v2.PurgeQueueRequest;
import com.google.cloud.tasks.v2.ResumeQueueRequest;
import com.google.cloud.tasks.v2.RunTaskRequest;
import com.google.cloud.tasks.v2.UpdateQueueRequest;
import com.google.iam.v1.GetIamPolicyRequest;
import com.google.iam.v1.SetIamPolicyRequest;
import com.google.iam.v1.TestIamPermissionsRequest;
import com.google.protobuf.Descriptors.FieldDescriptor;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.ListValue;
import com.google.protobuf.Message;
import com.google.protobuf.Struct;
import com.google.protobuf.Value;
import com.google.protobuf.util.JsonFormat;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import dev.deferred.emulator.internal.Messages;
import io.grpc.Status;
import io.grpc.StatusException;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.StreamObserver;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.BiConsumer;
import java.util.function.Supplier;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The Cloud Tasks v2 HTTP/JSON surface, translated onto the gRPC service implementation.
 *
 * <p>Implements the {@code google.api.http} mapping of {@code cloudtasks.proto}: every RPC is
 * reachable at the same URL, with the same verb, query parameters and body as on {@code
 * cloudtasks.googleapis.com}, so that the Java client's HTTP/JSON transport and {@code gcloud
 * tasks} work against the emulator. JSON is translated with {@link JsonFormat}; like Google's front
 * end, unknown JSON fields and unknown query parameters are rejected with {@code 400
 * INVALID_ARGUMENT} rather than silently dropped. Errors use Google's JSON error shape {@code
 * {"error":{"code":404,"message":"...","status":"NOT_FOUND"}}} with the canonical HTTP status of
 * the gRPC code.
 *
 * <p>Mount it on a {@link com.sun.net.httpserver.HttpServer} at the context {@code /v2/}. It is
 * thread-safe and holds no state of its own.
 */
public final class RestGateway implements HttpHandler {

  private static final Logger LOG = Logger.getLogger(RestGateway.class.getName());

  /** Bodies above this are refused before parsing; a task is at most 1 MiB, base64 adds a third. */
  static final int MAX_BODY_BYTES = 4 * 1024 * 1024;

  /** A service call that never completes must not hold an HTTP thread forever. */
  private static final Duration CALL_TIMEOUT = Duration.ofMinutes(2);

  /**
   * Google's system parameters, accepted on every method and not bound to request fields. {@code
   * $alt=json;enum-encoding=int} is what the Java HTTP/JSON transport sends.
   */
  private static final Set<String> SYSTEM_PARAMETERS =
      Set.of(
          "alt",
          "$alt",
          "key",
          "$key",
          "fields",
          "$fields",
          "prettyPrint",
          "$prettyPrint",
          "quotaUser",
          "$quotaUser",
          "userIp",
          "access_token",
          "oauth_token",
          "callback",
          "$callback",
          "upload_protocol",
          "uploadType",
          "$.xgafv",
          "trace",
          "$trace",
          "requestReason",
          "$requestReason");

  /** Methods that change something; they must carry JSON. */
  private static final Set<String> WRITES = Set.of("POST", "PUT", "PATCH");

  private static final JsonFormat.Parser PARSER = JsonFormat.parser();
  private static final JsonFormat.Printer PRINTER = JsonFormat.printer();
  private static final JsonFormat.Printer PRINTER_ENUMS_AS_INTS =
      JsonFormat.printer().printingEnumsAsInts();

  private final CloudTasksGrpc.CloudTasksImplBase service;
  private final List<String> locationIds;
  private final List<Route> routes;

  /**
   * A gateway onto {@code service}. {@code GET /v2/projects/P/locations} lists no location.
   *
   * @param service the gRPC service implementation every request is translated onto
   */
  public RestGateway(CloudTasksGrpc.CloudTasksImplBase service) {
    this(service, List.of());
  }

  /**
   * A gateway onto {@code service} that lists {@code locationIds} under {@code GET
   * /v2/projects/P/locations}.
   *
   * @param service the gRPC service implementation every request is translated onto
   * @param locationIds the location ids the emulator serves, e.g. {@code ["us-central1"]}
   */
  public RestGateway(CloudTasksGrpc.CloudTasksImplBase service, List<String> locationIds) {
    this.service = Objects.requireNonNull(service, "service");
    this.locationIds = List.copyOf(locationIds);
    this.routes = routes();
  }

  private List<Route> routes() {
    CloudTasksGrpc.CloudTasksImplBase s = service;
    String queues = "projects/*/locations/*/queues";
    String queue = queues + "/*";
    String tasks = queue + "/tasks";
    String task = tasks + "/*";
    return List.of(
        new Route("GET", "projects/*/locations", null, this::listLocations),
        new Route("GET", "projects/*/locations/*", null, this::getLocation),
        rpc(
            "GET",
            queues,
            null,
            ListQueuesRequest::newBuilder,
            null,
            ListQueuesRequest.Builder::setParent,
            s::listQueues),
        rpc(
            "POST",
            queues,
            null,
            CreateQueueRequest::newBuilder,
            "queue",
            CreateQueueRequest.Builder::setParent,
            s::createQueue),
        rpc(
            "GET",
            queue,
            null,
            GetQueueRequest::newBuilder,
            null,
            GetQueueRequest.Builder::setName,
            s::getQueue),
        rpc(
            "PATCH",
            queue,
            null,
            UpdateQueueRequest::newBuilder,
            "queue",
            (b, name) -> b.getQueueBuilder().setName(name),
            s::updateQueue),
        rpc(
            "DELETE",
            queue,
            null,
            DeleteQueueRequest::newBuilder,
            null,
            DeleteQueueRequest.Builder::setName,
            s::deleteQueue),
        rpc(
            "POST",
            queue,
            "purge",
            PurgeQueueRequest::newBuilder,
            "*",
            PurgeQueueRequest.Builder::setName,
            s::purgeQueue),
        rpc(
            "POST",
            queue,
            "pause",
            PauseQueueRequest::newBuilder,
            "*",
            PauseQueueRequest.Builder::setName,
            s::pauseQueue),
        rpc(
            "POST",
            queue,
            "resume",
            ResumeQueueRequest::newBuilder,
            "*",
            ResumeQueueRequest.Builder::setName,
            s::resumeQueue),
        rpc(
            "POST",
            queue,
            "getIamPolicy",
            GetIamPolicyRequest::newBuilder,
            "*",
            GetIamPolicyRequest.Builder::setResource,
            s::getIamPolicy),
        rpc(
            "POST",
            queue,
            "setIamPolicy",
            SetIamPolicyRequest::newBuilder,
            "*",
            SetIamPolicyRequest.Builder::setResource,
            s::setIamPolicy),
        rpc(
            "POST",
            queue,
            "testIamPermissions",
            TestIamPermissionsRequest::newBuilder,
            "*",
            TestIamPermissionsRequest.Builder::setResource,
            s::testIamPermissions),
        rpc(
            "GET",
            tasks,
            null,
            ListTasksRequest::newBuilder,
            null,
            ListTasksRequest.Builder::setParent,
            s::listTasks),
        rpc(
            "POST",
            tasks,
            null,
            CreateTaskRequest::newBuilder,
            "*",
            CreateTaskRequest.Builder::setParent,
            s::createTask),
        rpc(
            "GET",
            task,
            null,
            GetTaskRequest::newBuilder,
            null,
            GetTaskRequest.Builder::setName,
            s::getTask),
        rpc(
            "DELETE",
            task,
            null,
            DeleteTaskRequest::newBuilder,
            null,
            DeleteTaskRequest.Builder::setName,
            s::deleteTask),
        rpc(
            "POST",
            task,
            "run",
            RunTaskRequest::newBuilder,
            "*",
            RunTaskRequest.Builder::setName,
            s::runTask));
  }

  @Override
  public void handle(HttpExchange exchange) throws IOException {
    Reply reply;
    try {
      reply = dispatch(exchange);
    } catch (StatusRuntimeException e) {
      reply = Reply.error(e.getStatus());
    } catch (RuntimeException e) {
      // Whatever went wrong, the client gets an answer and the server keeps serving.
      LOG.log(Level.WARNING, "REST request failed: " + exchange.getRequestURI(), e);
      reply = Reply.error(Status.INTERNAL.withDescription("Internal error."));
    }
    send(exchange, reply);
  }

  private Reply dispatch(HttpExchange exchange) throws IOException {
    String method = exchange.getRequestMethod().toUpperCase(Locale.ROOT);
    if (WRITES.contains(method)) {
      // A page of another site can send a form or a no-cors fetch without asking: with the
      // content types those allow (form encodings, text/plain, none). application/json needs a
      // CORS preflight, which the emulator never grants.
      String contentType = exchange.getRequestHeaders().getFirst("Content-Type");
      if (!isJson(contentType)) {
        throw Status.INVALID_ARGUMENT
            .withDescription(Messages.notJson(method, contentType))
            .asRuntimeException();
      }
    }
    String override = exchange.getRequestHeaders().getFirst("X-HTTP-Method-Override");
    if (override != null && method.equals("POST")) {
      // The Java HTTP/JSON transport sends PATCH as POST with this header.
      method = override.trim().toUpperCase(Locale.ROOT);
    }
    String rawPath = exchange.getRequestURI().getRawPath();
    Map<String, List<String>> query = parseQuery(exchange.getRequestURI().getRawQuery());
    boolean enumsAsInts =
        query.getOrDefault("$alt", List.of()).stream()
            .anyMatch(a -> a.contains("enum-encoding=int"));

    Path path = Path.parse(rawPath);
    if (path == null) {
      throw notFound(method, rawPath);
    }
    boolean pathMatched = false;
    for (Route route : routes) {
      if (!route.matches(path)) {
        continue;
      }
      pathMatched = true;
      if (!route.method.equals(method)) {
        continue;
      }
      String body = readBody(exchange);
      Message response = route.handler.handle(path, query, body);
      return Reply.ok(response, enumsAsInts);
    }
    if (pathMatched) {
      throw Status.NOT_FOUND
          .withDescription(
              "HTTP method "
                  + method
                  + " is not supported on "
                  + rawPath
                  + "; see the google.api.http mapping of cloudtasks.proto.")
          .asRuntimeException();
    }
    throw notFound(method, rawPath);
  }

  private static boolean isJson(String contentType) {
    if (contentType == null) {
      return false;
    }
    int semicolon = contentType.indexOf(';');
    String mediaType = semicolon < 0 ? contentType : contentType.substring(0, semicolon);
    return mediaType.trim().equalsIgnoreCase("application/json");
  }

  private static StatusRuntimeException notFound(String method, String rawPath) {
    return Status.NOT_FOUND
        .withDescription(
            "No Cloud Tasks v2 REST method matches "
                + method
                + " "
                + rawPath
                + "; URLs look like /v2/projects/PROJECT/locations/LOCATION/queues[/QUEUE[/tasks[/TASK]]].")
        .asRuntimeException();
  }

  // ---- locations: not part of CloudTasks, served here so that location look-ups succeed ----

  private Message listLocations(Path path, Map<String, List<String>> query, String body) {
    rejectQuery(query, Set.of("filter", "pageSize", "pageToken"));
    String project = "projects/" + path.segments.get(1);
    ListLocationsResponse.Builder response = ListLocationsResponse.newBuilder();
    for (String id : locationIds) {
      response.addLocations(location(project, id));
    }
    return response.build();
  }

  private Message getLocation(Path path, Map<String, List<String>> query, String body) {
    rejectQuery(query, Set.of());
    return location("projects/" + path.segments.get(1), path.segments.get(3));
  }

  private static Location location(String project, String id) {
    return Location.newBuilder()
        .setName(project + "/locations/" + id)
        .setLocationId(id)
        .setDisplayName(id)
        .build();
  }

  private static void rejectQuery(Map<String, List<String>> query, Set<String> allowed) {
    for (String name : query.keySet()) {
      if (!allowed.contains(name) && !SYSTEM_PARAMETERS.contains(name)) {
        throw unknownQueryParameter(name);
      }
    }
  }

  // ---- generic translation ----

  private static <B extends Message.Builder, Q extends Message, R extends Message> Route rpc(
      String method,
      String pattern,
      String verb,
      Supplier<B> newBuilder,
      String bodyField,
      BiConsumer<B, String> bindPath,
      BiConsumer<Q, StreamObserver<R>> call) {
    boolean collection = !pattern.endsWith("*");
    return new Route(
        method,
        pattern + (verb == null ? "" : ":" + verb),
        verb,
        (path, query, body) -> {
          B builder = newBuilder.get();
          if ("*".equals(bodyField)) {
            rejectQuery(query, Set.of());
            mergeJson(body, builder);
          } else {
            if (bodyField != null) {
              FieldDescriptor field = builder.getDescriptorForType().findFieldByName(bodyField);
              mergeJson(body, builder.getFieldBuilder(field));
            }
            // GET and DELETE carry no body in the mapping; like Google, ignore one if sent.
            bindQuery(query, builder, bodyField);
          }
          // The path wins over anything the body said about the resource name.
          bindPath.accept(builder, collection ? path.parent() : path.name());
          @SuppressWarnings("unchecked")
          Q request = (Q) builder.build();
          return invoke(call, request);
        });
  }

  private static void mergeJson(String body, Message.Builder builder) {
    if (body.isBlank()) {
      return;
    }
    try {
      PARSER.merge(body, builder);
    } catch (InvalidProtocolBufferException | RuntimeException e) {
      throw Status.INVALID_ARGUMENT
          .withDescription("Invalid JSON payload received. " + e.getMessage())
          .asRuntimeException();
    }
  }

  /**
   * Binds query parameters to request fields the way Google's front end does: by JSON name or proto
   * name, dotted for nested messages, repeated parameters for repeated fields.
   */
  private static void bindQuery(
      Map<String, List<String>> query, Message.Builder builder, String bodyField) {
    // Built as a protobuf Struct and printed, so that JsonFormat does the type conversion (ints,
    // enums by name or number, FieldMask, Duration) exactly as for a body.
    Struct.Builder json = Struct.newBuilder();
    for (Map.Entry<String, List<String>> param : query.entrySet()) {
      String name = param.getKey();
      if (SYSTEM_PARAMETERS.contains(name)) {
        continue;
      }
      String[] parts = name.split("\\.", -1);
      com.google.protobuf.Descriptors.Descriptor type = builder.getDescriptorForType();
      List<Struct.Builder> chain = new ArrayList<>();
      List<String> keys = new ArrayList<>();
      Struct.Builder target = json;
      for (int i = 0; i < parts.length; i++) {
        FieldDescriptor field = findField(type, parts[i]);
        if (field == null || (i == 0 && field.getName().equals(bodyField))) {
          throw unknownQueryParameter(name);
        }
        String key = field.getJsonName();
        if (i < parts.length - 1) {
          if (field.getJavaType() != FieldDescriptor.JavaType.MESSAGE || field.isRepeated()) {
            throw unknownQueryParameter(name);
          }
          type = field.getMessageType();
          Value existing = target.getFieldsOrDefault(key, null);
          Struct.Builder child =
              existing != null && existing.hasStructValue()
                  ? existing.getStructValue().toBuilder()
                  : Struct.newBuilder();
          chain.add(target);
          keys.add(key);
          target = child;
        } else if (field.isRepeated()) {
          ListValue.Builder values = ListValue.newBuilder();
          param.getValue().forEach(v -> values.addValues(Value.newBuilder().setStringValue(v)));
          target.putFields(key, Value.newBuilder().setListValue(values).build());
        } else {
          if (param.getValue().size() > 1) {
            throw Status.INVALID_ARGUMENT
                .withDescription(
                    "Invalid JSON payload received. Query parameter '"
                        + name
                        + "' is repeated but field '"
                        + field.getName()
                        + "' is not repeated.")
                .asRuntimeException();
          }
          target.putFields(key, Value.newBuilder().setStringValue(param.getValue().get(0)).build());
        }
      }
      // Struct builders are values, not references: write the nested objects back upwards.
      for (int i = chain.size() - 1; i >= 0; i--) {
        chain.get(i).putFields(keys.get(i), Value.newBuilder().setStructValue(target).build());
        target = chain.get(i);
      }
    }
    if (json.getFieldsCount() > 0) {
      try {
        PARSER.merge(PRINTER.print(json), builder);
      } catch (InvalidProtocolBufferException | RuntimeException e) {
        throw Status.INVALID_ARGUMENT
            .withDescription("Invalid query parameter value. " + e.getMessage())
            .asRuntimeException();
      }
    }
  }

  private static FieldDescriptor findField(
      com.google.protobuf.Descriptors.Descriptor type, String name) {
    FieldDescriptor field = type.findFieldByName(name);
    if (field != null) {
      return field;
    }
    for (FieldDescriptor candidate : type.getFields()) {
      if (candidate.getJsonName().equals(name)) {
        return candidate;
      }
    }
    return null;
  }

  private static StatusRuntimeException unknownQueryParameter(String name) {
    return Status.INVALID_ARGUMENT
        .withDescription(
            "Invalid JSON payload received. Unknown name \""
                + name
                + "\": Cannot bind query parameter. Field '"
                + name
                + "' could not be found in request message.")
        .asRuntimeException();
  }

  /** Calls a unary method of the service and waits for its single answer. */
  private static <Q, R extends Message> R invoke(BiConsumer<Q, StreamObserver<R>> call, Q request) {
    CompletableFuture<R> result = new CompletableFuture<>();
    StreamObserver<R> observer =
        new StreamObserver<>() {
          private R value;

          @Override
          public void onNext(R next) {
            value = next;
          }

          @Override
          public void onError(Throwable t) {
            result.completeExceptionally(t);
          }

          @Override
          public void onCompleted() {
            if (value == null) {
              result.completeExceptionally(
                  Status.INTERNAL
                      .withDescription("The service completed without a response.")
                      .asRuntimeException());
            } else {
              result.complete(value);
            }
          }
        };
    call.accept(request, observer);
    try {
      return result.get(CALL_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw Status.CANCELLED.withDescription("Interrupted.").asRuntimeException();
    } catch (TimeoutException e) {
      throw Status.DEADLINE_EXCEEDED
          .withDescription("The emulator did not answer within " + CALL_TIMEOUT.toSeconds() + "s.")
          .asRuntimeException();
    } catch (ExecutionException e) {
      Throwable cause = e.getCause();
      if (cause instanceof StatusRuntimeException sre) {
        throw sre;
      }
      if (cause instanceof StatusException se) {
        throw se.getStatus().asRuntimeException();
      }
      LOG.log(Level.WARNING, "Cloud Tasks service failed", cause);
      throw Status.INTERNAL.withDescription("Internal error.").asRuntimeException();
    }
  }

  // ---- HTTP plumbing ----

  private static String readBody(HttpExchange exchange) throws IOException {
    try (InputStream in = exchange.getRequestBody()) {
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      byte[] buffer = new byte[16 * 1024];
      int n;
      while ((n = in.read(buffer)) >= 0) {
        if (out.size() + n > MAX_BODY_BYTES) {
          throw Status.INVALID_ARGUMENT
              .withDescription(
                  "Request body is larger than "
                      + MAX_BODY_BYTES
                      + " bytes; tasks are at most 1 MiB.")
              .asRuntimeException();
        }
        out.write(buffer, 0, n);
      }
      return out.toString(StandardCharsets.UTF_8);
    }
  }

  private static Map<String, List<String>> parseQuery(String rawQuery) {
    Map<String, List<String>> params = new LinkedHashMap<>();
    if (rawQuery == null || rawQuery.isEmpty()) {
      return params;
    }
    for (String pair : rawQuery.split("&")) {
      if (pair.isEmpty()) {
        continue;
      }
      int eq = pair.indexOf('=');
      String name = decodeQuery(eq < 0 ? pair : pair.substring(0, eq));
      String value = eq < 0 ? "" : decodeQuery(pair.substring(eq + 1));
      params.computeIfAbsent(name, k -> new ArrayList<>()).add(value);
    }
    return params;
  }

  private static String decodeQuery(String s) {
    try {
      return URLDecoder.decode(s, StandardCharsets.UTF_8);
    } catch (IllegalArgumentException e) {
      throw Status.INVALID_ARGUMENT
          .withDescription("Malformed percent-encoding in query string: '" + s + "'.")
          .asRuntimeException();
    }
  }

  /**
   * Answers with Google's JSON error shape and the canonical HTTP status of {@code status}.
   *
   * @param exchange the exchange to answer and close
   * @param status the error; its description is the message
   * @throws IOException if the answer cannot be written
   */
  static void sendError(HttpExchange exchange, Status status) throws IOException {
    send(exchange, Reply.error(status));
  }

  private static void send(HttpExchange exchange, Reply reply) throws IOException {
    byte[] bytes = reply.body.getBytes(StandardCharsets.UTF_8);
    exchange.getResponseHeaders().set("Content-Type", "application/json; charset=UTF-8");
    exchange.getResponseHeaders().set("Cache-Control", "private");
    exchange.sendResponseHeaders(reply.status, bytes.length);
    try (OutputStream out = exchange.getResponseBody()) {
      out.write(bytes);
    } finally {
      exchange.close();
    }
  }

  /**
   * The canonical HTTP status of a gRPC code, as {@code google/rpc/code.proto} documents it and
   * Google's front ends apply it.
   */
  static int httpStatus(Status.Code code) {
    return switch (code) {
      case OK -> 200;
      case CANCELLED -> 499;
      case UNKNOWN, INTERNAL, DATA_LOSS -> 500;
      case INVALID_ARGUMENT, FAILED_PRECONDITION, OUT_OF_RANGE -> 400;
      case DEADLINE_EXCEEDED -> 504;
      case NOT_FOUND -> 404;
      case ALREADY_EXISTS, ABORTED -> 409;
      case PERMISSION_DENIED -> 403;
      case UNAUTHENTICATED -> 401;
      case RESOURCE_EXHAUSTED -> 429;
      case UNIMPLEMENTED -> 501;
      case UNAVAILABLE -> 503;
    };
  }

  private record Reply(int status, String body) {
    static Reply ok(Message message, boolean enumsAsInts) {
      try {
        return new Reply(200, (enumsAsInts ? PRINTER_ENUMS_AS_INTS : PRINTER).print(message));
      } catch (InvalidProtocolBufferException e) {
        throw Status.INTERNAL
            .withDescription("Could not print the response as JSON: " + e.getMessage())
            .asRuntimeException();
      }
    }

    static Reply error(Status status) {
      int http = httpStatus(status.getCode());
      String message = status.getDescription() == null ? "" : status.getDescription();
      try {
        // Written by hand: a Struct would print the code as 404.0.
        String body =
            "{\"error\":{\"code\":"
                + http
                + ",\"message\":"
                + PRINTER.print(Value.newBuilder().setStringValue(message).build())
                + ",\"status\":\""
                + status.getCode().name()
                + "\"}}";
        return new Reply(http, body);
      } catch (InvalidProtocolBufferException e) {
        throw new IllegalStateException("A string Value always prints", e);
      }
    }
  }

  @FunctionalInterface
  private interface Handler {
    Message handle(Path path, Map<String, List<String>> query, String body);
  }

  /** One line of the URL mapping: a method, a path template of literals and {@code *}, a verb. */
  private static final class Route {
    final String method;
    final List<String> pattern;
    final String verb;
    final Handler handler;

    Route(String method, String template, String verb, Handler handler) {
      this.method = method;
      String withoutVerb =
          verb == null ? template : template.substring(0, template.lastIndexOf(':'));
      this.pattern = Arrays.asList(withoutVerb.split("/"));
      this.verb = verb;
      this.handler = handler;
    }

    boolean matches(Path path) {
      if (!Objects.equals(verb, path.verb) || pattern.size() != path.segments.size()) {
        return false;
      }
      for (int i = 0; i < pattern.size(); i++) {
        String p = pattern.get(i);
        if (!p.equals("*") && !p.equals(path.segments.get(i))) {
          return false;
        }
      }
      return true;
    }
  }

  /** A request path below {@code /v2/}: decoded segments and an optional custom verb. */
  private record Path(List<String> segments, String verb) {

    static Path parse(String rawPath) {
      if (rawPath == null || !rawPath.startsWith("/v2/")) {
        return null;
      }
      String rest = rawPath.substring("/v2/".length());
      String verb = null;
      int slash = rest.lastIndexOf('/');
      int colon = rest.lastIndexOf(':');
      // Only the last segment carries a verb: project ids may contain ':' (example.com:project).
      if (colon > slash) {
        verb = rest.substring(colon + 1);
        rest = rest.substring(0, colon);
      }
      List<String> segments = new ArrayList<>();
      for (String raw : rest.split("/", -1)) {
        String segment = decodePathSegment(raw);
        if (segment.isEmpty()) {
          return null;
        }
        segments.add(segment);
      }
      return new Path(List.copyOf(segments), verb);
    }

    String name() {
      return String.join("/", segments);
    }

    String parent() {
      return String.join("/", segments.subList(0, segments.size() - 1));
    }

    private static String decodePathSegment(String raw) {
      try {
        // '+' is literal in a path, unlike in a query string.
        return URLDecoder.decode(raw.replace("+", "%2B"), StandardCharsets.UTF_8);
      } catch (IllegalArgumentException e) {
        throw Status.INVALID_ARGUMENT
            .withDescription("Malformed percent-encoding in path segment '" + raw + "'.")
            .asRuntimeException();
      }
    }
  }
}
