package dev.deferred.impl.transaction;

/**
 * The JTA view the defer path needs: where the transaction of this thread stands, and run something
 * after it ends. {@link #NONE} is used when JTA is not on the class path, so that nothing here
 * loads {@code jakarta.transaction} classes in an application without it.
 */
public interface TransactionSupport {

  /** Where the transaction of the calling thread stands, as far as a defer is concerned. */
  enum State {
    /** No transaction, or one that ended in a rollback or with an unknown outcome. */
    NONE,
    /**
     * Active, or completing (preparing, prepared, committing): a defer waits for the outcome, if
     * the transaction still takes a synchronization.
     */
    OPEN,
    /** Marked rollback-only or rolling back: it can only roll back. */
    DOOMED,
    /** Committed; the thread is in a completion callback of that transaction. */
    COMMITTED
  }

  /** What to run when the transaction ends, by outcome. */
  interface Outcome {
    /** The transaction committed. */
    void committed();

    /** The transaction rolled back. */
    void rolledBack();

    /**
     * The transaction manager reported an unknown outcome (a heuristic decision): some resources
     * may have committed.
     *
     * @param status the JTA status reported
     */
    void unknown(int status);
  }

  TransactionSupport NONE =
      new TransactionSupport() {
        @Override
        public State state() {
          return State.NONE;
        }

        @Override
        public void afterCompletion(Outcome outcome) {
          throw new IllegalStateException("No JTA transaction manager");
        }
      };

  /** Where the transaction of this thread stands. */
  State state();

  /**
   * Registers callbacks for the end of the transaction of this thread. Each runs at most once,
   * after the transaction's resources have completed, on the thread that ended the transaction; an
   * exception they throw is logged and goes no further.
   *
   * @throws IllegalStateException if the transaction takes no more synchronizations, with the
   *     transaction manager's reason
   */
  void afterCompletion(Outcome outcome);
}
