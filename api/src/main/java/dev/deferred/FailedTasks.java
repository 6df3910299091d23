package dev.deferred;

import java.util.NoSuchElementException;
import java.util.Optional;

/**
 * The tasks that failed for good, for an operator to inspect, re-run or forget.
 *
 * <p>A task fails for good when it throws {@link PermanentTaskFailure}, exhausts its {@link
 * DeferOptions#maxAttempts(int) maxAttempts} or {@link DeferOptions#maxAge(java.time.Duration)
 * maxAge}, names code this deployment does not have for too many attempts, or carries a payload
 * that can never be read. Cloud Tasks forgets such a task once the handler acknowledged it; the
 * library keeps a record of it in the failure store (in memory in embedded mode, in Datastore
 * otherwise, shared by every instance of the application).
 *
 * <p>Inject it anywhere ({@code @Inject FailedTasks failedTasks;}); it is an application-scoped,
 * thread-safe bean. It is the application's to expose: nothing in the library serves it over HTTP,
 * so it is authorised like any other call of the application's own code, typically from an admin
 * endpoint behind a role:
 *
 * <pre>{@code
 * @Path("/admin/failed-tasks")
 * @RolesAllowed("operator")
 * public class FailedTaskResource {
 *   @Inject FailedTasks failedTasks;
 *
 *   @GET
 *   public FailedTaskPage list(@QueryParam("queue") String queue,
 *                              @QueryParam("cursor") String cursor) {
 *     FailedTaskFilter filter = queue == null ? FailedTaskFilter.all() : FailedTaskFilter.all().queue(queue);
 *     return failedTasks.list(filter, 50, cursor);
 *   }
 *
 *   @POST
 *   @Path("{id}/redefer")
 *   public String redefer(@PathParam("id") String id) {
 *     return failedTasks.redefer(id).name().orElse("pending");
 *   }
 * }
 * }</pre>
 *
 * <h2>Re-deferring</h2>
 *
 * {@link #redefer(String)} sends the recorded call again, as a new task on the same queue, through
 * the same path as {@link Deferrer#defer(Class, DeferredCall, DeferOptions)}: the payload is signed
 * again, stored again if it is large, and enqueued now or, inside a JTA transaction, after it
 * commits. Only a payload whose record signature verifies with the application's signing keys is
 * sent again, so a record altered in the store is refused rather than run. The failure record stays
 * (marked with the new task's name) until it is deleted.
 */
public interface FailedTasks {

  /**
   * Lists failed tasks, newest first, one page at a time. Tasks that fail while paging may or may
   * not appear; none appears twice.
   *
   * @param filter which failures to list; {@link FailedTaskFilter#all()} for every one
   * @param pageSize the largest number of tasks on the page, 1 to 1000; a page may hold fewer even
   *     when more follow
   * @param cursor {@code null} for the first page, then {@link FailedTaskPage#nextCursor()} of the
   *     previous page, used with the same filter
   * @return the page
   * @throws IllegalArgumentException if {@code pageSize} is out of range or {@code cursor} was not
   *     returned by this method
   * @throws IllegalStateException if the failure store cannot be reached
   */
  FailedTaskPage list(FailedTaskFilter filter, int pageSize, String cursor);

  /**
   * Lists the first page of failed tasks, newest first.
   *
   * @param filter which failures to list
   * @param pageSize the largest number of tasks on the page, 1 to 1000
   * @return the page
   * @throws IllegalArgumentException if {@code pageSize} is out of range
   * @throws IllegalStateException if the failure store cannot be reached
   */
  default FailedTaskPage list(FailedTaskFilter filter, int pageSize) {
    return list(filter, pageSize, null);
  }

  /**
   * Reads one failed task.
   *
   * @param id the {@link FailedTask#id()} of a listed task
   * @return the task, or empty if no failure has that id (any more)
   * @throws IllegalStateException if the failure store cannot be reached
   */
  Optional<FailedTask> find(String id);

  /**
   * Defers the recorded call again as a new task, on the same queue and with the options it was
   * deferred with ({@code qualifiers}, {@code maxAttempts}, {@code maxAge} counted from now,
   * per-call HTTP headers, App Engine routing, handler URL, dispatch deadline), and marks the
   * record as re-deferred with the new task's name (for a transactional defer, once the transaction
   * commits). The new task has an automatic name and is scheduled now (not after the original's
   * countdown or eta). A payload written without delivery options (by an earlier build of the
   * library) gets the queue's defaults for them.
   *
   * @param id the {@link FailedTask#id()} of a listed task
   * @return the new task
   * @throws NoSuchElementException if no failure has that id
   * @throws IllegalStateException if the record's payload is missing, unreadable, or its signature
   *     does not verify with the application's signing keys, or the failure store cannot be reached
   * @throws EnqueueException if Cloud Tasks refused the new task or could not be reached
   * @throws IllegalArgumentException if the queue is no longer configured
   */
  DeferredTask redefer(String id);

  /**
   * Deletes one failure record.
   *
   * @param id the {@link FailedTask#id()} of a listed task
   * @return {@code true} if it existed
   * @throws IllegalStateException if the failure store cannot be reached
   */
  boolean delete(String id);

  /**
   * Deletes every failure record the filter matches.
   *
   * @param filter which failures to delete; {@link FailedTaskFilter#all()} for every one
   * @return how many were deleted
   * @throws IllegalStateException if the failure store cannot be reached; records deleted before
   *     that stay deleted
   */
  int deleteAll(FailedTaskFilter filter);
}
