package dev.deferred.sample.it;

import static org.assertj.core.api.Assertions.assertThat;

import jakarta.json.JsonObject;
import java.net.http.HttpResponse;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The demo of docs/demo.md works as documented: one POST, three tasks run in the background. */
@ExtendWith(ServerLogOnFailure.class)
class DemoIT {

  @Test
  void publishingANoteRunsItsDeferredTasksInTheBackground() {
    HttpResponse<String> response = SampleApp.post("/api/demo", "text/plain", "Hello, Liberty");

    assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
    JsonObject published = Json.parse(response.body());
    String key = published.getString("key");
    long noteId = published.getJsonObject("note").getJsonNumber("id").longValue();
    assertThat(published.getJsonArray("tasks").getValuesAs(JsonObject.class))
        .allSatisfy(
            task -> {
              assertThat(task.getString("state")).isEqualTo("ENQUEUED");
              assertThat(task.getString("name")).isNotBlank();
            });

    List<JsonObject> ran =
        Journal.await(key, "the demo's three tasks", entries -> entries.size() >= 3);
    assertThat(ran)
        .extracting(e -> e.getString("detail"))
        .containsExactlyInAnyOrder(
            "note " + noteId + " text=Hello, Liberty managed=true",
            "HELLO, HELLO, LIBERTY!",
            "announced note " + noteId + ": Hello, Liberty");
    assertThat(ran)
        .extracting(e -> e.getJsonObject("task").getString("queueName"))
        .containsExactlyInAnyOrder("default", "default", "mail");

    JsonObject note = Json.parse(SampleApp.get("/api/notes/" + noteId).body());
    assertThat(note.getString("processedBy")).isEqualTo(key);
  }
}
