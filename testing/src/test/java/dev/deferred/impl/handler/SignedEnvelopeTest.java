package dev.deferred.impl.handler;

import static java.util.concurrent.TimeUnit.SECONDS;
import static org.assertj.core.api.Assertions.assertThat;

import com.google.cloud.tasks.v2.CloudTasksClient;
import com.google.cloud.tasks.v2.HttpMethod;
import com.google.cloud.tasks.v2.HttpRequest;
import com.google.cloud.tasks.v2.OidcToken;
import com.google.cloud.tasks.v2.QueueName;
import com.google.cloud.tasks.v2.Task;
import com.google.protobuf.ByteString;
import dev.deferred.Deferrer;
import dev.deferred.impl.codec.Signer;
import dev.deferred.impl.config.Messages;
import dev.deferred.impl.store.TaskFailure;
import dev.deferred.impl.testing.DeferredTest;
import dev.deferred.impl.testing.DeferredTestExtension;
import dev.deferred.impl.testing.LibraryParts;
import dev.deferred.testing.internal.TaskHttpServer;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jboss.weld.junit5.auto.AddBeanClasses;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The signed body names its queue and its expiry: a body copied into a task of another queue, or
 * delivered after its expiry, is refused, recorded and not run.
 */
@DeferredTest(
    config = {
      "deferred.signing.keys=" + SignedEnvelopeTest.KEY,
      "deferred.queues.other.rate-per-second=50"
    })
@AddBeanClasses(Outcomes.class)
class SignedEnvelopeTest {
  static final String KEY = "MDEyMzQ1Njc4OWFiY2RlZjAxMjM0NTY3ODlhYmNkZWY=";
  private static final Pattern EXPIRES = Pattern.compile("\"expiresAt\":\"([^\"]+)\"");

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
    assertThat(delivered.status()).isEqualTo(200);
  }

  @AfterEach
  void settle() {
    DeferredTestExtension.awaitIdle();
  }

  @Test
  void theSignedBodyNamesItsQueueAndAnExpiryAfterTheScheduleTime() {
    String body = new String(delivered.body(), StandardCharsets.UTF_8);
    assertThat(body).startsWith("{\"v\":2,\"queue\":\"default\",\"expiresAt\":\"");
    Matcher m = EXPIRES.matcher(body);
    assertThat(m.find()).isTrue();
    Instant expiresAt = Instant.parse(m.group(1));
    assertThat(expiresAt)
        .isAfter(Instant.now().plus(java.time.Duration.ofDays(31)))
        .isBefore(Instant.now().plus(java.time.Duration.ofDays(33)));
  }

  @Test
  void aBodyCopiedIntoATaskOfAnotherQueueIsRefusedRecordedAndNotRun() throws Exception {
    // What someone allowed to create tasks (and to act as the service account), but without the
    // signing key, can do: copy a signed body and its signature into a task of another queue.
    CloudTasksClient client = LibraryParts.connection().client();
    DeferredTestExtension.server().exchanges().clear();
    client.createTask(
        QueueName.of(LibraryParts.config().project(), LibraryParts.config().location(), "other"),
        Task.newBuilder()
            .setHttpRequest(
                HttpRequest.newBuilder()
                    .setUrl(DeferredTestExtension.server().url().toString())
                    .setHttpMethod(HttpMethod.POST)
                    .putHeaders(Signer.HEADER, delivered.header(Signer.HEADER))
                    .setBody(ByteString.copyFrom(delivered.body()))
                    .setOidcToken(
                        OidcToken.newBuilder()
                            .setServiceAccountEmail(LibraryParts.config().oidcServiceAccount())
                            .setAudience(LibraryParts.address().audience(LibraryParts.config()))))
            .build());
    TaskHttpServer.Exchange copy = DeferredTestExtension.server().exchanges().poll(30, SECONDS);
    assertThat(copy).isNotNull();
    assertThat(copy.header("X-CloudTasks-QueueName")).isEqualTo("other");
    assertThat(copy.status()).isEqualTo(200);
    assertThat(Outcomes.ATTEMPTS.get("real")).hasValue(1);
    String task = "other/" + copy.header("X-CloudTasks-TaskName");
    assertThat(LibraryParts.failureStore().recent(10))
        .singleElement()
        .satisfies(
            f -> {
              assertThat(f.queue()).isEqualTo("other");
              assertThat(f.message()).isEqualTo(Messages.wrongQueue(task, "default"));
            });
  }

  @Test
  void aBodyPastItsExpiryIsRefusedRecordedAndNotRun() {
    String body = new String(delivered.body(), StandardCharsets.UTF_8);
    Matcher m = EXPIRES.matcher(body);
    assertThat(m.find()).isTrue();
    Instant past = Instant.now().minusSeconds(1);
    byte[] expired =
        body.replace(m.group(1), past.toString())
            .replace("\"real\"", "\"late\"")
            .getBytes(StandardCharsets.UTF_8);
    assertThat(send(signed(expired), expired).status()).isEqualTo(200);
    assertThat(Outcomes.ATTEMPTS).doesNotContainKey("late");
    List<TaskFailure> failures = LibraryParts.failureStore().recent(10);
    assertThat(failures)
        .singleElement()
        .satisfies(
            f ->
                assertThat(f.message())
                    .startsWith(
                        "DEFERRED-0423: Refused task default/"
                            + delivered.header("X-CloudTasks-TaskName")
                            + ": its payload signature expired at "
                            + past));
  }

  @Test
  void aVersionOneBodyIsRefusedClearly() {
    byte[] v1 =
        ("{\"v\":1,\"bean\":\"dev.deferred.impl.handler.Outcomes\",\"qualifiers\":[],"
                + "\"method\":\"succeed\",\"parameterTypes\":[\"java.lang.String\"],"
                + "\"arguments\":[{\"value\":\"old\"}],\"deferredAt\":\"2026-01-01T00:00:00Z\"}")
            .getBytes(StandardCharsets.UTF_8);
    assertThat(send(signed(v1), v1).status()).isEqualTo(200);
    assertThat(Outcomes.ATTEMPTS).doesNotContainKey("old");
    assertThat(LibraryParts.failureStore().recent(10))
        .singleElement()
        .satisfies(
            f ->
                assertThat(f.message())
                    .isEqualTo(
                        "payload version 1 is not the version 2 this library reads (version 1"
                            + " bodies, written before 0.1.0, sign neither queue nor expiry and"
                            + " are refused: defer the call again)"));
  }

  private Map<String, String> signed(byte[] body) {
    Map<String, String> h = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
    h.putAll(delivered.headers());
    h.put(Signer.HEADER, new Signer(List.of(Base64.getDecoder().decode(KEY))).sign(body));
    return h;
  }

  private static TaskHandler.Response send(Map<String, String> headers, byte[] body) {
    return TaskHttpServer.send(headers, body);
  }
}
