package dev.deferred;

import java.util.Optional;
import java.util.concurrent.CompletionStage;

/**
 * The result of deferring a call: which queue, and once known, which task.
 *
 * <p>An immediate defer returns a task that is already {@link State#ENQUEUED} (or {@link
 * State#DUPLICATE}). A transactional defer returns a task that is {@link State#PENDING} until the
 * transaction ends: its name is only known after the commit, and {@link #completion()} completes
 * then. Implementations are thread-safe.
 *
 * <pre>{@code
 * DeferredTask task = deferrer.defer(Mailer.class, m -> m.send(to, template));
 * task.completion().thenAccept(t -> log.info("queued as " + t.name().orElseThrow()));
 * }</pre>
 */
public interface DeferredTask {

  /** Where a deferred task stands. */
  enum State {
    /** Transactional: waiting for the transaction to commit. */
    PENDING,
    /** Created in Cloud Tasks. */
    ENQUEUED,
    /** Not created: a task with the same name exists or existed recently. */
    DUPLICATE,
    /**
     * Transactional: the transaction rolled back, or was marked rollback-only when the call was
     * made; nothing was enqueued.
     */
    DROPPED,
    /**
     * Transactional: the transaction committed but the task could not be created (Cloud Tasks
     * refused it or could not be reached, or the application was shutting down), or the transaction
     * ended with an unknown outcome; the failure was logged with everything needed to re-create the
     * task.
     */
    FAILED
  }

  /**
   * The queue id.
   *
   * @return the queue id
   */
  String queue();

  /**
   * The current state.
   *
   * @return the state
   */
  State state();

  /**
   * The short task id, once known: at once for an immediate defer, after commit for a transactional
   * one. For a duplicate, the name that was refused.
   *
   * @return the task id
   */
  Optional<String> name();

  /**
   * Whether the task was not created because its name was taken.
   *
   * @return {@code true} in state {@link State#DUPLICATE}
   */
  default boolean isDuplicate() {
    return state() == State.DUPLICATE;
  }

  /**
   * Completes with this task when it leaves {@link State#PENDING}: normally in states {@link
   * State#ENQUEUED} and {@link State#DUPLICATE}, exceptionally with an {@link EnqueueException} in
   * state {@link State#FAILED} and with a {@link java.util.concurrent.CancellationException} in
   * state {@link State#DROPPED}.
   *
   * @return a stage completed when the outcome is known
   */
  CompletionStage<DeferredTask> completion();
}
