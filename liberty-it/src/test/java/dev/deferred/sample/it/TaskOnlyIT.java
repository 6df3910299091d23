package dev.deferred.sample.it;

import static org.assertj.core.api.Assertions.assertThat;

import jakarta.json.JsonObject;
import java.net.http.HttpResponse;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** {@code @TaskOnly} application endpoints refuse requests that do not come from Cloud Tasks. */
@ExtendWith(ServerLogOnFailure.class)
class TaskOnlyIT {

  @Test
  void directCallToTaskOnlyEndpointIsForbidden() {
    long before = Journal.entries("maintenance").size();

    HttpResponse<String> response = SampleApp.post("/api/maintenance/cleanup", "text/plain", "now");

    assertThat(response.statusCode()).isEqualTo(403);
    assertThat(Journal.entries("maintenance")).hasSize((int) before);
  }

  @Test
  void callWithForgedCloudTasksHeadersIsForbidden() {
    long before = Journal.entries("maintenance").size();

    HttpResponse<String> response =
        SampleApp.post(
            "/api/maintenance/cleanup",
            "text/plain",
            "now",
            Map.of(
                "X-CloudTasks-QueueName", "default",
                "X-CloudTasks-TaskName", "forged",
                "X-AppEngine-QueueName", "default",
                "Authorization", "Bearer forged"));

    assertThat(response.statusCode()).isEqualTo(403);
    assertThat(Journal.entries("maintenance")).hasSize((int) before);
  }

  @Test
  void taskDeliveredByCloudTasksIsServedWithItsTaskContext() {
    // A task sent to the endpoint with the handler URL option: the request carries the emulator's
    // OIDC token for that URL, which @TaskOnly accepts.
    Defer defer =
        Defer.task("record").with("handlerUrl", SampleApp.baseUrl() + "/api/maintenance/cleanup");

    String name = defer.ok().getString("name");

    JsonObject served =
        Journal.await(
                "maintenance",
                "the task-only endpoint to serve task " + name,
                entries -> entries.stream().anyMatch(e -> isTask(e, name)))
            .stream()
            .filter(e -> isTask(e, name))
            .findFirst()
            .orElseThrow();
    assertThat(served.getJsonObject("task").getBoolean("isTask")).isTrue();
    assertThat(served.getJsonObject("task").getString("queueName")).isEqualTo("default");
    assertThat(Journal.entries(defer.key())).isEmpty();
  }

  private static boolean isTask(JsonObject entry, String name) {
    JsonObject task = entry.getJsonObject("task");
    return task.getBoolean("isTask") && name.equals(task.getString("taskName"));
  }
}
