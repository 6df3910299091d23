package dev.deferred.impl.transaction;

import jakarta.enterprise.inject.spi.Bean;
import jakarta.enterprise.inject.spi.BeanManager;
import jakarta.transaction.Status;
import jakarta.transaction.TransactionManager;
import jakarta.transaction.TransactionSynchronizationRegistry;
import jakarta.transaction.UserTransaction;
import java.util.Set;
import java.util.concurrent.Callable;

/**
 * Programmatic JTA around a call: begin, then commit or roll back. The transactions come from the
 * platform's transaction manager as a CDI bean (Narayana's extension), else its user transaction (a
 * CDI bean, Jakarta EE's built-in one, or {@code java:comp/UserTransaction}, which every Jakarta EE
 * server binds). Both the task handler (a {@code @Transactional} task method's transaction, begun
 * before its entity arguments are loaded) and the iteration engine (each callback's transaction)
 * use it.
 *
 * <p>The transaction manager or user transaction is looked up on first use and kept once found: CDI
 * client proxies and a server's JNDI objects stay valid for the application's lifetime, and a
 * server that binds them late is still found. Thread-safe.
 *
 * <p>Only loaded when JTA is on the class path: its signatures use JDK types only, so a caller
 * guards its use, not its declarations.
 */
public final class JtaTransactions {

  /** One operation of either API. */
  @FunctionalInterface
  private interface Operation {
    void run() throws Exception;
  }

  /** Reads the status, from either API. */
  @FunctionalInterface
  private interface StatusReader {
    int status() throws Exception;
  }

  /** The operations needed, from either API. */
  private record Control(
      Operation begin, Operation commit, Operation rollback, StatusReader statusReader) {
    int status() throws Exception {
      return statusReader.status();
    }
  }

  private final BeanManager beanManager;
  private volatile TransactionSynchronizationRegistry registry;
  private volatile Control control;

  /**
   * @param beanManager where the transaction beans are looked up
   */
  public JtaTransactions(BeanManager beanManager) {
    this.beanManager = beanManager;
  }

  /** A transaction this class began; end it exactly once. */
  public static final class Begun {
    private final Control tx;

    private Begun(Control tx) {
      this.tx = tx;
    }

    /**
     * Commits, or rolls back if the transaction was marked rollback-only: what a
     * {@code @Transactional} interceptor does with a transaction of its own when the method ends.
     *
     * @return whether it committed
     * @throws Exception if the commit or rollback fails (a failed commit is a failed call)
     */
    public boolean end() throws Exception {
      if (tx.status() == Status.STATUS_ACTIVE) {
        tx.commit().run();
        return true;
      }
      tx.rollback().run();
      return false;
    }

    /** Rolls back, after a failure that happened before the call could decide. */
    public void rollback() {
      try {
        tx.rollback().run();
      } catch (Exception e) {
        // The failure that led here is what the caller reports.
      }
    }

    /** Ends it after the call threw, as {@link #end()}; a failure to end is added to it. */
    public void endAfterFailure(Throwable failure) {
      try {
        end();
      } catch (Exception e) {
        failure.addSuppressed(e);
      }
    }
  }

  /**
   * Begins a transaction, unless the platform offers none or one is already active on this thread.
   *
   * @return the transaction begun, or {@code null}
   * @throws Exception if the transaction manager fails to begin one
   */
  public Begun beginIfNone() throws Exception {
    Control tx = control();
    if (tx == null || tx.status() != Status.STATUS_NO_TRANSACTION) {
      return null;
    }
    tx.begin().run();
    return new Begun(tx);
  }

  /**
   * Whether a JTA transaction is active (or marked rollback-only) on this thread. Asked of the
   * synchronization registry where there is one, which may be asked anywhere: a server forbids
   * {@code UserTransaction} inside a container-managed ({@code @Transactional}) method.
   *
   * @throws IllegalStateException if the platform offers no JTA at all ({@code DEFERRED-5013})
   */
  public boolean active() throws Exception {
    TransactionSynchronizationRegistry r = registry();
    int status = r != null ? r.getTransactionStatus() : required().status();
    return status == Status.STATUS_ACTIVE || status == Status.STATUS_MARKED_ROLLBACK;
  }

  /**
   * Runs the work in the transaction active on this thread, or in a new one, as {@link #inNew}.
   *
   * @throws IllegalStateException if the platform offers no JTA ({@code DEFERRED-5013})
   * @throws Exception what the work or the commit throws
   */
  public <T> T required(Callable<T> work) throws Exception {
    if (active()) {
      return work.call();
    }
    return inNew(work);
  }

  /**
   * Runs the work in a new transaction, committed when it returns and rolled back when it throws;
   * none may be active on this thread.
   *
   * @throws IllegalStateException if the platform offers no JTA ({@code DEFERRED-5013}), or the
   *     work returned but marked the transaction rollback-only ({@code DEFERRED-5014}): it was
   *     rolled back
   * @throws Exception what the work or the commit throws
   */
  public <T> T inNew(Callable<T> work) throws Exception {
    Control tx = required();
    tx.begin().run();
    Begun begun = new Begun(tx);
    T result;
    try {
      result = work.call();
    } catch (Throwable e) {
      begun.endAfterFailure(e);
      throw e;
    }
    if (!begun.end()) {
      throw new IllegalStateException(markedRollback());
    }
    return result;
  }

  static String noTransactions(String reason) {
    return ("DEFERRED-5013: Deferred needs JTA here but found neither a TransactionManager or"
            + " UserTransaction bean nor java:comp/UserTransaction (%s): run on a Jakarta EE"
            + " server, or add a transaction manager")
        .formatted(reason);
  }

  static String markedRollback() {
    return "DEFERRED-5014: the transaction Deferred began around the call was marked for rollback,"
        + " and was rolled back";
  }

  private Control required() {
    Control tx = control();
    if (tx == null) {
      throw new IllegalStateException(noTransactions(lookupFailure()));
    }
    return tx;
  }

  private String lookupFailure() {
    try {
      new javax.naming.InitialContext().lookup("java:comp/UserTransaction");
      return "java:comp/UserTransaction is not a UserTransaction";
    } catch (javax.naming.NamingException | RuntimeException e) {
      return e.toString();
    }
  }

  private TransactionSynchronizationRegistry registry() {
    TransactionSynchronizationRegistry r = registry;
    if (r == null) {
      r = bean(TransactionSynchronizationRegistry.class);
      if (r == null) {
        r =
            jndi(
                "java:comp/TransactionSynchronizationRegistry",
                TransactionSynchronizationRegistry.class);
      }
      registry = r;
    }
    return r;
  }

  private Control control() {
    Control tx = control;
    if (tx == null) {
      tx = find();
      control = tx;
    }
    return tx;
  }

  private Control find() {
    TransactionManager tm = bean(TransactionManager.class);
    if (tm != null) {
      return new Control(tm::begin, tm::commit, tm::rollback, tm::getStatus);
    }
    UserTransaction ut = bean(UserTransaction.class);
    if (ut == null) {
      ut = jndi("java:comp/UserTransaction", UserTransaction.class);
    }
    if (ut == null) {
      return null;
    }
    return new Control(ut::begin, ut::commit, ut::rollback, ut::getStatus);
  }

  private static <T> T jndi(String name, Class<T> type) {
    try {
      Object found = new javax.naming.InitialContext().lookup(name);
      return type.isInstance(found) ? type.cast(found) : null;
    } catch (javax.naming.NamingException | RuntimeException e) {
      return null;
    }
  }

  private <T> T bean(Class<T> type) {
    Set<Bean<?>> beans = beanManager.getBeans(type);
    if (beans.isEmpty()) {
      return null;
    }
    try {
      Bean<?> bean = beanManager.resolve(beans);
      if (bean == null) {
        return null;
      }
      return type.cast(
          beanManager.getReference(bean, type, beanManager.createCreationalContext(bean)));
    } catch (RuntimeException e) {
      return null;
    }
  }
}
