package dev.deferred.impl.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class InMemoryFailureStoreTest {
  private static final Instant T0 = Instant.parse("2026-11-28T08:00:00Z");

  static TaskFailure failure(String task, Instant at) {
    return TaskFailure.of(
        "mail",
        task,
        "com.example.Mailer",
        "send(java.lang.String)",
        new IllegalStateException("smtp down"),
        at,
        3,
        null,
        new byte[] {'{', '}'});
  }

  @Test
  void recordedFailureGetsAnIdAndKeepsItsDetails() {
    InMemoryFailureStore store = new InMemoryFailureStore();
    TaskFailure recorded = store.record(failure("t1", T0));
    assertThat(recorded.id()).isNotBlank();
    assertThat(store.find(recorded.id())).contains(recorded);
    assertThat(recorded.exceptionClass()).isEqualTo("java.lang.IllegalStateException");
    assertThat(recorded.message()).isEqualTo("smtp down");
    assertThat(recorded.stackTrace()).contains("InMemoryFailureStoreTest.failure");
    assertThat(recorded.payload()).containsExactly('{', '}');
  }

  @Test
  void recentListsNewestFirstUpToTheLimit() {
    InMemoryFailureStore store = new InMemoryFailureStore();
    store.record(failure("old", T0));
    store.record(failure("newest", T0.plusSeconds(20)));
    store.record(failure("middle", T0.plusSeconds(10)));
    assertThat(store.recent(2))
        .extracting(TaskFailure::taskName)
        .containsExactly("newest", "middle");
    assertThat(store.recent(10))
        .extracting(TaskFailure::taskName)
        .containsExactly("newest", "middle", "old");
  }

  @Test
  void failuresWithLargePayloadsAreBoundedByBytesNotOnlyByCount() {
    // A stream of refused 1 MB bodies must not hold 1,000 MB.
    InMemoryFailureStore store = new InMemoryFailureStore(1000, 4L * 1024 * 1024);
    for (int i = 0; i < 50; i++) {
      store.record(
          TaskFailure.of(
              "mail",
              "t" + i,
              null,
              null,
              new IllegalStateException("refused"),
              T0.plusSeconds(i),
              0,
              null,
              new byte[1024 * 1024]));
    }
    assertThat(store.totalBytes()).isLessThanOrEqualTo(4L * 1024 * 1024);
    List<TaskFailure> kept = store.recent(1000);
    assertThat(kept).hasSizeBetween(3, 4);
    assertThat(kept.get(0).taskName()).isEqualTo("t49");
  }

  @Test
  void theNewestFailureIsKeptEvenWhenItAloneIsLargerThanTheBound() {
    InMemoryFailureStore store = new InMemoryFailureStore(10, 1000);
    store.record(failure("small", T0));
    store.record(
        TaskFailure.of(
            "mail",
            "big",
            null,
            null,
            new IllegalStateException("x"),
            T0,
            0,
            null,
            new byte[5000]));
    assertThat(store.recent(10)).extracting(TaskFailure::taskName).containsExactly("big");
  }

  @Test
  void oldestFailuresAreForgottenBeyondCapacity() {
    InMemoryFailureStore store = new InMemoryFailureStore(2);
    TaskFailure first = store.record(failure("a", T0));
    store.record(failure("b", T0.plusSeconds(1)));
    store.record(failure("c", T0.plusSeconds(2)));
    assertThat(store.recent(10)).extracting(TaskFailure::taskName).containsExactly("c", "b");
    assertThat(store.find(first.id())).isEmpty();
  }

  @Test
  void deletedFailureIsGoneAndDeletingTwiceIsHarmless() {
    InMemoryFailureStore store = new InMemoryFailureStore();
    TaskFailure recorded = store.record(failure("t1", T0));
    store.delete(recorded.id());
    store.delete(recorded.id());
    assertThat(store.find(recorded.id())).isEmpty();
    assertThat(store.recent(1)).isEmpty();
  }

  @Test
  void limitBelowOneIsRejected() {
    assertThatThrownBy(() -> new InMemoryFailureStore().recent(0))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("DEFERRED-3005: the number of failures to list must be at least 1, was 0");
  }

  @Test
  void pagesBrowseEveryFailureOnceNewestFirst() {
    FailureStoreContract.pagesBrowseEveryFailureOnceNewestFirst(new InMemoryFailureStore());
  }

  @Test
  void cursorNotMadeByTheStoreIsRejected() {
    FailureStoreContract.cursorNotMadeByTheStoreIsRejected(new InMemoryFailureStore());
  }

  @Test
  void filteredPagesHoldOnlyMatchesAndBrowseThemAllOnce() {
    FailureStoreContract.filteredPagesHoldOnlyMatchesAndBrowseThemAllOnce(
        new InMemoryFailureStore());
  }

  @Test
  void operationsDetailsRoundTripAndARedeferralIsMarked() {
    FailureStoreContract.operationsDetailsRoundTripAndARedeferralIsMarked(
        new InMemoryFailureStore());
  }
}
