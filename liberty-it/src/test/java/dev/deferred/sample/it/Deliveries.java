package dev.deferred.sample.it;

import static org.assertj.core.api.Assertions.assertThat;

import jakarta.json.JsonObject;
import java.net.http.HttpResponse;
import java.util.List;

/** The requests Cloud Tasks delivered for a task, as the sample's wiretap recorded them. */
final class Deliveries {

  private Deliveries() {}

  static List<JsonObject> of(String taskName) {
    HttpResponse<String> response = SampleApp.get("/api/deliveries/" + taskName);
    assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
    return Json.parseArray(response.body()).getValuesAs(JsonObject.class);
  }

  /** The first delivery of a task that ran, waiting until the wiretap recorded it. */
  static JsonObject first(String taskName) {
    return Poll.until(
            "the delivery of task " + taskName,
            () -> of(taskName),
            list -> !list.isEmpty(),
            Journal.TIMEOUT)
        .get(0);
  }
}
