package dev.deferred.testing;

/**
 * What {@link TaskQueues#process} does when a task fails: it answered other than 2xx (an exception,
 * {@code SingularTaskFailure}, unknown code), or it was acknowledged but recorded as failed ({@code
 * PermanentTaskFailure}, a limit reached, an unreadable payload).
 *
 * <ul>
 *   <li>{@link #RAISE} (the default): stop and throw {@link TaskFailedError}, whose cause is the
 *       exception the task threw. A task that answered an error stays queued, as Cloud Tasks would
 *       retry it; one the handler acknowledged (a permanent failure) is gone.
 *   <li>{@link #retry(int)}: run the failed task again at once, up to that many attempts in all,
 *       then throw {@link TaskFailedError}; for tasks that succeed on a later attempt.
 *   <li>{@link #IGNORE}: delete the failed task from its queue and go on with the others.
 * </ul>
 *
 * Immutable and thread-safe.
 */
public final class FailureBehaviour {

  /** Stop at the first failure and throw {@link TaskFailedError}. */
  public static final FailureBehaviour RAISE = new FailureBehaviour(Kind.RAISE, 1);

  /** Delete a failed task and carry on. */
  public static final FailureBehaviour IGNORE = new FailureBehaviour(Kind.IGNORE, 1);

  enum Kind {
    RAISE,
    RETRY,
    IGNORE
  }

  private final Kind kind;
  private final int attempts;

  private FailureBehaviour(Kind kind, int attempts) {
    this.kind = kind;
    this.attempts = attempts;
  }

  /**
   * Runs a failed task again at once, up to {@code attempts} attempts in all (counting the first),
   * then throws {@link TaskFailedError} for its last failure. A task the handler acknowledged (a
   * permanent failure) cannot run again and throws at once.
   *
   * @param attempts at least 2
   * @return the behaviour
   * @throws IllegalArgumentException if {@code attempts} is less than 2
   */
  public static FailureBehaviour retry(int attempts) {
    if (attempts < 2) {
      throw new IllegalArgumentException(
          "retry(" + attempts + ") allows no retry: give at least 2 attempts, or use RAISE");
    }
    return new FailureBehaviour(Kind.RETRY, attempts);
  }

  Kind kind() {
    return kind;
  }

  /**
   * The attempts a task gets in one processing run.
   *
   * @return 1 for {@link #RAISE} and {@link #IGNORE}, the given number for {@link #retry(int)}
   */
  public int attempts() {
    return attempts;
  }

  @Override
  public String toString() {
    return kind == Kind.RETRY ? "retry(" + attempts + ")" : kind.name();
  }
}
