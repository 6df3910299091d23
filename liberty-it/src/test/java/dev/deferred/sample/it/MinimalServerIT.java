package dev.deferred.sample.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The library needs none of the optional features: a second Open Liberty server, created by this
 * test in the build's Liberty from {@code src/test/liberty/minimal/server.xml} (no {@code
 * mpHealth}, no {@code mpTelemetry}, no {@code appSecurity}), runs the same {@code sample.war}. A
 * deferred task runs there, there is no health endpoint, and the application console, whose role
 * the server unsets, refuses every request even though nothing in the server enforces security.
 */
class MinimalServerIT {

  private static final String SERVER = "deferred-minimal";
  private static final HttpClient HTTP =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();

  private static Path wlp;
  private static Path serverDir;
  private static String base;
  private static String origin;

  @BeforeAll
  static void startMinimalServer() throws Exception {
    wlp = Path.of(property("it.liberty.dir"));
    serverDir = wlp.resolve("usr/servers/" + SERVER);
    if (Files.exists(serverDir)) {
      run("stop");
      deleteTree(serverDir);
    }
    Files.createDirectories(serverDir.resolve("apps"));
    Files.createDirectories(serverDir.resolve("configDropins/overrides"));
    Files.copy(
        Path.of(property("it.minimal.server.xml")),
        serverDir.resolve("server.xml"),
        StandardCopyOption.REPLACE_EXISTING);
    Files.copy(
        Path.of(property("it.sample.war")),
        serverDir.resolve("apps/sample.war"),
        StandardCopyOption.REPLACE_EXISTING);
    int http = freePort();
    int https = freePort();
    Files.writeString(
        serverDir.resolve("configDropins/overrides/ports.xml"),
        "<server><variable name=\"default.http.port\" value=\""
            + http
            + "\"/><variable name=\"default.https.port\" value=\""
            + https
            + "\"/></server>\n");
    origin = "http://localhost:" + http;
    base = origin + "/sample";
    run("start");
    Poll.until(
        "the sample application on the minimal server at " + base,
        () -> status(get("/api/journal")),
        s -> s == 200,
        Duration.ofMinutes(3));
  }

  @AfterAll
  static void stopMinimalServer() throws Exception {
    if (serverDir != null && Files.exists(serverDir)) {
      run("stop");
    }
  }

  @Test
  void aDeferredTaskRunsWithoutHealthTelemetryOrSecurityFeatures() {
    String key = "minimal-" + UUID.randomUUID();
    HttpResponse<String> deferred =
        send(
            HttpRequest.newBuilder(URI.create(base + "/api/scenarios/defer"))
                .header("Content-Type", "application/json")
                .POST(
                    HttpRequest.BodyPublishers.ofString(
                        "{\"task\":\"record\",\"key\":\"" + key + "\",\"message\":\"bare\"}")));
    assertThat(deferred.statusCode()).as(deferred.body()).isEqualTo(200);

    HttpResponse<String> journal =
        Poll.until(
            "the task to run on the minimal server",
            () -> get("/api/journal?key=" + URLEncoder.encode(key, StandardCharsets.UTF_8)),
            r -> r.statusCode() == 200 && r.body().contains("\"ran\""),
            Duration.ofSeconds(60));
    assertThat(journal.body()).contains("bare");

    HttpResponse<String> health = send(HttpRequest.newBuilder(URI.create(origin + "/health")));
    assertThat(health.statusCode()).as("no mpHealth, no health endpoint").isEqualTo(404);

    assertThat(log())
        .as("the library started in embedded mode, with neither health checks nor telemetry")
        .anyMatch(l -> l.contains("DEFERRED-0020"))
        .noneMatch(l -> l.contains("DEFERRED-76"))
        .noneMatch(l -> l.contains("NoClassDefFoundError") || l.contains("ClassNotFoundException"));
  }

  @Test
  void theConsoleWithoutARoleRefusesEveryRequestEvenWithoutApplicationSecurity() {
    HttpResponse<String> list = get("/admin/deferred/");
    assertThat(list.statusCode()).isEqualTo(403);
    assertThat(list.body())
        .isEqualTo(
            "DEFERRED-8001: The Deferred console at /sample/admin/deferred refuses every request"
                + " because deferred.console.role is not set: set it to the role whose users may"
                + " see and re-defer failed tasks, and map that role to users in the server's"
                + " security configuration");
    assertThat(status(get("/admin/deferred/iterations"))).isEqualTo(403);

    HttpResponse<String> delete =
        send(
            HttpRequest.newBuilder(URI.create(base + "/admin/deferred/delete"))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .header("Origin", origin)
                .POST(HttpRequest.BodyPublishers.ofString("id=1&token=x")));
    assertThat(delete.statusCode()).isEqualTo(403);
    assertThat(delete.body()).startsWith("DEFERRED-8001: ");
    assertThat(log())
        .anyMatch(
            l ->
                l.contains(
                    "DEFERRED-8006: The Deferred console is at /sample/admin/deferred and refuses"
                        + " every request until deferred.console.role is set"));
  }

  private static HttpResponse<String> get(String path) {
    return send(HttpRequest.newBuilder(URI.create(base + path)));
  }

  private static int status(HttpResponse<String> r) {
    return r == null ? -1 : r.statusCode();
  }

  private static HttpResponse<String> send(HttpRequest.Builder request) {
    try {
      return HTTP.send(
          request.timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofString());
    } catch (IOException e) {
      return null;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  private static List<String> log() {
    try {
      return Files.readAllLines(serverDir.resolve("logs/messages.log"), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new IllegalStateException("cannot read the minimal server's messages.log", e);
    }
  }

  /** Runs {@code wlp/bin/server <action> deferred-minimal} with this JVM's Java. */
  private static void run(String action) throws Exception {
    ProcessBuilder pb =
        new ProcessBuilder(wlp.resolve("bin/server").toString(), action, SERVER)
            .redirectErrorStream(true);
    pb.environment().put("JAVA_HOME", System.getProperty("java.home"));
    Process p = pb.start();
    String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (!p.waitFor(5, TimeUnit.MINUTES)) {
      p.destroyForcibly();
      fail("server " + action + " " + SERVER + " did not return: " + output);
    }
    // 0: done; 1 on stop: the server was not running.
    if (p.exitValue() != 0 && !(action.equals("stop") && p.exitValue() == 1)) {
      String messages =
          Files.exists(serverDir.resolve("logs/messages.log"))
              ? String.join("\n", log())
              : "(no messages.log)";
      fail(
          "server "
              + action
              + " "
              + SERVER
              + " exited with "
              + p.exitValue()
              + ": "
              + output
              + "\n"
              + messages);
    }
  }

  private static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }

  private static String property(String name) {
    String value = System.getProperty(name);
    if (value == null || value.isBlank()) {
      fail("System property " + name + " is not set: run the integration tests through Maven");
    }
    return value;
  }

  private static void deleteTree(Path dir) throws IOException {
    try (var paths = Files.walk(dir)) {
      for (Path p : paths.sorted(java.util.Comparator.reverseOrder()).toList()) {
        Files.delete(p);
      }
    }
  }
}
