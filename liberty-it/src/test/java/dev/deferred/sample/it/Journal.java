package dev.deferred.sample.it;

import static org.assertj.core.api.Assertions.assertThat;

import jakarta.json.JsonArray;
import jakarta.json.JsonObject;
import java.net.URLEncoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.function.Predicate;

/** Reads the sample's task journal ({@code GET /api/journal?key=...}) and waits on it. */
final class Journal {

  /** Generous: a task goes through the embedded emulator and back over HTTP. */
  static final Duration TIMEOUT = Duration.ofSeconds(30);

  private Journal() {}

  /** The entries recorded under {@code key}, oldest first. */
  static List<JsonObject> entries(String key) {
    HttpResponse<String> response =
        SampleApp.get("/api/journal?key=" + URLEncoder.encode(key, StandardCharsets.UTF_8));
    assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
    JsonArray array = Json.parseArray(response.body());
    return array.getValuesAs(JsonObject.class);
  }

  /** The entries under {@code key} with this event ({@code ran}, {@code attempt-failed}). */
  static List<JsonObject> entries(String key, String event) {
    return entries(key).stream().filter(e -> e.getString("event").equals(event)).toList();
  }

  /** Waits until the entries under {@code key} satisfy {@code condition}, and returns them. */
  static List<JsonObject> await(String key, String what, Predicate<List<JsonObject>> condition) {
    return Poll.until(what + " (journal key " + key + ")", () -> entries(key), condition, TIMEOUT);
  }

  /** Waits until the task recorded under {@code key} ran once, and returns that entry. */
  static JsonObject awaitRun(String key) {
    List<JsonObject> ran =
        await(key, "the task to run", entries -> entries.stream().anyMatch(Journal::ran));
    return ran.stream().filter(Journal::ran).findFirst().orElseThrow();
  }

  private static boolean ran(JsonObject entry) {
    return entry.getString("event").equals("ran");
  }
}
