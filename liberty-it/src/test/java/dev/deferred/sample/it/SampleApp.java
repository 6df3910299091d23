package dev.deferred.sample.it;

import static org.assertj.core.api.Assertions.fail;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;

/** Talks to the sample application on the running Open Liberty server over real HTTP. */
final class SampleApp {

  private static final HttpClient HTTP =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();

  private SampleApp() {}

  /** Base URL of the deployed WAR, e.g. {@code http://localhost:9080/sample}; set by failsafe. */
  static String baseUrl() {
    String url = System.getProperty("it.base.url");
    if (url == null || url.isBlank()) {
      fail(
          "System property it.base.url is not set: run the integration tests through Maven"
              + " (./mvnw -B -pl liberty-it -am verify), which starts Open Liberty and sets it");
    }
    return url;
  }

  /** Waits until the application serves requests; at most three minutes, like the server.xml. */
  static void awaitStarted() {
    Poll.until(
        "the sample application to start at " + baseUrl(),
        () -> {
          try {
            return HTTP.send(
                    HttpRequest.newBuilder(uri("/api/journal"))
                        .timeout(Duration.ofSeconds(10))
                        .build(),
                    HttpResponse.BodyHandlers.discarding())
                .statusCode();
          } catch (IOException e) {
            return -1;
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
          }
        },
        status -> status == 200,
        Duration.ofMinutes(3));
  }

  static URI uri(String path) {
    return URI.create(baseUrl() + path);
  }

  static HttpResponse<String> get(String path) {
    return send(HttpRequest.newBuilder(uri(path)).GET());
  }

  static HttpResponse<String> post(String path, String contentType, String body) {
    return post(path, contentType, body, Map.of());
  }

  static HttpResponse<String> post(
      String path, String contentType, String body, Map<String, String> headers) {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(uri(path))
            .header("Content-Type", contentType)
            .POST(HttpRequest.BodyPublishers.ofString(body));
    headers.forEach(request::header);
    return send(request);
  }

  static HttpResponse<String> send(HttpRequest.Builder request) {
    try {
      return HTTP.send(
          request.timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofString());
    } catch (IOException e) {
      throw new IllegalStateException("HTTP request to the sample app failed: " + e, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("Interrupted while calling the sample app", e);
    }
  }
}
