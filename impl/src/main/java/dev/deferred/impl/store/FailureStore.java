package dev.deferred.impl.store;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Predicate;

/**
 * Records tasks that failed permanently, so that they can be inspected and re-created. Cloud Tasks
 * forgets a task once the handler answered 2xx; this store is what remains.
 *
 * <p>Implementations are thread-safe.
 */
public interface FailureStore {

  /**
   * Records a failure.
   *
   * @param failure the failure; its {@link TaskFailure#id()} is ignored
   * @return the recorded failure, with the id assigned by the store
   * @throws StoreException if the store cannot be reached or refuses the write
   */
  TaskFailure record(TaskFailure failure);

  /**
   * Lists the most recent failures, newest first.
   *
   * @param limit the maximum number of failures to return, at least 1
   * @return at most {@code limit} failures ordered by {@link TaskFailure#failedAt()} descending
   * @throws IllegalArgumentException if {@code limit} is less than 1
   * @throws StoreException if the store cannot be reached
   */
  List<TaskFailure> recent(int limit);

  /**
   * Browses the failures page by page, newest first. Failures recorded while browsing may or may
   * not appear; none is returned twice.
   *
   * @param limit the maximum number of failures on the page, at least 1
   * @param cursor {@code null} for the first page, otherwise {@link FailurePage#nextCursor()} of
   *     the previous page
   * @return the page
   * @throws IllegalArgumentException if {@code limit} is less than 1, or {@code cursor} was not
   *     produced by this store
   * @throws StoreException if the store cannot be reached
   */
  FailurePage page(int limit, String cursor);

  /**
   * Browses the failures that match a filter, page by page, newest first, with the guarantees of
   * {@link #page(int, String)}. A page may hold fewer than {@code limit} failures even when more
   * follow. The default scans the pages of {@link #page(int, String)}, which suits a store of
   * failures (few, and browsed by people); a store may answer it more directly.
   *
   * @param limit the maximum number of failures on the page, at least 1
   * @param cursor {@code null} for the first page, otherwise {@link FailurePage#nextCursor()} of
   *     the previous page with the same filter
   * @param filter which failures to return
   * @return the page
   * @throws IllegalArgumentException if {@code limit} is less than 1, or {@code cursor} was not
   *     produced by this store
   * @throws StoreException if the store cannot be reached
   */
  default FailurePage page(int limit, String cursor, Predicate<TaskFailure> filter) {
    List<TaskFailure> matching = new ArrayList<>();
    String next = cursor;
    do {
      // Asking for exactly what is missing keeps the underlying cursor exact: every failure of
      // each underlying page has been looked at when its cursor is handed on.
      FailurePage page = page(limit - matching.size(), next);
      page.failures().stream().filter(filter).forEach(matching::add);
      next = page.nextCursor().orElse(null);
      if (page.failures().isEmpty()) {
        next = null;
      }
    } while (next != null && matching.size() < limit);
    return new FailurePage(matching, Optional.ofNullable(next));
  }

  /**
   * Marks a failure as re-deferred as a new task; a later re-deferral replaces the mark.
   *
   * @param id an id returned by {@link #record(TaskFailure)}
   * @param taskName the new task's name
   * @param at when it was re-deferred
   * @return the updated failure, or empty if none has that id (any more)
   * @throws StoreException if the store cannot be reached
   * @throws UnsupportedOperationException if the store cannot keep the mark
   */
  default Optional<TaskFailure> markRedeferred(String id, String taskName, Instant at) {
    throw new UnsupportedOperationException(
        getClass().getName() + " cannot mark a failure as re-deferred");
  }

  /**
   * Finds one failure by the id the store assigned.
   *
   * @param id an id returned by {@link #record(TaskFailure)}
   * @return the failure, or empty if none has that id
   */
  Optional<TaskFailure> find(String id);

  /**
   * Removes one failure, e.g. after an operator re-created the task. Removing an unknown id is not
   * an error.
   *
   * @param id an id returned by {@link #record(TaskFailure)}
   */
  void delete(String id);
}
