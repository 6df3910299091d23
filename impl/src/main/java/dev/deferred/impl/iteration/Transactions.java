package dev.deferred.impl.iteration;

import jakarta.enterprise.inject.spi.Bean;
import jakarta.enterprise.inject.spi.BeanManager;
import jakarta.transaction.Status;
import jakarta.transaction.TransactionManager;
import jakarta.transaction.TransactionSynchronizationRegistry;
import jakarta.transaction.UserTransaction;
import java.util.Set;
import java.util.concurrent.Callable;

/**
 * Programmatic JTA for the iteration engine: the transaction manager or user transaction as a CDI
 * bean (Narayana's extension, Jakarta EE's built-in {@code UserTransaction} bean), else the user
 * transaction at its standard JNDI name. Looked up per use: cheap, and a server that binds it late
 * is still found.
 */
final class Transactions {

  /** The three operations the engine needs, from either API. */
  private interface Tx {
    void begin() throws Exception;

    void commit() throws Exception;

    void rollback() throws Exception;

    int status() throws Exception;
  }

  private final BeanManager beanManager;
  // Found once: CDI client proxies and JNDI objects of the server stay valid for its lifetime.
  private volatile TransactionSynchronizationRegistry registry;
  private volatile Tx cached;

  Transactions(BeanManager beanManager) {
    this.beanManager = beanManager;
  }

  /**
   * Whether a JTA transaction is active on this thread. Asked of the synchronization registry,
   * which may be asked anywhere: a server forbids {@code UserTransaction} inside a
   * container-managed ({@code @Transactional}) method.
   */
  boolean active() throws Exception {
    TransactionSynchronizationRegistry registry = this.registry;
    if (registry == null) {
      registry = bean(TransactionSynchronizationRegistry.class);
    }
    if (registry == null) {
      try {
        registry =
            (TransactionSynchronizationRegistry)
                new javax.naming.InitialContext()
                    .lookup("java:comp/TransactionSynchronizationRegistry");
      } catch (javax.naming.NamingException | RuntimeException e) {
        registry = null;
      }
    }
    this.registry = registry;
    int status = registry != null ? registry.getTransactionStatus() : tx().status();
    return status == Status.STATUS_ACTIVE || status == Status.STATUS_MARKED_ROLLBACK;
  }

  /**
   * Runs the work in the active transaction, or in a new one committed when it returns and rolled
   * back when it throws.
   */
  <T> T required(Callable<T> work) throws Exception {
    if (active()) {
      return work.call();
    }
    return inNew(tx(), work);
  }

  /** Runs the work in a new transaction; none may be active. */
  <T> T inNew(Callable<T> work) throws Exception {
    return inNew(tx(), work);
  }

  private static <T> T inNew(Tx tx, Callable<T> work) throws Exception {
    tx.begin();
    T result;
    try {
      result = work.call();
    } catch (Throwable e) {
      try {
        tx.rollback();
      } catch (Exception rollback) {
        e.addSuppressed(rollback);
      }
      throw e;
    }
    if (tx.status() == Status.STATUS_MARKED_ROLLBACK) {
      tx.rollback();
      throw new IllegalStateException(IterationMessages.markedRollback());
    }
    tx.commit();
    return result;
  }

  private Tx tx() {
    Tx tx = cached;
    if (tx == null) {
      tx = find();
      cached = tx;
    }
    return tx;
  }

  private Tx find() {
    TransactionManager tm = bean(TransactionManager.class);
    if (tm != null) {
      return new Tx() {
        @Override
        public void begin() throws Exception {
          tm.begin();
        }

        @Override
        public void commit() throws Exception {
          tm.commit();
        }

        @Override
        public void rollback() throws Exception {
          tm.rollback();
        }

        @Override
        public int status() throws Exception {
          return tm.getStatus();
        }
      };
    }
    UserTransaction ut = bean(UserTransaction.class);
    if (ut == null) {
      try {
        ut =
            (UserTransaction) new javax.naming.InitialContext().lookup("java:comp/UserTransaction");
      } catch (javax.naming.NamingException | RuntimeException e) {
        throw new IllegalStateException(IterationMessages.noTransactions(e.toString()), e);
      }
    }
    UserTransaction u = ut;
    return new Tx() {
      @Override
      public void begin() throws Exception {
        u.begin();
      }

      @Override
      public void commit() throws Exception {
        u.commit();
      }

      @Override
      public void rollback() throws Exception {
        u.rollback();
      }

      @Override
      public int status() throws Exception {
        return u.getStatus();
      }
    };
  }

  private <T> T bean(Class<T> type) {
    Set<Bean<?>> beans = beanManager.getBeans(type);
    if (beans.isEmpty()) {
      return null;
    }
    Bean<?> bean = beanManager.resolve(beans);
    if (bean == null) {
      return null;
    }
    return type.cast(
        beanManager.getReference(bean, type, beanManager.createCreationalContext(bean)));
  }
}
