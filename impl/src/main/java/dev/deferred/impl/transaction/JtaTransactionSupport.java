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

  private final Supplier<TransactionSynchronizationRegistry> registry;

  /**
   * @param registry supplies the registry, or {@code null} when the platform has none
   */
  public JtaTransactionSupport(Supplier<TransactionSynchronizationRegistry> registry) {
    this.registry = registry;
  }

  @Override
  public boolean isActive() {
    TransactionSynchronizationRegistry r = registry.get();
    if (r == null) {
      return false;
    }
    int status = r.getTransactionStatus();
    return status == Status.STATUS_ACTIVE || status == Status.STATUS_MARKED_ROLLBACK;
  }

  @Override
  public void afterCompletion(Runnable onCommit, Runnable onRollback) {
    registry
        .get()
        .registerInterposedSynchronization(
            new Synchronization() {
              @Override
              public void beforeCompletion() {
                // Nothing to do before: the task must only exist if the commit succeeds.
              }

              @Override
              public void afterCompletion(int status) {
                try {
                  if (status == Status.STATUS_COMMITTED) {
                    onCommit.run();
                  } else {
                    onRollback.run();
                  }
                } catch (RuntimeException e) {
                  // Never let it reach the transaction manager: the outcome is already decided.
                  LOG.log(Level.SEVERE, "Deferred's after-completion callback failed", e);
                }
              }
            });
  }
}
