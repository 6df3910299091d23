package dev.deferred.sample.it;

import static org.assertj.core.api.Assertions.assertThat;

import jakarta.json.JsonObject;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The library's health checks on Open Liberty with {@code mpHealth-4.0}: readiness UP while every
 * configured queue exists, DOWN naming the queue once it is deleted (the sample's {@code scratch}
 * queue, which only this test touches: a deleted queue's name stays taken).
 */
@ExtendWith(ServerLogOnFailure.class)
class HealthIT {

  @BeforeAll
  static void started() {
    SampleApp.awaitStarted();
  }

  /** The server's health endpoint, outside the application's context root. */
  private static HttpResponse<String> health(String which) {
    URI base = URI.create(SampleApp.baseUrl()).resolve("/health/" + which);
    return SampleApp.send(HttpRequest.newBuilder(base).GET());
  }

  private static JsonObject deferredCheck(HttpResponse<String> response) {
    return Json.parse(response.body()).getJsonArray("checks").stream()
        .map(v -> v.asJsonObject())
        .filter(c -> c.getString("name").equals("deferred"))
        .findFirst()
        .orElseThrow(() -> new AssertionError("no 'deferred' check in " + response.body()));
  }

  @Test
  void readinessIsUpThenDownNamingAQueueThatWasDeleted() {
    HttpResponse<String> up = health("ready");
    assertThat(up.statusCode()).as(up.body()).isEqualTo(200);
    JsonObject check = deferredCheck(up);
    assertThat(check.getString("status")).isEqualTo("UP");
    assertThat(check.getJsonObject("data").getString("queue.scratch")).isEqualTo("RUNNING");
    assertThat(check.getJsonObject("data").getString("queue.mail")).isIn("RUNNING", "PAUSED");

    HttpResponse<String> deleted =
        SampleApp.send(
            HttpRequest.newBuilder(
                    URI.create(
                        System.getProperty("it.emulator.url")
                            + "/v2/projects/deferred-local/locations/us-central1/queues/scratch"))
                .DELETE());
    assertThat(deleted.statusCode()).as(deleted.body()).isEqualTo(200);

    HttpResponse<String> down = health("ready");
    assertThat(down.statusCode()).as(down.body()).isEqualTo(503);
    JsonObject downCheck = deferredCheck(down);
    assertThat(downCheck.getString("status")).isEqualTo("DOWN");
    assertThat(downCheck.getJsonObject("data").getString("queue.scratch")).isEqualTo("MISSING");
    assertThat(downCheck.getJsonObject("data").getString("problems"))
        .isEqualTo(
            "DEFERRED-7602: queue 'scratch' is configured but missing in Cloud Tasks: restart the"
                + " application to create it (deferred.create-queues is on)");

    HttpResponse<String> live = health("live");
    assertThat(live.statusCode()).as(live.body()).isEqualTo(200);
    assertThat(deferredCheck(live).getString("status")).isEqualTo("UP");
  }
}
