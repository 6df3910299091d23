package dev.deferred.impl.transaction;

import jakarta.transaction.Status;
import jakarta.transaction.Synchronization;
import jakarta.transaction.TransactionSynchronizationRegistry;
import java.util.function.Supplier;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Transactional enqueue through an interposed {@link Synchronization}: interposed synchronizations
 * run after the ones of JPA providers and connectors, so by the time {@code afterCompletion} sees
 * {@code STATUS_COMMITTED}, the data the task will read is committed.
 */
public final class JtaTransactionSupport implements TransactionSupport {
  private static final Logger LOG = Logger.getLogger(JtaTransactionSupport.class.getName());

  private final Supplier<TransactionSynchronizationRegistry> lookup;

  /**
   * The registry once found: the platform's registry is one object for the server's life, and its
   * JNDI lookup costs about a tenth of a whole defer on Open Liberty. Until one is found, every use
   * looks again, so a server that binds it late is still found.
   */
  private volatile TransactionSynchronizationRegistry found;

  /**
   * @param registry supplies the registry, or {@code null} when the platform has none
   */
  public JtaTransactionSupport(Supplier<TransactionSynchronizationRegistry> registry) {
    this.lookup = registry;
  }

  private TransactionSynchronizationRegistry registry() {
    TransactionSynchronizationRegistry r = found;
    if (r == null) {
      r = lookup.get();
      found = r;
    }
    return r;
  }

  @Override
  public State state() {
    TransactionSynchronizationRegistry r = registry();
    if (r == null) {
      return State.NONE;
    }
    return switch (r.getTransactionStatus()) {
      case Status.STATUS_ACTIVE,
          Status.STATUS_PREPARING,
          Status.STATUS_PREPARED,
          Status.STATUS_COMMITTING ->
          State.OPEN;
      case Status.STATUS_MARKED_ROLLBACK, Status.STATUS_ROLLING_BACK -> State.DOOMED;
      case Status.STATUS_COMMITTED -> State.COMMITTED;
      // NO_TRANSACTION, ROLLEDBACK (a callback after a rollback), UNKNOWN: nothing to wait for.
      default -> State.NONE;
    };
  }

  @Override
  public void afterCompletion(Outcome outcome) {
    TransactionSynchronizationRegistry r = registry();
    if (r == null) {
      throw new IllegalStateException("No TransactionSynchronizationRegistry");
    }
    try {
      r.registerInterposedSynchronization(new Callback(outcome));
    } catch (RuntimeException e) {
      // Narayana throws its own RollbackException (a RuntimeException) for a doomed transaction.
      throw e instanceof IllegalStateException ise
          ? ise
          : new IllegalStateException(e.getMessage(), e);
    }
  }

  /** The interposed synchronization: one outcome per transaction end. */
  static final class Callback implements Synchronization {
    private final Outcome outcome;

    Callback(Outcome outcome) {
      this.outcome = outcome;
    }

    @Override
    public void beforeCompletion() {
      // Nothing to do before: the task must only exist if the commit succeeds.
    }

    @Override
    public void afterCompletion(int status) {
      try {
        switch (status) {
          case Status.STATUS_COMMITTED -> outcome.committed();
          case Status.STATUS_ROLLEDBACK -> outcome.rolledBack();
          // STATUS_UNKNOWN after a heuristic decision, or a status no transaction manager should
          // report here: never treated as a rollback, which would drop the task unnoticed.
          default -> outcome.unknown(status);
        }
      } catch (RuntimeException e) {
        // Never let it reach the transaction manager: the outcome is already decided.
        LOG.log(Level.SEVERE, "Deferred's after-completion callback failed", e);
      }
    }
  }
}
