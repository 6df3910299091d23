package dev.deferred.sample.it;

import static org.assertj.core.api.Assertions.assertThat;

import jakarta.json.JsonObject;
import java.net.http.HttpResponse;
import java.util.Base64;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Forged and tampered requests to the task handler are refused with 403 and run nothing. Each test
 * starts from a real delivery (recorded by the sample's wiretap) and replays it altered. The
 * handler runs the task inside the request, so once the answer is in, the journal is final.
 */
@ExtendWith(ServerLogOnFailure.class)
class HandlerSecurityIT {

  private static final String HANDLER = "/_ah/queue/deferred";

  private String key;
  private JsonObject delivery;

  @BeforeEach
  void recordARealDelivery() {
    Defer defer = Defer.task("record").with("message", "genuine");
    String name = defer.ok().getString("name");
    key = defer.key();
    Journal.awaitRun(key);
    delivery = Deliveries.first(name);
    assertThat(delivery.getString("path")).isEqualTo("/sample" + HANDLER);
    assertThat(delivery.getInt("status")).isBetween(200, 299);
  }

  /**
   * The control for every test below: the replay itself is faithful, so each 403 is caused by the
   * one thing a test alters. (An unaltered copy of a delivery is accepted while its token is valid,
   * as Cloud Tasks delivers at least once: tasks must be idempotent anyway.)
   */
  @Test
  void unalteredReplayOfARealDeliveryIsAccepted() {
    HttpResponse<String> response = replay(HANDLER, taskHeaders(), body());

    assertThat(response.statusCode()).as(response.body()).isBetween(200, 299);
    assertThat(Journal.entries(key)).hasSize(2);
  }

  @Test
  void requestWithoutTokenIsForbidden() {
    Map<String, String> headers = taskHeaders();
    headers.remove("authorization");

    assertForbiddenAndNothingRuns(replay(HANDLER, headers, body()));
  }

  @Test
  void requestWithGarbageTokenIsForbidden() {
    Map<String, String> headers = taskHeaders();
    headers.put("authorization", "Bearer not.a.token");

    assertForbiddenAndNothingRuns(replay(HANDLER, headers, body()));
  }

  @Test
  void requestWithTokenSignedByAnotherKeyIsForbidden() {
    Map<String, String> headers = taskHeaders();
    String[] jwt = headers.get("authorization").substring("Bearer ".length()).split("\\.");
    byte[] signature = Base64.getUrlDecoder().decode(jwt[2]);
    signature[signature.length / 2] ^= 0x01;
    headers.put(
        "authorization",
        "Bearer "
            + jwt[0]
            + "."
            + jwt[1]
            + "."
            + Base64.getUrlEncoder().withoutPadding().encodeToString(signature));

    assertForbiddenAndNothingRuns(replay(HANDLER, headers, body()));
  }

  @Test
  void validTokenWithTamperedPayloadIsForbidden() {
    String tampered = body().replace("genuine", "tampered");
    assertThat(tampered).isNotEqualTo(body());

    assertForbiddenAndNothingRuns(replay(HANDLER, taskHeaders(), tampered));
  }

  @Test
  void validTokenWithAPayloadForAnotherTaskKeyIsForbidden() {
    String tampered = body().replace(key, key + "-forged");
    assertThat(tampered).isNotEqualTo(body());

    assertForbiddenAndNothingRuns(replay(HANDLER, taskHeaders(), tampered));
    assertThat(Journal.entries(key + "-forged")).isEmpty();
  }

  @Test
  void validTokenAndBodyWithoutThePayloadSignatureIsForbidden() {
    Map<String, String> headers = taskHeaders();
    assertThat(headers.remove("x-deferred-signature")).isNotNull();

    assertForbiddenAndNothingRuns(replay(HANDLER, headers, body()));
  }

  @Test
  void genuineTokenIssuedForAnotherUrlIsForbidden() {
    // A real emulator token, but its audience is the @TaskOnly endpoint, not the task handler.
    Defer other =
        Defer.task("record").with("handlerUrl", SampleApp.baseUrl() + "/api/maintenance/cleanup");
    JsonObject otherDelivery = Deliveries.first(other.ok().getString("name"));
    Map<String, String> headers = taskHeaders();
    headers.put("authorization", otherDelivery.getJsonObject("headers").getString("authorization"));
    assertThat(headers.get("authorization")).startsWith("Bearer ");

    assertForbiddenAndNothingRuns(replay(HANDLER, headers, body()));
  }

  @Test
  void handlerIsNotExposedUnderTheApplicationsOwnJaxRsPath() {
    HttpResponse<String> response = replay("/api/queue/deferred", taskHeaders(), body());

    assertThat(response.statusCode()).isEqualTo(404);
    assertThat(Journal.entries(key)).hasSize(1);
  }

  @Test
  void getOnTheHandlerRunsNothing() {
    HttpResponse<String> response = SampleApp.get(HANDLER);

    assertThat(response.statusCode()).isIn(403, 405);
    assertThat(Journal.entries(key)).hasSize(1);
  }

  private void assertForbiddenAndNothingRuns(HttpResponse<String> response) {
    assertThat(response.statusCode()).as(response.body()).isEqualTo(403);
    assertThat(Journal.entries(key)).as("journal of %s", key).hasSize(1);
  }

  private String body() {
    return delivery.getString("body");
  }

  private Map<String, String> taskHeaders() {
    return Deliveries.headers(delivery);
  }

  private static HttpResponse<String> replay(
      String path, Map<String, String> headers, String body) {
    return Deliveries.replay(path, headers, body);
  }
}
