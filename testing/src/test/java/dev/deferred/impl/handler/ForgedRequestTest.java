package dev.deferred.impl.handler;

import static java.util.concurrent.TimeUnit.SECONDS;
import static org.assertj.core.api.Assertions.assertThat;

import dev.deferred.Deferrer;
import dev.deferred.impl.codec.Signer;
import dev.deferred.impl.testing.DeferredTest;
import dev.deferred.impl.testing.DeferredTestExtension;
import dev.deferred.impl.testing.LibraryParts;
import dev.deferred.testing.internal.TaskHttpServer;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.jboss.weld.junit5.auto.AddBeanClasses;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Requests that did not come from Cloud Tasks, or whose payload was changed, are refused and run
 * nothing. Each test starts from a real delivery (with the emulator's real OIDC token) and changes
 * one thing, so the only difference between accepted and refused is that thing.
 */
@DeferredTest(
    config = {"deferred.signing.keys=" + ForgedRequestTest.KEY_1 + "," + ForgedRequestTest.KEY_2})
@AddBeanClasses(Outcomes.class)
class ForgedRequestTest {
  static final String KEY_1 = "MDEyMzQ1Njc4OWFiY2RlZjAxMjM0NTY3ODlhYmNkZWY=";
  static final String KEY_2 = "ZmVkY2JhOTg3NjU0MzIxMGZlZGNiYTk4NzY1NDMyMTA=";

  @Inject Deferrer deferrer;

  private TaskHttpServer.Exchange delivered;

  @BeforeEach
  void deliverOneRealTask() throws Exception {
    Outcomes.ATTEMPTS.clear();
    Outcomes.EVENTS.clear();
    DeferredTestExtension.server().exchanges().clear();
    deferrer.defer(Outcomes.class, o -> o.succeed("real"));
    assertThat(Outcomes.EVENTS.poll(30, SECONDS)).isEqualTo("ok real 1");
    delivered = DeferredTestExtension.server().exchanges().poll(30, SECONDS);
    assertThat(delivered).isNotNull();
    assertThat(delivered.status()).isEqualTo(200);
  }

  @AfterEach
  void settle() {
    DeferredTestExtension.awaitIdle();
  }

  private Map<String, String> headers() {
    Map<String, String> h = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
    h.putAll(delivered.headers());
    return h;
  }

  @Test
  void anUnchangedReplayIsAcceptedSoTheRefusalsBelowAreCausedByTheChange() {
    TaskHandlerResponse r = send(headers(), delivered.body());
    assertThat(r.status()).isEqualTo(200);
    assertThat(Outcomes.ATTEMPTS.get("real")).hasValue(2);
  }

  @Test
  void aRequestWithoutTheOidcTokenIsRefused() {
    Map<String, String> h = headers();
    h.remove("Authorization");
    assertThat(send(h, delivered.body()).status()).isEqualTo(403);
    assertThat(Outcomes.ATTEMPTS.get("real")).hasValue(1);
  }

  @Test
  void aRequestWithAForgedTokenIsRefused() {
    Map<String, String> h = headers();
    String token = h.get("Authorization");
    // Same header and claims, signature bytes changed.
    h.put("Authorization", token.substring(0, token.length() - 4) + "AAAA");
    assertThat(send(h, delivered.body()).status()).isEqualTo(403);
    assertThat(Outcomes.ATTEMPTS.get("real")).hasValue(1);
  }

  @Test
  void aTamperedPayloadIsRefused() {
    String body = new String(delivered.body(), StandardCharsets.UTF_8);
    byte[] tampered = body.replace("\"real\"", "\"evil\"").getBytes(StandardCharsets.UTF_8);
    assertThat(tampered).isNotEqualTo(delivered.body());
    assertThat(send(headers(), tampered).status()).isEqualTo(403);
    assertThat(Outcomes.ATTEMPTS).doesNotContainKey("evil");
  }

  @Test
  void aPayloadWithoutSignatureIsRefused() {
    Map<String, String> h = headers();
    h.remove(Signer.HEADER);
    assertThat(send(h, delivered.body()).status()).isEqualTo(403);
  }

  @Test
  void aPayloadSignedWithTheSecondKeyIsAcceptedForKeyRotation() {
    String body =
        new String(delivered.body(), StandardCharsets.UTF_8).replace("\"real\"", "\"rotated\"");
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    Map<String, String> h = headers();
    h.put(Signer.HEADER, new Signer(List.of(Base64.getDecoder().decode(KEY_2))).sign(bytes));
    assertThat(send(h, bytes).status()).isEqualTo(200);
    assertThat(Outcomes.ATTEMPTS.get("rotated")).hasValue(1);
  }

  @Test
  void aSignedPayloadThatIsNotJsonIsAcknowledgedAndRecorded() {
    byte[] garbage = "not a payload".getBytes(StandardCharsets.UTF_8);
    assertThat(send(signed(garbage), garbage).status()).isEqualTo(200);
    assertThat(LibraryParts.failureStore().recent(10))
        .singleElement()
        .satisfies(f -> assertThat(f.payload()).isEqualTo(garbage));
  }

  @Test
  void aSignedPayloadNamingUnknownCodeIsRetriedThenRecorded() {
    String body =
        new String(delivered.body(), StandardCharsets.UTF_8)
            .replace("\"method\":\"succeed\"", "\"method\":\"addedInTheNextVersion\"");
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    Map<String, String> h = signed(bytes);
    assertThat(send(h, bytes).status()).isEqualTo(500);
    assertThat(LibraryParts.failureStore().recent(10)).isEmpty();

    h.put("X-CloudTasks-TaskRetryCount", String.valueOf(TaskHandler.UNKNOWN_CODE_ATTEMPTS - 1));
    assertThat(send(h, bytes).status()).isEqualTo(200);
    assertThat(LibraryParts.failureStore().recent(10))
        .singleElement()
        .satisfies(f -> assertThat(f.method()).isEqualTo("addedInTheNextVersion"));
  }

  private Map<String, String> signed(byte[] body) {
    Map<String, String> h = headers();
    h.put(Signer.HEADER, new Signer(List.of(Base64.getDecoder().decode(KEY_1))).sign(body));
    return h;
  }

  private record TaskHandlerResponse(int status) {}

  private static TaskHandlerResponse send(Map<String, String> headers, byte[] body) {
    return new TaskHandlerResponse(TaskHttpServer.send(headers, body).status());
  }
}
