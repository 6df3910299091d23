package dev.deferred.impl.transaction;

import static org.assertj.core.api.Assertions.assertThat;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import jakarta.enterprise.inject.spi.BeanManager;
import jakarta.inject.Inject;
import jakarta.transaction.Status;
import jakarta.transaction.TransactionManager;
import jakarta.transaction.UserTransaction;
import org.jboss.weld.junit5.auto.AddBeanClasses;
import org.jboss.weld.junit5.auto.EnableAutoWeld;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * On a server that offers JTA only as the {@code UserTransaction} bean (no transaction manager
 * bean, no synchronization registry bean, as on Open Liberty): the transactions are begun and ended
 * through it, and whether one is active is asked of it.
 */
@EnableAutoWeld
@AddBeanClasses(JtaTransactionsOnUserTransactionTest.UserTransactionOnly.class)
class JtaTransactionsOnUserTransactionTest {

  /** The platform's user transaction, and nothing else of JTA, as a bean. */
  @ApplicationScoped
  static class UserTransactionOnly {
    @Produces
    UserTransaction userTransaction() {
      return com.arjuna.ats.jta.UserTransaction.userTransaction();
    }
  }

  @Inject BeanManager beanManager;

  /** Only to check what happened: the test's own view of the same transactions. */
  private final TransactionManager tm = com.arjuna.ats.jta.TransactionManager.transactionManager();

  @AfterEach
  void noTransactionLeftOnTheThread() throws Exception {
    int status = tm.getStatus();
    if (status != Status.STATUS_NO_TRANSACTION) {
      tm.rollback();
    }
    assertThat(status).as("a test left a transaction open").isEqualTo(Status.STATUS_NO_TRANSACTION);
  }

  @Test
  void aTransactionIsBegunAndCommittedThroughTheUserTransaction() throws Exception {
    JtaTransactions transactions = new JtaTransactions(beanManager);

    JtaTransactions.Begun begun = transactions.beginIfNone();

    assertThat(begun).isNotNull();
    assertThat(tm.getStatus()).isEqualTo(Status.STATUS_ACTIVE);
    assertThat(transactions.active()).isTrue();
    assertThat(transactions.beginIfNone()).isNull();
    assertThat(begun.end()).isTrue();
    assertThat(tm.getStatus()).isEqualTo(Status.STATUS_NO_TRANSACTION);
    assertThat(transactions.active()).isFalse();
  }

  @Test
  void aMarkedTransactionIsRolledBackThroughTheUserTransaction() throws Exception {
    JtaTransactions transactions = new JtaTransactions(beanManager);
    JtaTransactions.Begun begun = transactions.beginIfNone();
    tm.setRollbackOnly();

    assertThat(transactions.active()).isTrue();
    assertThat(begun.end()).isFalse();
    assertThat(tm.getStatus()).isEqualTo(Status.STATUS_NO_TRANSACTION);
  }
}
