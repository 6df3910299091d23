package dev.deferred.emulator.rest;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.Struct;
import com.google.protobuf.util.JsonFormat;
import com.sun.net.httpserver.HttpServer;
import dev.deferred.emulator.CloudTasksEmulator;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What a web page open in the developer's browser can do to the emulator's HTTP port: nothing. Each
 * attack is a request a browser really sends (a form post, a no-cors fetch, a cross-origin fetch, a
 * request to a rebound DNS name); each must be refused before it changes or reveals anything.
 */
class BrowserSafetyTest {

  private static final HttpClient HTTP = HttpClient.newHttpClient();
  private static final String QUEUES = "/v2/projects/dev-project/locations/us-central1/queues";
  private static final String NEW_QUEUE =
      "{\"name\":\"projects/dev-project/locations/us-central1/queues/evil\"}";

  private CloudTasksEmulator emu;

  @BeforeEach
  void start() {
    emu = CloudTasksEmulator.builder().queue("work").start();
  }

  @AfterEach
  void stop() {
    emu.close();
  }

  private HttpResponse<String> post(String path, String body, String... headers) throws Exception {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(URI.create(emu.httpBaseUrl() + path))
            .POST(HttpRequest.BodyPublishers.ofString(body));
    if (headers.length > 0) {
      request.headers(headers);
    }
    return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
  }

  private String queueNames() throws Exception {
    return HTTP.send(
            HttpRequest.newBuilder(URI.create(emu.httpBaseUrl() + QUEUES)).build(),
            HttpResponse.BodyHandlers.ofString())
        .body();
  }

  /** A request with exactly these header lines, as a browser or an attacker's tool writes it. */
  private static String raw(int port, String request) throws Exception {
    try (Socket socket = new Socket("127.0.0.1", port)) {
      OutputStream out = socket.getOutputStream();
      out.write(request.getBytes(StandardCharsets.ISO_8859_1));
      out.flush();
      InputStream in = socket.getInputStream();
      ByteArrayOutputStream response = new ByteArrayOutputStream();
      in.transferTo(response);
      return response.toString(StandardCharsets.UTF_8);
    }
  }

  /** Google's error shape, compared as JSON: the gateway escapes quotes as JSON allows. */
  private static String error(int code, String status, String message) {
    return "{\"error\":{\"code\":"
        + code
        + ",\"message\":\""
        + message
        + "\",\"status\":\""
        + status
        + "\"}}";
  }

  private static Struct json(String text) throws Exception {
    Struct.Builder struct = Struct.newBuilder();
    JsonFormat.parser().merge(text, struct);
    return struct.build();
  }

  private static void assertError(String actualBody, String expected) throws Exception {
    assertThat(json(actualBody)).isEqualTo(json(expected));
  }

  private static String message(String errorBody) throws Exception {
    return json(errorBody)
        .getFieldsOrThrow("error")
        .getStructValue()
        .getFieldsOrThrow("message")
        .getStringValue();
  }

  private static String bodyOf(String rawResponse) {
    return rawResponse.substring(rawResponse.indexOf("\r\n\r\n") + 4);
  }

  @Test
  void aFormPostFromAnyPageCannotCreateAQueue() throws Exception {
    HttpResponse<String> response =
        post(QUEUES, NEW_QUEUE, "Content-Type", "application/x-www-form-urlencoded");

    assertThat(response.statusCode()).isEqualTo(400);
    assertError(
        response.body(),
        error(
            400,
            "INVALID_ARGUMENT",
            "EMULATOR-0004: POST needs 'Content-Type: application/json', got"
                + " 'application/x-www-form-urlencoded': send the request body as JSON ('{}'"
                + " when there is nothing to say), e.g. curl -H 'Content-Type:"
                + " application/json' -d '{}'."));
    assertThat(queueNames()).doesNotContain("evil");
  }

  @Test
  void aNoCorsPostWithoutContentTypeCannotPurgeAQueue() throws Exception {
    HttpResponse<String> text = post(QUEUES + "/work:purge", "", "Content-Type", "text/plain");
    HttpResponse<String> none = post(QUEUES + "/work:pause", "");

    assertThat(text.statusCode()).isEqualTo(400);
    assertThat(message(text.body())).contains("EMULATOR-0004: POST needs", "got 'text/plain'");
    assertThat(none.statusCode()).isEqualTo(400);
    assertThat(message(none.body())).contains("EMULATOR-0004: POST needs", "got none");
    assertThat(queueNames()).contains("\"state\": \"RUNNING\"");
  }

  @Test
  void aCrossOriginFetchIsRefusedAndChangesNothing() throws Exception {
    HttpResponse<String> response =
        post(
            QUEUES,
            NEW_QUEUE,
            "Content-Type",
            "application/json",
            "Origin",
            "https://evil.example");

    assertThat(response.statusCode()).isEqualTo(403);
    assertError(
        response.body(),
        error(
            403,
            "PERMISSION_DENIED",
            "EMULATOR-0003: Cross-origin request refused: Origin 'https://evil.example' is not"
                + " this emulator (http://127.0.0.1:"
                + emu.httpPort()
                + "). Web pages of other sites may not use the emulator's API; call it from a"
                + " Cloud Tasks client, curl or gcloud (they send no Origin), or from the"
                + " emulator's own console."));
    assertThat(queueNames()).doesNotContain("evil");
  }

  @Test
  void aCrossOriginReadAndAnOpaqueOriginAreRefusedToo() throws Exception {
    HttpResponse<String> read =
        HTTP.send(
            HttpRequest.newBuilder(URI.create(emu.httpBaseUrl() + QUEUES))
                .header("Origin", "http://localhost:3000")
                .build(),
            HttpResponse.BodyHandlers.ofString());
    HttpResponse<String> opaque =
        post(QUEUES, NEW_QUEUE, "Content-Type", "application/json", "Origin", "null");

    assertThat(read.statusCode()).isEqualTo(403);
    assertThat(message(read.body())).contains("EMULATOR-0003", "'http://localhost:3000'");
    assertThat(opaque.statusCode()).isEqualTo(403);
    assertThat(message(opaque.body())).contains("EMULATOR-0003", "Origin 'null'");
    assertThat(queueNames()).doesNotContain("evil");
  }

  @Test
  void theEmulatorsOwnOriginAndClientsWithoutOriginAreServed() throws Exception {
    HttpResponse<String> sameOrigin =
        post(
            QUEUES,
            NEW_QUEUE,
            "Content-Type",
            "application/json; charset=utf-8",
            "Origin",
            "http://127.0.0.1:" + emu.httpPort());
    HttpResponse<String> noOrigin =
        post(QUEUES + "/work:pause", "{}", "Content-Type", "application/json");

    assertThat(sameOrigin.statusCode()).as(sameOrigin.body()).isEqualTo(200);
    assertThat(noOrigin.statusCode()).as(noOrigin.body()).isEqualTo(200);
    assertThat(queueNames()).contains("queues/evil", "\"state\": \"PAUSED\"");
  }

  @Test
  void aRequestToAReboundDnsNameIsRefused() throws Exception {
    String response =
        raw(
            emu.httpPort(),
            "GET "
                + QUEUES
                + " HTTP/1.1\r\nHost: attacker.example:"
                + emu.httpPort()
                + "\r\nConnection: close\r\n\r\n");

    assertThat(response).startsWith("HTTP/1.1 403");
    assertError(
        bodyOf(response),
        error(
            403,
            "PERMISSION_DENIED",
            "EMULATOR-0001: Host 'attacker.example:"
                + emu.httpPort()
                + "' is not a name of this emulator: it is bound to 127.0.0.1 and answers only"
                + " requests addressed to localhost, 127.0.0.1 or [::1] (a foreign Host is how"
                + " a web page reaches a local server through DNS rebinding). Address it as"
                + " http://localhost:PORT, or start it bound to the address other hosts use"
                + " (--host)."));
    String jwks =
        raw(
            emu.httpPort(),
            "GET /oauth2/v3/certs HTTP/1.1\r\nHost: attacker.example\r\nConnection: close\r\n\r\n");
    assertThat(jwks).startsWith("HTTP/1.1 403").contains("EMULATOR-0001");
  }

  @Test
  void everyLoopbackNameIsServed() throws Exception {
    for (String host :
        List.of(
            "localhost:" + emu.httpPort(),
            "LOCALHOST",
            "127.0.0.1:" + emu.httpPort(),
            "127.1.2.3",
            "[::1]:" + emu.httpPort(),
            "console.localhost:" + emu.httpPort())) {
      String response =
          raw(
              emu.httpPort(),
              "GET " + QUEUES + " HTTP/1.1\r\nHost: " + host + "\r\nConnection: close\r\n\r\n");
      assertThat(response).as(host).startsWith("HTTP/1.1 200").contains("queues/work");
    }
  }

  @Test
  void aRequestWithoutHostIsRefused() throws Exception {
    String response = raw(emu.httpPort(), "GET " + QUEUES + " HTTP/1.0\r\n\r\n");

    assertThat(response).startsWith("HTTP/1.1 400");
    assertError(
        bodyOf(response),
        error(
            400,
            "INVALID_ARGUMENT",
            "EMULATOR-0002: The request has no single Host header: send exactly one, e.g."
                + " 'Host: localhost:9023'."));
  }

  @Test
  void boundToAllAddressesItServesAnyHostWarnsAndStillRefusesForeignOrigins() throws Exception {
    List<LogRecord> records = new ArrayList<>();
    Handler handler =
        new Handler() {
          @Override
          public void publish(LogRecord record) {
            records.add(record);
          }

          @Override
          public void flush() {}

          @Override
          public void close() {}
        };
    Logger logger = Logger.getLogger(CloudTasksEmulator.class.getName());
    logger.addHandler(handler);
    try (CloudTasksEmulator open = CloudTasksEmulator.builder().host("0.0.0.0").start()) {
      String otherName =
          raw(
              open.httpPort(),
              "GET /v2/projects/p/locations/l/queues HTTP/1.1\r\nHost: emulator:"
                  + open.httpPort()
                  + "\r\nConnection: close\r\n\r\n");
      String crossOrigin =
          raw(
              open.httpPort(),
              "GET /v2/projects/p/locations/l/queues HTTP/1.1\r\nHost: emulator:"
                  + open.httpPort()
                  + "\r\nOrigin: https://evil.example\r\nConnection: close\r\n\r\n");

      assertThat(otherName).startsWith("HTTP/1.1 200");
      assertThat(crossOrigin).startsWith("HTTP/1.1 403").contains("EMULATOR-0003");
      assertThat(records)
          .extracting(LogRecord::getMessage)
          .containsExactly(
              "EMULATOR-0005: The Cloud Tasks emulator is bound to 0.0.0.0, not to a loopback"
                  + " address: anyone who can reach ports "
                  + open.grpcPort()
                  + " and "
                  + open.httpPort()
                  + " can create tasks that call any URL, read every task with its headers and"
                  + " body, purge queues and obtain OIDC tokens for any service account and"
                  + " audience. Use it only on a trusted network, or bind it to 127.0.0.1 (the"
                  + " default).");
    } finally {
      logger.removeHandler(handler);
    }
    assertThat(records).hasSize(1);
  }

  @Test
  void boundToAnotherAddressItServesThatNameAndLoopbackOnly() throws Exception {
    HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server
        .createContext("/", ex -> RestGateway.sendError(ex, io.grpc.Status.NOT_FOUND))
        .getFilters()
        .add(BrowserGuard.forBinding("192.0.2.7", InetAddress.getByName("192.0.2.7")));
    server.start();
    try {
      int port = server.getAddress().getPort();
      String request = "GET /x HTTP/1.1\r\nHost: %s\r\nConnection: close\r\n\r\n";
      assertThat(raw(port, request.formatted("192.0.2.7:" + port))).startsWith("HTTP/1.1 404");
      assertThat(raw(port, request.formatted("localhost:" + port))).startsWith("HTTP/1.1 404");
      assertThat(raw(port, request.formatted("attacker.example")))
          .startsWith("HTTP/1.1 403")
          .contains("it is bound to 192.0.2.7");
    } finally {
      server.stop(0);
    }
  }
}
