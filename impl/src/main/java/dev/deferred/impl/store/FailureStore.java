package dev.deferred.impl.store;

import java.util.List;
import java.util.Optional;

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
