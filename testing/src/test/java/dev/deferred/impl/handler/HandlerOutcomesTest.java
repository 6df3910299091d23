package dev.deferred.impl.handler;

import static java.util.concurrent.TimeUnit.SECONDS;
import static org.assertj.core.api.Assertions.assertThat;

import dev.deferred.DeferOptions;
import dev.deferred.Deferrer;
import dev.deferred.PermanentTaskFailure;
import dev.deferred.impl.codec.DeferredInvocation;
import dev.deferred.impl.codec.EntityReferences;
import dev.deferred.impl.codec.Envelope;
import dev.deferred.impl.codec.PayloadCodec;
import dev.deferred.impl.codec.Signer;
import dev.deferred.impl.store.TaskFailure;
import dev.deferred.impl.testing.DeferredTest;
import dev.deferred.impl.testing.DeferredTestExtension;
import dev.deferred.impl.testing.LibraryParts;
import dev.deferred.impl.testing.LogRecords;
import dev.deferred.testing.internal.TaskHttpServer;
import jakarta.inject.Inject;
import jakarta.json.bind.JsonbBuilder;
import java.lang.reflect.Method;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import java.util.logging.Level;
import org.jboss.weld.junit5.auto.AddBeanClasses;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Every outcome of the task handler, each with the payload in the task and with the payload in the
 * payload store: what it answers, what it records, what it logs, and what becomes of the stored
 * payload. Tasks are delivered by the emulator; requests the emulator cannot be made to send (a
 * claimed retry count, a payload naming code this deployment lacks) are sent with the OIDC token of
 * a real delivery and a valid signature.
 */
@DeferredTest(config = {"deferred.signing.keys=" + HandlerOutcomesTest.KEY})
@AddBeanClasses({
  Targets.Work.class,
  Targets.English.class,
  Targets.French.class,
  FlakyStores.Payloads.class,
  FlakyStores.Failures.class
})
class HandlerOutcomesTest {
  static final String KEY = "MDEyMzQ1Njc4OWFiY2RlZjAxMjM0NTY3ODlhYmNkZWY=";
  private static final String PAD = "p".repeat(100_000);
  private static final String WORK = Targets.Work.class.getName();

  @Inject Deferrer deferrer;
  @Inject FlakyStores.Payloads payloads;

  private LogRecords log;

  @BeforeEach
  void clear() {
    Targets.ATTEMPTS.clear();
    Targets.EVENTS.clear();
    FlakyStores.FAIL_READS.set(false);
    FlakyStores.FAIL_WRITES.set(false);
    DeferredTestExtension.server().exchanges().clear();
    log = LogRecords.of(TaskHandler.class);
  }

  @AfterEach
  void settle() {
    FlakyStores.FAIL_READS.set(false);
    FlakyStores.FAIL_WRITES.set(false);
    DeferredTestExtension.awaitIdle();
    log.close();
  }

  // --- delivered by the emulator ---------------------------------------------------------------

  @ParameterizedTest(name = "stored payload: {0}")
  @ValueSource(booleans = {false, true})
  void successAnswers200AndDeletesTheStoredPayload(boolean stored) throws Exception {
    deferrer.defer(Targets.Work.class, w -> w.succeed("a", padding(stored)));

    assertThat(Targets.EVENTS.poll(30, SECONDS)).isEqualTo("ok a 1");
    DeferredTestExtension.awaitIdle();
    assertThat(statuses()).containsExactly(200);
    assertTravelled(stored);
    assertThat(failures()).isEmpty();
    assertThat(payloads.held()).isZero();
  }

  @ParameterizedTest(name = "stored payload: {0}")
  @ValueSource(booleans = {false, true})
  void aRetryableFailureKeepsTheStoredPayloadForTheNextAttempt(boolean stored) throws Exception {
    deferrer.defer(Targets.Work.class, w -> w.failOnce("b", padding(stored)));

    assertThat(Targets.EVENTS.poll(30, SECONDS)).isEqualTo("ok b 2");
    DeferredTestExtension.awaitIdle();
    assertThat(statuses()).containsExactly(500, 200);
    assertTravelled(stored);
    assertThat(failures()).isEmpty();
    assertThat(payloads.held()).isZero();
  }

  @ParameterizedTest(name = "stored payload: {0}")
  @ValueSource(booleans = {false, true})
  void permanentFailureIsRecordedWithItsWholePayloadAndLoggedAsOneWarning(boolean stored) {
    deferrer.defer(Targets.Work.class, w -> w.permanent("c", padding(stored)));

    DeferredTestExtension.awaitIdle();
    assertThat(Targets.attempts("c")).isEqualTo(1);
    assertThat(statuses()).containsExactly(200);
    TaskFailure f = onlyFailure();
    assertThat(f.exceptionClass()).isEqualTo(PermanentTaskFailure.class.getName());
    assertThat(f.message()).isEqualTo("Order c no longer exists");
    assertThat(f.method()).isEqualTo("Work.permanent(String, String)");
    assertHoldsTheWholeCall(f, "permanent", stored);
    assertThat(payloads.held()).isZero();
    String task = "default/" + firstExchange().header("X-CloudTasks-TaskName");
    assertThat(log.atLeast(Level.WARNING))
        .singleElement()
        .satisfies(
            r -> {
              assertThat(r.getLevel()).isEqualTo(Level.WARNING);
              assertThat(r.getThrown()).isNull();
              assertThat(r.getMessage())
                  .isEqualTo(
                      "DEFERRED-0402: Task "
                          + task
                          + " (Work.permanent(String, String)) failed permanently: Order c no"
                          + " longer exists; it will not be retried and is recorded in the failure"
                          + " store");
            });
  }

  @Test
  void aPermanentFailureWrappedInOtherExceptionsIsStillPermanent() {
    deferrer.defer(Targets.Work.class, w -> w.wrappedPermanent("d", ""));

    DeferredTestExtension.awaitIdle();
    assertThat(Targets.attempts("d")).isEqualTo(1);
    assertThat(statuses()).containsExactly(200);
    assertThat(onlyFailure().exceptionClass())
        .isEqualTo(java.util.concurrent.CompletionException.class.getName());
  }

  @Test
  void aSingularFailureEvenWrappedAnswers408AndLogsNoWarning() throws Exception {
    deferrer.defer(Targets.Work.class, w -> w.wrappedSingularOnce("e", ""));

    assertThat(Targets.EVENTS.poll(30, SECONDS)).isEqualTo("ok e 2");
    DeferredTestExtension.awaitIdle();
    assertThat(statuses()).containsExactly(408, 200);
    assertThat(log.atLeast(Level.WARNING)).isEmpty();
    assertThat(failures()).isEmpty();
  }

  @ParameterizedTest(name = "stored payload: {0}")
  @ValueSource(booleans = {false, true})
  void theLastAllowedAttemptRecordsTheWholePayloadThenAcknowledges(boolean stored) {
    deferrer.defer(
        Targets.Work.class,
        w -> w.alwaysFail("f", padding(stored)),
        DeferOptions.defaults().maxAttempts(2));

    DeferredTestExtension.awaitIdle();
    assertThat(Targets.attempts("f")).isEqualTo(2);
    assertThat(statuses()).containsExactly(500, 200);
    TaskFailure f = onlyFailure();
    assertThat(f.message()).isEqualTo("always f");
    assertThat(f.retryCount()).isEqualTo(1);
    assertHoldsTheWholeCall(f, "alwaysFail", stored);
    assertThat(payloads.held()).isZero();
  }

  @ParameterizedTest(name = "stored payload: {0}")
  @ValueSource(booleans = {false, true})
  void aStoreThatCannotBeReadAnswers503AndTheTaskRunsOnceItIsBack(boolean stored) throws Exception {
    FlakyStores.FAIL_READS.set(true);
    deferrer.defer(Targets.Work.class, w -> w.succeed("g", padding(stored)));

    TaskHttpServer.Exchange first = firstExchange();
    if (stored) {
      assertThat(first.status()).isEqualTo(503);
      assertThat(Targets.attempts("g")).isZero();
      FlakyStores.FAIL_READS.set(false);
    }
    assertThat(Targets.EVENTS.poll(30, SECONDS)).isEqualTo("ok g 1");
    DeferredTestExtension.awaitIdle();
    assertThat(statuses()).containsExactly(stored ? new Integer[] {503, 200} : new Integer[] {200});
    assertThat(failures()).isEmpty();
    assertThat(payloads.held()).isZero();
  }

  @ParameterizedTest(name = "stored payload: {0}")
  @ValueSource(booleans = {false, true})
  void aFailureThatCannotBeRecordedIsRetriedWithItsStoredPayloadKept(boolean stored)
      throws Exception {
    FlakyStores.FAIL_WRITES.set(true);
    deferrer.defer(Targets.Work.class, w -> w.permanent("h", padding(stored)));

    assertThat(firstExchange().status()).isEqualTo(500);
    FlakyStores.FAIL_WRITES.set(false);
    DeferredTestExtension.awaitIdle();
    // Not acknowledged without a record: Cloud Tasks delivered it again, and this time it is kept.
    assertThat(statuses()).containsExactly(500, 200);
    assertThat(Targets.attempts("h")).isEqualTo(2);
    assertHoldsTheWholeCall(onlyFailure(), "permanent", stored);
    assertThat(payloads.held()).isZero();
    assertThat(log.atLeast(Level.SEVERE))
        .anySatisfy(
            r ->
                assertThat(r.getMessage())
                    .startsWith("DEFERRED-0413: Task default/")
                    .contains(
                        "ended for good, but its failure could not be recorded in the failure"
                            + " store (dev.deferred.impl.store.StoreException: failure store"
                            + " unreachable (test)); answering 500"));
  }

  // --- sent by hand, with a real delivery's token ------------------------------------------------

  @ParameterizedTest(name = "stored payload: {0}")
  @ValueSource(booleans = {false, true})
  void anAttemptPastMaxAttemptsIsRecordedWithoutRunningAndOnlyThenDeleted(boolean stored)
      throws Exception {
    byte[] payload =
        payload(work("alwaysFail"), DeferOptions.defaults().maxAttempts(3), "i", pad(stored));
    byte[] body = stored ? stash(payload) : payload;
    Map<String, String> claimsRetry7 = headers(body, 7);

    // A claimed retry count is not signed: while the failure cannot be recorded, nothing is lost.
    FlakyStores.FAIL_WRITES.set(true);
    assertThat(TaskHttpServer.send(claimsRetry7, body).status()).isEqualTo(500);
    assertThat(payloads.held()).isEqualTo(stored ? payload.length : 0);
    assertThat(failures()).isEmpty();

    FlakyStores.FAIL_WRITES.set(false);
    assertThat(TaskHttpServer.send(claimsRetry7, body).status()).isEqualTo(200);
    assertThat(Targets.attempts("i")).isZero();
    TaskFailure f = onlyFailure();
    assertThat(f.message()).isEqualTo("attempt 8 is past its maxAttempts of 3");
    assertThat(f.payload()).isEqualTo(payload);
    assertThat(f.payloadKey()).isNull();
    assertThat(payloads.held()).isZero();
  }

  @ParameterizedTest(name = "stored payload: {0}")
  @ValueSource(booleans = {false, true})
  void unknownCodeIsRetriedUntilItsTenthAttemptThenRecorded(boolean stored) throws Exception {
    byte[] payload =
        new String(
                payload(work("succeed"), DeferOptions.defaults(), "j", pad(stored)),
                StandardCharsets.UTF_8)
            .replace(WORK, "com.example.AddedInTheNextVersion")
            .getBytes(StandardCharsets.UTF_8);
    byte[] body = stored ? stash(payload) : payload;

    for (int retry = 0; retry < TaskHandler.UNKNOWN_CODE_ATTEMPTS - 1; retry++) {
      assertThat(TaskHttpServer.send(headers(body, retry), body).status()).isEqualTo(500);
    }
    assertThat(failures()).isEmpty();
    assertThat(payloads.held()).isEqualTo(stored ? payload.length : 0);
    assertThat(log.atLeast(Level.WARNING))
        .last()
        .satisfies(
            r ->
                assertThat(r.getMessage())
                    .isEqualTo(
                        "DEFERRED-0405: Task default/by-hand names code this deployment does not"
                            + " have (com.example.AddedInTheNextVersion.succeed:"
                            + " java.lang.ClassNotFoundException:"
                            + " com.example.AddedInTheNextVersion); retrying (attempt 9 of 10) in"
                            + " case a newer version of the application is being rolled out"));

    int last = TaskHandler.UNKNOWN_CODE_ATTEMPTS - 1;
    assertThat(TaskHttpServer.send(headers(body, last), body).status()).isEqualTo(200);
    TaskFailure f = onlyFailure();
    assertThat(f.beanType()).isEqualTo("com.example.AddedInTheNextVersion");
    assertThat(f.payload()).isEqualTo(payload);
    assertThat(payloads.held()).isZero();
  }

  @Test
  void anAmbiguousBeanIsRetriedLikeUnknownCodeThenRecorded() throws Exception {
    Method greet = Targets.Greeting.class.getMethod("greet", String.class);
    byte[] body = payload(greet, DeferOptions.defaults(), "k");

    assertThat(TaskHttpServer.send(headers(body, 0), body).status()).isEqualTo(500);
    assertThat(failures()).isEmpty();
    int last = TaskHandler.UNKNOWN_CODE_ATTEMPTS - 1;
    assertThat(TaskHttpServer.send(headers(body, last), body).status()).isEqualTo(200);
    assertThat(Targets.attempts("greet k")).isZero();
    assertThat(onlyFailure().message())
        .isEqualTo("2 beans of type " + Targets.Greeting.class.getName() + " with qualifiers []");
  }

  @Test
  void aClassThatIsNoBeanIsRetriedLikeUnknownCodeThenRecorded() throws Exception {
    Method run = Targets.NotABean.class.getMethod("run", String.class);
    byte[] body = payload(run, DeferOptions.defaults(), "l");

    assertThat(TaskHttpServer.send(headers(body, 0), body).status()).isEqualTo(500);
    int last = TaskHandler.UNKNOWN_CODE_ATTEMPTS - 1;
    assertThat(TaskHttpServer.send(headers(body, last), body).status()).isEqualTo(200);
    assertThat(Targets.attempts("l")).isZero();
    assertThat(onlyFailure().message())
        .isEqualTo("no bean of type " + Targets.NotABean.class.getName() + " with qualifiers []");
  }

  @Test
  void aMissingStoredPayloadIsAcknowledgedOnlyOnceRecorded() throws Exception {
    String key = UUID.randomUUID().toString();
    byte[] body =
        Envelope.storedReference(
            key, payload(work("succeed"), DeferOptions.defaults(), "gone", ""));

    FlakyStores.FAIL_WRITES.set(true);
    assertThat(TaskHttpServer.send(headers(body, 0), body).status()).isEqualTo(500);
    FlakyStores.FAIL_WRITES.set(false);
    assertThat(TaskHttpServer.send(headers(body, 1), body).status()).isEqualTo(200);

    TaskFailure f = onlyFailure();
    assertThat(f.payloadKey()).isEqualTo(key);
    assertThat(f.payload()).isEqualTo(body);
    assertThat(f.message())
        .isEqualTo(
            "DEFERRED-0410: Task default/by-hand refers to stored payload '"
                + key
                + "', which is not in the payload store (already run and deleted, or lost)");
  }

  @Test
  void aMalformedStoredPayloadIsRecordedWithItsBytesThenDeleted() throws Exception {
    byte[] garbage = "{\"v\":1,\"bean\":42}".getBytes(StandardCharsets.UTF_8);
    byte[] body = stash(garbage);

    assertThat(TaskHttpServer.send(headers(body, 0), body).status()).isEqualTo(200);
    TaskFailure f = onlyFailure();
    assertThat(f.payload()).isEqualTo(garbage);
    assertThat(f.exceptionClass())
        .isEqualTo(dev.deferred.impl.codec.PayloadException.class.getName());
    assertThat(payloads.held()).isZero();
  }

  @ParameterizedTest(name = "stored payload: {0}")
  @ValueSource(booleans = {false, true})
  void anEntityArgumentThatCannotBeLoadedIsRetriedNotAcknowledged(boolean stored) throws Exception {
    Method settle = Targets.Work.class.getMethod("settle", Ledger.class, String.class);
    byte[] payload =
        new String(
                payload(settle, DeferOptions.defaults(), null, pad(stored)), StandardCharsets.UTF_8)
            .replace(
                "\"arguments\":[{\"value\":null}",
                "\"arguments\":[{\"entity\":\"" + Ledger.class.getName() + "\",\"id\":7}")
            .getBytes(StandardCharsets.UTF_8);
    assertThat(new String(payload, StandardCharsets.UTF_8)).contains("\"entity\"");
    byte[] body = stored ? stash(payload) : payload;

    // No entity manager in this deployment: a failure of the run, not of the payload.
    assertThat(TaskHttpServer.send(headers(body, 0), body).status()).isEqualTo(500);
    assertThat(failures()).isEmpty();
    assertThat(payloads.held()).isEqualTo(stored ? payload.length : 0);
    assertThat(Targets.attempts("settle")).isZero();
    assertThat(log.atLeast(Level.SEVERE))
        .last()
        .satisfies(
            r ->
                assertThat(r.getThrown().getMessage())
                    .isEqualTo(
                        "DEFERRED-0415: A task has an argument of the JPA entity "
                            + Ledger.class.getName()
                            + ", which travels as a reference, but no CDI bean of type"
                            + " EntityManager exists to load it: produce one (@Produces"
                            + " @PersistenceContext EntityManager em;); the task is retried"));
  }

  // --- helpers --------------------------------------------------------------------------------

  private static String padding(boolean stored) {
    return stored ? PAD : "";
  }

  private static String pad(boolean stored) {
    return padding(stored);
  }

  private static Method work(String name) throws NoSuchMethodException {
    return Targets.Work.class.getMethod(name, String.class, String.class);
  }

  private static byte[] payload(Method method, DeferOptions options, Object... args) {
    try (var jsonb = JsonbBuilder.create()) {
      return new PayloadCodec(jsonb, EntityReferences.NONE)
          .encode(
              new DeferredInvocation(method.getDeclaringClass(), List.of(), method, args, options),
              Instant.now());
    } catch (Exception e) {
      throw new AssertionError(e);
    }
  }

  /** Puts the payload in the payload store and returns the task body that refers to it. */
  private byte[] stash(byte[] payload) {
    // The envelope of a well-formed payload, else (a malformed one) the task's queue and a day.
    String key = payloads.put(payload);
    try {
      return Envelope.storedReference(key, payload);
    } catch (IllegalArgumentException malformed) {
      return Envelope.storedReference(
          key, payload, "default", Instant.now().plus(java.time.Duration.ofDays(1)));
    }
  }

  /** The headers of a real delivery (its OIDC token), for task "by-hand", signed for the body. */
  private Map<String, String> headers(byte[] body, int retryCount) throws Exception {
    Map<String, String> h = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
    h.putAll(realDelivery().headers());
    h.put("X-CloudTasks-TaskName", "by-hand");
    h.put("X-CloudTasks-TaskRetryCount", Integer.toString(retryCount));
    h.put(Signer.HEADER, new Signer(List.of(Base64.getDecoder().decode(KEY))).sign(body));
    return h;
  }

  private TaskHttpServer.Exchange delivery;

  private TaskHttpServer.Exchange realDelivery() throws Exception {
    if (delivery == null) {
      deferrer.defer(Targets.Work.class, w -> w.succeed("token", ""));
      assertThat(Targets.EVENTS.poll(30, SECONDS)).isEqualTo("ok token 1");
      delivery = firstExchange();
      assertThat(delivery.status()).isEqualTo(200);
    }
    return delivery;
  }

  /** The first delivery of the test, waiting for it if need be. */
  private static TaskHttpServer.Exchange firstExchange() {
    TaskHttpServer server = DeferredTestExtension.server();
    long deadline = System.nanoTime() + SECONDS.toNanos(30);
    try {
      while (server.exchanges().isEmpty() && System.nanoTime() < deadline) {
        server.awaitDeliveryAfter(server.deliveries(), java.time.Duration.ofMillis(200));
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
    TaskHttpServer.Exchange e = server.exchanges().peek();
    assertThat(e).as("a delivery within 30 s").isNotNull();
    return e;
  }

  private static List<Integer> statuses() {
    List<Integer> statuses = new ArrayList<>();
    for (TaskHttpServer.Exchange e : DeferredTestExtension.server().exchanges()) {
      statuses.add(e.status());
    }
    return statuses;
  }

  /** The body of the first delivery carried a stored reference exactly when expected. */
  private static void assertTravelled(boolean stored) {
    String body =
        new String(
            DeferredTestExtension.server().exchanges().peek().body(), StandardCharsets.UTF_8);
    if (stored) {
      assertThat(body).startsWith("{\"v\":2,\"queue\":\"default\"").contains("\"stored\":");
    } else {
      assertThat(body).contains("\"method\":").doesNotContain("\"stored\"");
    }
  }

  private static void assertHoldsTheWholeCall(TaskFailure f, String method, boolean stored) {
    String payload = new String(f.payload(), StandardCharsets.UTF_8);
    assertThat(payload)
        .contains("\"bean\":\"" + WORK + "\"")
        .contains("\"method\":\"" + method + "\"")
        .doesNotContain("\"stored\"");
    assertThat(payload.contains(PAD)).isEqualTo(stored);
    assertThat(f.payloadKey()).isNull();
  }

  private static List<TaskFailure> failures() {
    return LibraryParts.failureStore().recent(100);
  }

  private static TaskFailure onlyFailure() {
    List<TaskFailure> all = failures();
    assertThat(all).hasSize(1);
    return all.get(0);
  }
}
