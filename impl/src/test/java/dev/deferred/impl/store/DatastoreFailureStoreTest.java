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
  void hugeStackTraceIsCutAndHugePayloadIsOmittedSoTheEntityFits() {
    String trace = "x".repeat(DatastoreFailureStore.MAX_STACK_TRACE_CHARS + 5);
    TaskFailure failure =
        new TaskFailure(
            null,
            "mail",
            "t1",
            "B",
            "m()",
            "java.lang.RuntimeException",
            "boom",
            trace,
            T0,
            1,
            null,
            new byte[DatastoreFailureStore.MAX_PAYLOAD_BYTES + 1]);
    TaskFailure recorded = store.record(failure);
    assertThat(recorded.stackTrace())
        .hasSize(
            DatastoreFailureStore.MAX_STACK_TRACE_CHARS + "\n... cut: 5 more characters".length())
        .endsWith("\n... cut: 5 more characters");
    assertThat(recorded.payload()).isNull();
    assertThat(
            datastore
                .get(
                    datastore
                        .newKeyFactory()
                        .setKind("DeferredFailure")
                        .newKey(Long.parseLong(recorded.id())))
                .getLong("payloadOmittedBytes"))
        .isEqualTo(DatastoreFailureStore.MAX_PAYLOAD_BYTES + 1);
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
