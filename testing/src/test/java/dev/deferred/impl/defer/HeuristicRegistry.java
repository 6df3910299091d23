package dev.deferred.impl.defer;

import com.arjuna.ats.internal.jta.transaction.arjunacore.TransactionSynchronizationRegistryImple;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Alternative;
import jakarta.transaction.Status;
import jakarta.transaction.Synchronization;
import jakarta.transaction.TransactionSynchronizationRegistry;

/**
 * Narayana's registry, reporting {@code STATUS_UNKNOWN} to interposed synchronizations when asked:
 * what a transaction manager that passes on a heuristic outcome reports (Narayana itself reports
 * such a commit as committed).
 */
@Alternative
@Priority(2000)
@ApplicationScoped
public class HeuristicRegistry implements TransactionSynchronizationRegistry {
  static volatile boolean reportUnknown;

  private final TransactionSynchronizationRegistry delegate =
      new TransactionSynchronizationRegistryImple();

  @Override
  public Object getTransactionKey() {
    return delegate.getTransactionKey();
  }

  @Override
  public void putResource(Object key, Object value) {
    delegate.putResource(key, value);
  }

  @Override
  public Object getResource(Object key) {
    return delegate.getResource(key);
  }

  @Override
  public void registerInterposedSynchronization(Synchronization sync) {
    delegate.registerInterposedSynchronization(
        new Synchronization() {
          @Override
          public void beforeCompletion() {
            sync.beforeCompletion();
          }

          @Override
          public void afterCompletion(int status) {
            sync.afterCompletion(reportUnknown ? Status.STATUS_UNKNOWN : status);
          }
        });
  }

  @Override
  public int getTransactionStatus() {
    return delegate.getTransactionStatus();
  }

  @Override
  public void setRollbackOnly() {
    delegate.setRollbackOnly();
  }

  @Override
  public boolean getRollbackOnly() {
    return delegate.getRollbackOnly();
  }
}
