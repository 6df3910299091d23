package dev.deferred.scaleout;

import jakarta.json.Json;
import jakarta.json.JsonObject;
import jakarta.json.JsonReader;
import java.io.IOException;
import java.io.StringReader;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Optional;

/** JSON over HTTP for the tests, failing with the status and body of an unexpected answer. */
final class Http {

  private static final HttpClient CLIENT =
      HttpClient.newBuilder()
          .connectTimeout(Duration.ofSeconds(5))
          .version(HttpClient.Version.HTTP_1_1)
          .build();

  private Http() {}

  static JsonObject get(String url) {
    return json(send(HttpRequest.newBuilder(URI.create(url)).GET(), url), url);
  }

  static JsonObject post(String url) {
    return json(send(HttpRequest.newBuilder(URI.create(url)).POST(noBody()), url), url);
  }

  static JsonObject postJson(String url, String body) {
    return json(
        send(
            HttpRequest.newBuilder(URI.create(url))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)),
            url),
        url);
  }

  /** A DELETE with a JSON content type, as the emulator's REST API wants for every write. */
  static JsonObject delete(String url) {
    return json(
        send(
            HttpRequest.newBuilder(URI.create(url))
                .header("Content-Type", "application/json")
                .DELETE(),
            url),
        url);
  }

  /** The status of a GET, or -1 if nothing answers. */
  static int status(String url) {
    try {
      return CLIENT
          .send(
              HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(5)).GET().build(),
              HttpResponse.BodyHandlers.discarding())
          .statusCode();
    } catch (IOException e) {
      return -1;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return -1;
    }
  }

  /**
   * The body of a GET answered with a 2xx status, or empty if anything else answers or nothing
   * does.
   */
  static Optional<String> text(String url) {
    try {
      HttpResponse<String> response =
          CLIENT.send(
              HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(5)).GET().build(),
              HttpResponse.BodyHandlers.ofString());
      return response.statusCode() / 100 == 2 ? Optional.of(response.body()) : Optional.empty();
    } catch (IOException e) {
      return Optional.empty();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return Optional.empty();
    }
  }

  /** A status and a body, whatever the status. */
  record Reply(int status, String body) {
    JsonObject json() {
      try (JsonReader reader = Json.createReader(new StringReader(body))) {
        return reader.readObject();
      } catch (RuntimeException e) {
        throw new AssertionError("not a JSON object (status " + status + "): " + body, e);
      }
    }
  }

  /**
   * The status and body of a GET, whatever the status: a health endpoint answers 503 with a body.
   */
  static Reply reply(String url) {
    try {
      HttpResponse<String> response =
          CLIENT.send(
              HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(30)).GET().build(),
              HttpResponse.BodyHandlers.ofString());
      return new Reply(response.statusCode(), response.body());
    } catch (IOException e) {
      throw new UncheckedIOException(url, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted: " + url, e);
    }
  }

  private static HttpRequest.BodyPublisher noBody() {
    return HttpRequest.BodyPublishers.noBody();
  }

  private static HttpResponse<String> send(HttpRequest.Builder request, String url) {
    try {
      HttpResponse<String> response =
          CLIENT.send(
              request.timeout(Duration.ofMinutes(2)).build(), HttpResponse.BodyHandlers.ofString());
      if (response.statusCode() / 100 != 2) {
        throw new AssertionError(
            request.build().method()
                + " "
                + url
                + " answered "
                + response.statusCode()
                + ": "
                + response.body());
      }
      return response;
    } catch (IOException e) {
      throw new UncheckedIOException(url, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted: " + url, e);
    }
  }

  private static JsonObject json(HttpResponse<String> response, String url) {
    String body = response.body();
    if (body.isBlank()) {
      return JsonObject.EMPTY_JSON_OBJECT;
    }
    try (JsonReader reader = Json.createReader(new StringReader(body))) {
      return reader.readObject();
    } catch (RuntimeException e) {
      throw new AssertionError(url + " did not answer a JSON object: " + body, e);
    }
  }
}
