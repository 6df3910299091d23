package dev.deferred.sample.it;

import static org.assertj.core.api.Assertions.assertThat;

import jakarta.json.JsonObject;
import jakarta.json.JsonObjectBuilder;
import jakarta.json.spi.JsonProvider;
import java.net.http.HttpResponse;
import java.util.Map;
import java.util.UUID;

/**
 * Builds a request for the sample's {@code POST /api/scenarios/defer} endpoint, which defers one
 * call of the sample app with the given options, and sends it.
 */
final class Defer {

  private static final JsonProvider JSON = JsonProvider.provider();

  private final JsonObjectBuilder body = JSON.createObjectBuilder();
  private final String key;

  private Defer(String task, String key) {
    this.key = key;
    body.add("task", task).add("key", key);
  }

  /** A scenario for {@code task} with a fresh journal key, so tests never see each other's runs. */
  static Defer task(String task) {
    return new Defer(task, task + "-" + UUID.randomUUID());
  }

  String key() {
    return key;
  }

  Defer with(String field, String value) {
    body.add(field, value);
    return this;
  }

  Defer with(String field, long value) {
    body.add(field, value);
    return this;
  }

  Defer with(String field, boolean value) {
    body.add(field, value);
    return this;
  }

  Defer header(String name, String value) {
    body.add("headers", JSON.createObjectBuilder(Map.of(name, value)));
    return this;
  }

  /** Sends the request and returns the raw answer. */
  HttpResponse<String> send() {
    return SampleApp.post("/api/scenarios/defer", "application/json", body.build().toString());
  }

  /** Sends the request, expects 200 and returns the task description (queue, state, name). */
  JsonObject ok() {
    HttpResponse<String> response = send();
    assertThat(response.statusCode()).as("defer answer: %s", response.body()).isEqualTo(200);
    return Json.parse(response.body());
  }

  /** Sends the request, expects a call-site rejection and returns the error description. */
  JsonObject rejected(int status) {
    HttpResponse<String> response = send();
    assertThat(response.statusCode()).as("defer answer: %s", response.body()).isEqualTo(status);
    return Json.parse(response.body());
  }

  /**
   * Proves that nothing more runs on {@code queue} before a point in time: defers a marker task
   * with {@code countdownMillis} on the same queue and waits for it. The emulator dispatches by
   * schedule time, so a retry or a stray task due earlier would have run before the marker.
   */
  static void awaitMarker(String queue, long countdownMillis) {
    Defer marker = task("record").with("queue", queue).with("countdownMillis", countdownMillis);
    marker.ok();
    Journal.awaitRun(marker.key());
  }
}
