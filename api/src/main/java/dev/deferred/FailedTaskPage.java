package dev.deferred;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * One page of {@link FailedTasks#list(FailedTaskFilter, int, String) failed tasks}, newest first.
 *
 * @param tasks the tasks of this page, newest first; unmodifiable
 * @param nextCursor the cursor of the next page; empty when this page is the last (a page with a
 *     cursor may also be followed by an empty last page)
 */
public record FailedTaskPage(List<FailedTask> tasks, Optional<String> nextCursor) {

  /**
   * A page.
   *
   * @param tasks the tasks, copied
   * @param nextCursor the cursor of the next page, or empty
   */
  public FailedTaskPage {
    tasks = List.copyOf(tasks);
    Objects.requireNonNull(nextCursor, "nextCursor");
  }
}
