package dev.deferred.impl.handler;

import jakarta.enterprise.inject.spi.Bean;
import jakarta.enterprise.inject.spi.BeanManager;
import jakarta.transaction.Status;
import jakarta.transaction.SystemException;
import jakarta.transaction.TransactionManager;
import jakarta.transaction.UserTransaction;
import java.lang.annotation.Annotation;
import java.lang.reflect.Method;
import java.util.Set;

/**
 * The transaction a task runs in when its method is {@code @Transactional} with {@code
 * TxType.REQUIRED} (the default): the handler begins it before loading the task's entity arguments,
 * so that they are managed by the persistence context the method's own interceptor then joins, and
 * ends it after the method returned. Changes the method makes to its entity arguments are written
 * at commit, as they would be for entities it loaded itself.
 *
 * <p>It ends the way the method's interceptor would have ended a transaction of its own: rolled
 * back if marked rollback-only (the interceptor marks it for the exceptions its {@code rollbackOn}
 * and {@code dontRollbackOn} rules select) or if loading the arguments failed, committed otherwise.
 * A failed commit is a failed attempt, so the task is retried.
 *
 * <p>Only loaded when JTA is on the class path: {@link #isRequired} reads the annotation by name.
 */
final class TaskTransaction {
  private static final String TRANSACTIONAL = "jakarta.transaction.Transactional";

  private final Control control;

  private TaskTransaction(Control control) {
    this.control = control;
  }

  /**
   * Whether {@code method} of {@code beanClass} runs in a transaction that joins one already
   * active: {@code @Transactional} with {@code REQUIRED}, on the method or else on the class.
   */
  static boolean isRequired(Class<?> beanClass, Method method) {
    Annotation found = null;
    try {
      found = transactional(beanClass.getMethod(method.getName(), method.getParameterTypes()));
    } catch (NoSuchMethodException e) {
      // not public on the bean class: only the declared method can carry it
    }
    if (found == null) {
      found = transactional(method);
    }
    for (Class<?> c = beanClass; found == null && c != null && c != Object.class; ) {
      found = transactional(c.getDeclaredAnnotations());
      c = c.getSuperclass();
    }
    if (found == null) {
      return false;
    }
    try {
      Object type = found.annotationType().getMethod("value").invoke(found);
      return "REQUIRED".equals(String.valueOf(type));
    } catch (ReflectiveOperationException e) {
      return false;
    }
  }

  private static Annotation transactional(Method m) {
    return transactional(m.getAnnotations());
  }

  private static Annotation transactional(Annotation[] annotations) {
    for (Annotation a : annotations) {
      if (a.annotationType().getName().equals(TRANSACTIONAL)) {
        return a;
      }
    }
    return null;
  }

  /**
   * Begins a transaction through the platform's transaction manager (a CDI bean, as Narayana's
   * extension provides) or user transaction (a CDI bean or {@code java:comp/UserTransaction}, as
   * every Jakarta EE server provides).
   *
   * @return the transaction, or {@code null} if the platform offers neither, or a transaction is
   *     already active on this thread
   */
  static TaskTransaction begin(BeanManager beanManager) throws Exception {
    Control control = control(beanManager);
    if (control == null || control.status() != Status.STATUS_NO_TRANSACTION) {
      return null;
    }
    control.begin();
    return new TaskTransaction(control);
  }

  /** Commits, or rolls back if the transaction was marked rollback-only. */
  void end() throws Exception {
    if (control.status() == Status.STATUS_ACTIVE) {
      control.commit();
    } else {
      control.rollback();
    }
  }

  /** Rolls back, after a failure that happened before the method could decide. */
  void rollback() {
    try {
      control.rollback();
    } catch (Exception e) {
      // The failure that led here is what the task reports.
    }
  }

  /** Ends it after the method threw: what its interceptor would have done with its own. */
  void endAfterFailure(Throwable failure) {
    try {
      end();
    } catch (Exception e) {
      failure.addSuppressed(e);
    }
  }

  private interface Control {
    int status() throws SystemException;

    void begin() throws Exception;

    void commit() throws Exception;

    void rollback() throws Exception;
  }

  private static Control control(BeanManager beanManager) {
    TransactionManager tm = bean(beanManager, TransactionManager.class);
    if (tm != null) {
      return new Control() {
        @Override
        public int status() throws SystemException {
          return tm.getStatus();
        }

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
      };
    }
    UserTransaction ut = bean(beanManager, UserTransaction.class);
    if (ut == null) {
      try {
        ut =
            (UserTransaction) new javax.naming.InitialContext().lookup("java:comp/UserTransaction");
      } catch (javax.naming.NamingException | RuntimeException e) {
        return null;
      }
    }
    UserTransaction user = ut;
    return new Control() {
      @Override
      public int status() throws SystemException {
        return user.getStatus();
      }

      @Override
      public void begin() throws Exception {
        user.begin();
      }

      @Override
      public void commit() throws Exception {
        user.commit();
      }

      @Override
      public void rollback() throws Exception {
        user.rollback();
      }
    };
  }

  private static <T> T bean(BeanManager beanManager, Class<T> type) {
    Set<Bean<?>> beans = beanManager.getBeans(type);
    if (beans.isEmpty()) {
      return null;
    }
    try {
      Bean<?> bean = beanManager.resolve(beans);
      return type.cast(
          beanManager.getReference(bean, type, beanManager.createCreationalContext(bean)));
    } catch (RuntimeException e) {
      return null;
    }
  }
}
