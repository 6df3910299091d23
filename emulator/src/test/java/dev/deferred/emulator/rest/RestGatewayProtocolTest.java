package dev.deferred.emulator.rest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.api.gax.core.NoCredentialsProvider;
import com.google.api.gax.rpc.UnimplementedException;
import com.google.cloud.tasks.v2.CloudTasksClient;
import com.google.cloud.tasks.v2.CloudTasksGrpc;
import com.google.cloud.tasks.v2.CloudTasksSettings;
import com.google.cloud.tasks.v2.LocationName;
import com.sun.net.httpserver.HttpServer;
import io.grpc.Status;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The protocol layer of the gateway, independent of the emulator's behaviour: routing, request
 * parsing and the error shape. The service behind it is gRPC's generated base class, which answers
 * every RPC with UNIMPLEMENTED, so every request that parses reaches it and shows up as a 501.
 */
class RestGatewayProtocolTest {

  private static HttpServer server;
  private static ExecutorService executor;
  private static String base;
  private static final HttpClient HTTP = HttpClient.newHttpClient();

  @BeforeAll
  static void start() throws Exception {
    server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    executor = Executors.newFixedThreadPool(4);
    server.setExecutor(executor);
    server.createContext("/v2/", new RestGateway(new CloudTasksGrpc.CloudTasksImplBase() {}));
    server.start();
    base = "http://127.0.0.1:" + server.getAddress().getPort();
  }

  @AfterAll
  static void stop() {
    server.stop(0);
    executor.shutdownNow();
  }

  private static HttpResponse<String> send(String method, String path, String body)
      throws Exception {
    HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(base + path));
    request.method(
        method,
        body == null
            ? HttpRequest.BodyPublishers.noBody()
            : HttpRequest.BodyPublishers.ofString(body));
    request.header("Content-Type", "application/json");
    return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void officialHttpJsonClientReachesTheServiceThroughTheGateway() throws Exception {
    CloudTasksSettings settings =
        CloudTasksSettings.newHttpJsonBuilder()
            .setEndpoint(base)
            .setCredentialsProvider(NoCredentialsProvider.create())
            .build();
    try (CloudTasksClient client = CloudTasksClient.create(settings)) {
      assertThatThrownBy(() -> client.listQueues(LocationName.of("p", "l")).iterateAll())
          .isInstanceOf(UnimplementedException.class);
    }
  }

  @Test
  void everyMappedRouteReachesTheService() throws Exception {
    String q = "/v2/projects/p/locations/l/queues";
    String[][] routes = {
      {"GET", q, null},
      {"POST", q, "{\"name\":\"projects/p/locations/l/queues/a\"}"},
      {"GET", q + "/a", null},
      {"PATCH", q + "/a?updateMask=rateLimits", "{}"},
      {"DELETE", q + "/a", null},
      {"POST", q + "/a:purge", "{}"},
      {"POST", q + "/a:pause", "{}"},
      {"POST", q + "/a:resume", ""},
      {"POST", q + "/a:getIamPolicy", "{}"},
      {"POST", q + "/a:setIamPolicy", "{\"policy\":{}}"},
      {"POST", q + "/a:testIamPermissions", "{\"permissions\":[\"cloudtasks.tasks.create\"]}"},
      {"GET", q + "/a/tasks?responseView=FULL&pageSize=5", null},
      {"POST", q + "/a/tasks", "{\"task\":{},\"responseView\":\"BASIC\"}"},
      {"GET", q + "/a/tasks/t?responseView=2", null},
      {"DELETE", q + "/a/tasks/t", null},
      {"POST", q + "/a/tasks/t:run", "{}"},
    };
    for (String[] route : routes) {
      HttpResponse<String> response = send(route[0], route[1], route[2]);
      assertThat(response.statusCode()).as(route[0] + " " + route[1]).isEqualTo(501);
      assertThat(response.body()).contains("\"status\":\"UNIMPLEMENTED\"", "\"code\":501");
    }
  }

  @Test
  void domainScopedProjectIdWithColonIsNotMistakenForAVerb() throws Exception {
    HttpResponse<String> response =
        send("GET", "/v2/projects/example.com:proj/locations/l/queues", null);

    assertThat(response.statusCode()).isEqualTo(501);
  }

  @Test
  void malformedJsonIsInvalidArgument() throws Exception {
    HttpResponse<String> response =
        send("POST", "/v2/projects/p/locations/l/queues", "{\"name\": ");

    assertThat(response.statusCode()).isEqualTo(400);
    assertThat(response.headers().firstValue("Content-Type"))
        .hasValue("application/json; charset=UTF-8");
    assertThat(response.body())
        .startsWith("{\"error\":{\"code\":400,\"message\":\"Invalid JSON payload received.")
        .endsWith("\"status\":\"INVALID_ARGUMENT\"}}");
  }

  @Test
  void unknownJsonFieldIsRejectedNotIgnored() throws Exception {
    HttpResponse<String> response =
        send("POST", "/v2/projects/p/locations/l/queues/a/tasks", "{\"tsak\":{}}");

    assertThat(response.statusCode()).isEqualTo(400);
    assertThat(response.body()).contains("tsak", "INVALID_ARGUMENT");
  }

  @Test
  void wrongJsonTypeIsInvalidArgument() throws Exception {
    HttpResponse<String> response =
        send("POST", "/v2/projects/p/locations/l/queues", "{\"rateLimits\":\"fast\"}");

    assertThat(response.statusCode()).isEqualTo(400);
    assertThat(response.body()).contains("INVALID_ARGUMENT");
  }

  @Test
  void jsonArrayBodyIsInvalidArgument() throws Exception {
    HttpResponse<String> response =
        send("POST", "/v2/projects/p/locations/l/queues/a:pause", "[1]");

    assertThat(response.statusCode()).isEqualTo(400);
  }

  @Test
  void unknownQueryParameterIsRejected() throws Exception {
    HttpResponse<String> response =
        send("GET", "/v2/projects/p/locations/l/queues?pageSzie=3", null);

    assertThat(response.statusCode()).isEqualTo(400);
    assertThat(response.body())
        .contains(
            "Invalid JSON payload received. Unknown name \\\"pageSzie\\\": Cannot bind query parameter.");
  }

  @Test
  void badEnumInQueryParameterIsInvalidArgument() throws Exception {
    HttpResponse<String> response =
        send("GET", "/v2/projects/p/locations/l/queues/a/tasks?responseView=HUGE", null);

    assertThat(response.statusCode()).isEqualTo(400);
    assertThat(response.body()).contains("HUGE");
  }

  @Test
  void systemParametersAreAccepted() throws Exception {
    HttpResponse<String> response =
        send(
            "GET",
            "/v2/projects/p/locations/l/queues?alt=json&prettyPrint=false&%24alt=json%3Benum-encoding%3Dint",
            null);

    assertThat(response.statusCode()).isEqualTo(501);
  }

  @Test
  void unknownPathIsNotFoundInGoogleErrorShape() throws Exception {
    HttpResponse<String> response = send("GET", "/v2/projects/p/widgets", null);

    assertThat(response.statusCode()).isEqualTo(404);
    assertThat(response.body()).startsWith("{\"error\":{\"code\":404,").contains("NOT_FOUND");
  }

  @Test
  void emptyPathSegmentIsNotFound() throws Exception {
    assertThat(send("GET", "/v2/projects//locations/l/queues", null).statusCode()).isEqualTo(404);
  }

  @Test
  void wrongMethodOnKnownPathIsNotFound() throws Exception {
    HttpResponse<String> response = send("PUT", "/v2/projects/p/locations/l/queues/a", "{}");

    assertThat(response.statusCode()).isEqualTo(404);
    assertThat(response.body()).contains("PUT is not supported");
  }

  @Test
  void unknownCustomVerbIsNotFound() throws Exception {
    assertThat(send("POST", "/v2/projects/p/locations/l/queues/a:explode", "{}").statusCode())
        .isEqualTo(404);
  }

  @Test
  void malformedPercentEncodingIsInvalidArgument() throws Exception {
    // java.net.http refuses to send such a URL: write the request line by hand.
    try (Socket socket = new Socket("127.0.0.1", server.getAddress().getPort())) {
      socket
          .getOutputStream()
          .write(
              ("GET /v2/projects/p%zz/locations/l/queues HTTP/1.1\r\nHost: x\r\n"
                      + "Connection: close\r\n\r\n")
                  .getBytes(StandardCharsets.US_ASCII));
      String statusLine =
          new BufferedReader(
                  new InputStreamReader(socket.getInputStream(), StandardCharsets.US_ASCII))
              .readLine();
      assertThat(statusLine).startsWith("HTTP/1.1 400");
    }
  }

  @Test
  void oversizedBodyIsRejectedWithoutParsing() throws Exception {
    String body = "{\"task\":{\"name\":\"" + "x".repeat(RestGateway.MAX_BODY_BYTES) + "\"}}";

    HttpResponse<String> response = send("POST", "/v2/projects/p/locations/l/queues/a/tasks", body);

    assertThat(response.statusCode()).isEqualTo(400);
    assertThat(response.body()).contains("larger than");
  }

  @Test
  void getLocationEchoesTheLocation() throws Exception {
    HttpResponse<String> response = send("GET", "/v2/projects/p/locations/us-central1", null);

    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.body())
        .contains(
            "\"name\": \"projects/p/locations/us-central1\"", "\"locationId\": \"us-central1\"");
  }

  @Test
  void grpcCodesMapToTheCanonicalHttpStatuses() {
    assertThat(RestGateway.httpStatus(Status.Code.OK)).isEqualTo(200);
    assertThat(RestGateway.httpStatus(Status.Code.CANCELLED)).isEqualTo(499);
    assertThat(RestGateway.httpStatus(Status.Code.UNKNOWN)).isEqualTo(500);
    assertThat(RestGateway.httpStatus(Status.Code.INVALID_ARGUMENT)).isEqualTo(400);
    assertThat(RestGateway.httpStatus(Status.Code.DEADLINE_EXCEEDED)).isEqualTo(504);
    assertThat(RestGateway.httpStatus(Status.Code.NOT_FOUND)).isEqualTo(404);
    assertThat(RestGateway.httpStatus(Status.Code.ALREADY_EXISTS)).isEqualTo(409);
    assertThat(RestGateway.httpStatus(Status.Code.PERMISSION_DENIED)).isEqualTo(403);
    assertThat(RestGateway.httpStatus(Status.Code.RESOURCE_EXHAUSTED)).isEqualTo(429);
    assertThat(RestGateway.httpStatus(Status.Code.FAILED_PRECONDITION)).isEqualTo(400);
    assertThat(RestGateway.httpStatus(Status.Code.ABORTED)).isEqualTo(409);
    assertThat(RestGateway.httpStatus(Status.Code.OUT_OF_RANGE)).isEqualTo(400);
    assertThat(RestGateway.httpStatus(Status.Code.UNIMPLEMENTED)).isEqualTo(501);
    assertThat(RestGateway.httpStatus(Status.Code.INTERNAL)).isEqualTo(500);
    assertThat(RestGateway.httpStatus(Status.Code.UNAVAILABLE)).isEqualTo(503);
    assertThat(RestGateway.httpStatus(Status.Code.DATA_LOSS)).isEqualTo(500);
    assertThat(RestGateway.httpStatus(Status.Code.UNAUTHENTICATED)).isEqualTo(401);
  }
}
