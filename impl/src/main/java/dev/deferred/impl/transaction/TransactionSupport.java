package dev.deferred.impl.transaction;

/**
 * The JTA view the defer path needs: is a transaction active, and run something after it ends.
 * {@link #NONE} is used when JTA is not on the class path, so that nothing here loads {@code
 * jakarta.transaction} classes in an application without it.
 */
public interface TransactionSupport {

  TransactionSupport NONE =
      new TransactionSupport() {
        @Override
        public boolean isActive() {
          return false;
        }

        @Override
        public void afterCompletion(Runnable onCommit, Runnable onRollback) {
          throw new IllegalStateException("No JTA transaction manager");
        }
      };

  /** Whether a JTA transaction is active on this thread (and may still commit). */
  boolean isActive();

  /**
   * Registers callbacks for the end of the active transaction: {@code onCommit} after a commit,
   * {@code onRollback} otherwise. Each runs at most once, after the transaction's resources have
   * completed, on the thread that ended the transaction; an exception they throw is theirs to log.
   */
  void afterCompletion(Runnable onCommit, Runnable onRollback);
}
