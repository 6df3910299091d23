package dev.deferred.impl.store;

import java.util.List;
import java.util.Optional;

/**
 * One page of recorded failures, newest first.
 *
 * @param failures the failures of this page
 * @param nextCursor pass it to {@link FailureStore#page(int, String)} for the next page; empty when
 *     this page is the last (a last page may also be followed by an empty one)
 */
public record FailurePage(List<TaskFailure> failures, Optional<String> nextCursor) {
  public FailurePage {
    failures = List.copyOf(failures);
  }
}
