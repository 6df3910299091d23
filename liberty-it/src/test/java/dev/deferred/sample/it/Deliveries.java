package dev.deferred.sample.it;

import static org.assertj.core.api.Assertions.assertThat;

import jakarta.json.JsonObject;
import jakarta.json.JsonString;
import java.net.http.HttpResponse;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The requests Cloud Tasks delivered for a task, as the sample's wiretap recorded them. */
final class Deliveries {

  private Deliveries() {}

  static List<JsonObject> of(String taskName) {
    HttpResponse<String> response = SampleApp.get("/api/deliveries/" + taskName);
    assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
    return Json.parseArray(response.body()).getValuesAs(JsonObject.class);
  }

  /** A delivery's headers, but those the HTTP client sets itself and refuses to be told. */
  static Map<String, String> headers(JsonObject delivery) {
    Map<String, String> headers = new LinkedHashMap<>();
    for (Map.Entry<String, ?> h : delivery.getJsonObject("headers").entrySet()) {
      String name = h.getKey();
      if (!name.equals("host")
          && !name.equals("content-length")
          && !name.equals("connection")
          && !name.equals("expect")
          && !name.equals("upgrade")) {
        headers.put(name, ((JsonString) h.getValue()).getString());
      }
    }
    return headers;
  }

  /** Sends a request to {@code path} as Cloud Tasks would, with these headers and body. */
  static HttpResponse<String> replay(String path, Map<String, String> headers, String body) {
    Map<String, String> rest = new LinkedHashMap<>(headers);
    String contentType = rest.remove("content-type");
    return SampleApp.post(
        path, contentType == null ? "application/octet-stream" : contentType, body, rest);
  }

  /** Delivers a recorded delivery again, unaltered: Cloud Tasks delivering a task twice. */
  static HttpResponse<String> again(JsonObject delivery) {
    String path = delivery.getString("path");
    return replay(
        path.substring(path.indexOf('/', 1)), headers(delivery), delivery.getString("body"));
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
