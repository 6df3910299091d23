package dev.deferred.impl.store;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.cloud.datastore.Datastore;
import dev.deferred.impl.testsupport.DatastoreEmulator;
import dev.deferred.impl.testsupport.DatastoreEmulatorInstance;
import java.time.Instant;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

@DatastoreEmulator
class DatastoreFailureStoreTest {
  // Datastore keeps microseconds: use instants that survive the round trip exactly.
  private static final Instant T0 = Instant.parse("2026-11-28T08:00:00.123456Z");

  private Datastore datastore;
  private DatastoreFailureStore store;

  @BeforeEach
  void connect(DatastoreEmulatorInstance emulator) {
    datastore =
        new DatastoreSettings(
                emulator.projectId(),
                Optional.of(emulator.newNamespace()),
                Optional.of(emulator.hostPort()))
            .createDatastore();
    store = new DatastoreFailureStore(datastore);
  }

  @AfterEach
  void close() throws Exception {
    datastore.close();
  }

  @Test
  void recordedFailureReadsBackWithEveryDetail() {
    TaskFailure failure = InMemoryFailureStoreTest.failure("t1", T0);
    TaskFailure recorded = store.record(failure);
    assertThat(recorded.id()).matches("[1-9][0-9]*");
    assertThat(recorded).isEqualTo(withId(failure, recorded.id()));
    assertThat(store.find(recorded.id())).contains(recorded);
  }

  @Test
  void failureWithoutOptionalDetailsRoundTrips() {
    TaskFailure failure =
        new TaskFailure(
            null,
            "default",
            null,
            null,
            null,
            "dev.deferred.api.PayloadException",
            null,
            "trace",
            T0,
            0,
            "0b6f8a8e-3c2a-4a7e-9d5e-1f2a3b4c5d6e",
            null);
    TaskFailure recorded = store.record(failure);
    assertThat(store.find(recorded.id())).contains(withId(failure, recorded.id()));
  }

  @Test
  void recentListsNewestFirstUpToTheLimit() {
    store.record(InMemoryFailureStoreTest.failure("old", T0));
    store.record(InMemoryFailureStoreTest.failure("newest", T0.plusSeconds(20)));
    store.record(InMemoryFailureStoreTest.failure("middle", T0.plusSeconds(10)));
    assertThat(store.recent(2))
        .extracting(TaskFailure::taskName)
        .containsExactly("newest", "middle");
    assertThat(store.recent(50))
        .extracting(TaskFailure::taskName)
        .containsExactly("newest", "middle", "old");
  }

  @Test
  void deletedFailureIsGoneAndUnknownIdsAreHarmless() {
    TaskFailure recorded = store.record(InMemoryFailureStoreTest.failure("t1", T0));
    store.delete(recorded.id());
    store.delete(recorded.id());
    store.delete("not-a-number");
    assertThat(store.find(recorded.id())).isEmpty();
    assertThat(store.find("not-a-number")).isEmpty();
    assertThat(store.find("-5")).isEmpty();
    assertThat(store.recent(10)).isEmpty();
  }

  @Test
  void hugeStackTraceIsCutSoTheEntityFits() {
    String trace = "x".repeat(DatastoreFailureStore.MAX_STACK_TRACE_CHARS + 5);
    TaskFailure recorded = store.record(failure("t1", trace, new byte[10]));
    assertThat(recorded.stackTrace())
        .hasSize(
            DatastoreFailureStore.MAX_STACK_TRACE_CHARS + "\n... cut: 5 more characters".length())
        .endsWith("\n... cut: 5 more characters");
    assertThat(store.find(recorded.id()).orElseThrow().stackTrace())
        .isEqualTo(recorded.stackTrace());
  }

  @Test
  void aPayloadOfSeveralMegabytesIsKeptWholeSoTheTaskCanBeRecreated() {
    byte[] payload = new byte[2 * DatastoreFailureStore.CHUNK_BYTES + 12_345];
    new java.util.Random(7).nextBytes(payload);
    String trace = "x".repeat(DatastoreFailureStore.MAX_STACK_TRACE_CHARS);

    TaskFailure recorded = store.record(failure("big", trace, payload));

    assertThat(recorded.payload()).isEqualTo(payload);
    assertThat(store.find(recorded.id()).orElseThrow().payload()).isEqualTo(payload);
    assertThat(store.recent(1))
        .singleElement()
        .satisfies(f -> assertThat(f.payload()).isEqualTo(payload));
    assertThat(store.page(5, null).failures())
        .singleElement()
        .satisfies(f -> assertThat(f.payload()).isEqualTo(payload));
  }

  @Test
  void aJustTooLargePayloadIsKeptWholeAsWell() {
    byte[] payload = new byte[DatastoreFailureStore.MAX_PAYLOAD_BYTES + 1];
    new java.util.Random(8).nextBytes(payload);
    TaskFailure recorded = store.record(failure("edge", "trace", payload));
    assertThat(store.find(recorded.id()).orElseThrow().payload()).isEqualTo(payload);
  }

  @Test
  void deletingAFailureDeletesTheChunksOfItsPayload() {
    byte[] payload = new byte[DatastoreFailureStore.CHUNK_BYTES + 1];
    TaskFailure recorded = store.record(failure("big", "trace", payload));
    assertThat(chunks()).isEqualTo(2);

    store.delete(recorded.id());

    assertThat(store.find(recorded.id())).isEmpty();
    assertThat(chunks()).isZero();
  }

  private int chunks() {
    int n = 0;
    var results =
        datastore.run(
            com.google.cloud.datastore.Query.newKeyQueryBuilder()
                .setKind(DatastoreFailureStore.CHUNK_KIND)
                .build());
    while (results.hasNext()) {
      results.next();
      n++;
    }
    return n;
  }

  private static TaskFailure failure(String task, String trace, byte[] payload) {
    return new TaskFailure(
        null,
        "mail",
        task,
        "B",
        "m()",
        "java.lang.RuntimeException",
        "boom",
        trace,
        T0,
        1,
        null,
        payload);
  }

  @Test
  void pagesBrowseEveryFailureOnceNewestFirst() {
    FailureStoreContract.pagesBrowseEveryFailureOnceNewestFirst(store);
  }

  @Test
  void cursorNotMadeByTheStoreIsRejected() {
    FailureStoreContract.cursorNotMadeByTheStoreIsRejected(store);
  }

  private static TaskFailure withId(TaskFailure f, String id) {
    return new TaskFailure(
        id,
        f.queue(),
        f.taskName(),
        f.beanType(),
        f.method(),
        f.exceptionClass(),
        f.message(),
        f.stackTrace(),
        f.failedAt(),
        f.retryCount(),
        f.payloadKey(),
        f.payload());
  }

  @Test
  void filteredPagesHoldOnlyMatchesAndBrowseThemAllOnce() {
    FailureStoreContract.filteredPagesHoldOnlyMatchesAndBrowseThemAllOnce(store);
  }

  @Test
  void operationsDetailsRoundTripAndARedeferralIsMarked() {
    FailureStoreContract.operationsDetailsRoundTripAndARedeferralIsMarked(store);
  }
}
