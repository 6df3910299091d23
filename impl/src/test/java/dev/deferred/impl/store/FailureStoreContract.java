package dev.deferred.impl.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/** Behaviour every {@link FailureStore} shares, run against each implementation. */
final class FailureStoreContract {
  private static final Instant T0 = Instant.parse("2026-11-28T08:00:00Z");

  private FailureStoreContract() {}

  static void pagesBrowseEveryFailureOnceNewestFirst(FailureStore store) {
    for (int i = 1; i <= 5; i++) {
      store.record(InMemoryFailureStoreTest.failure("t" + i, T0.plusSeconds(i)));
    }
    List<List<String>> pages = new ArrayList<>();
    String cursor = null;
    do {
      FailurePage page = store.page(2, cursor);
      pages.add(page.failures().stream().map(TaskFailure::taskName).toList());
      cursor = page.nextCursor().orElse(null);
      // A failure recorded while browsing is newer than every page: it must not shift them.
      if (pages.size() == 1) {
        store.record(InMemoryFailureStoreTest.failure("late", T0.plusSeconds(100)));
      }
    } while (cursor != null && pages.size() < 10);
    assertThat(pages.stream().flatMap(List::stream).toList())
        .containsExactly("t5", "t4", "t3", "t2", "t1");
    assertThat(pages.get(0)).containsExactly("t5", "t4");
    assertThat(store.page(1, null).failures())
        .extracting(TaskFailure::taskName)
        .containsExactly("late");
  }

  static void cursorNotMadeByTheStoreIsRejected(FailureStore store) {
    assertThatThrownBy(() -> store.page(10, "not a cursor"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(
            "DEFERRED-3017: 'not a cursor' is not a failure page cursor of this store: pass null"
                + " for the first page, then the nextCursor of the previous page");
  }

  static void filteredPagesHoldOnlyMatchesAndBrowseThemAllOnce(FailureStore store) {
    for (int i = 1; i <= 9; i++) {
      TaskFailure f = InMemoryFailureStoreTest.failure("t" + i, T0.plusSeconds(i));
      store.record(
          new TaskFailure(
              null,
              i % 3 == 0 ? "reports" : "mail",
              f.taskName(),
              f.beanType(),
              f.method(),
              f.exceptionClass(),
              f.message(),
              f.stackTrace(),
              f.failedAt(),
              f.retryCount(),
              null,
              f.payload()));
    }
    List<String> seen = new ArrayList<>();
    String cursor = null;
    int pages = 0;
    do {
      FailurePage page = store.page(2, cursor, f -> f.queue().equals("mail"));
      assertThat(page.failures()).hasSizeLessThanOrEqualTo(2);
      page.failures().forEach(f -> seen.add(f.taskName()));
      cursor = page.nextCursor().orElse(null);
    } while (cursor != null && ++pages < 20);
    assertThat(seen).containsExactly("t8", "t7", "t5", "t4", "t2", "t1");
    assertThat(store.page(10, null, f -> f.queue().equals("nowhere")).failures()).isEmpty();
  }

  static void operationsDetailsRoundTripAndARedeferralIsMarked(FailureStore store) {
    Instant first = T0.minusSeconds(60);
    TaskFailure recorded =
        store.record(
            InMemoryFailureStoreTest.failure("t1", T0).withAttemptAndSignature(first, "v1=sig"));
    assertThat(recorded.firstAttemptAt()).isEqualTo(first);
    assertThat(recorded.payloadSignature()).isEqualTo("v1=sig");
    assertThat(recorded.redeferredAs()).isNull();
    assertThat(store.find(recorded.id())).contains(recorded);

    Instant at = T0.plusSeconds(30);
    TaskFailure marked = store.markRedeferred(recorded.id(), "new-task", at).orElseThrow();
    assertThat(marked.redeferredAs()).isEqualTo("new-task");
    assertThat(marked.redeferredAt()).isEqualTo(at);
    assertThat(store.find(recorded.id())).contains(marked);
    assertThat(marked.withRedeferral(null, null)).isEqualTo(recorded);
    assertThat(store.markRedeferred("424242", "x", at)).isEmpty();
    assertThat(store.markRedeferred("not an id", "x", at)).isEmpty();
  }
}
