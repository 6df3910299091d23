package dev.deferred.impl.transaction;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.arjuna.ats.jta.cdi.TransactionExtension;
import jakarta.enterprise.inject.spi.BeanManager;
import jakarta.inject.Inject;
import jakarta.transaction.Status;
import jakarta.transaction.Synchronization;
import jakarta.transaction.Transaction;
import jakarta.transaction.TransactionManager;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.jboss.weld.junit5.auto.AddExtensions;
import org.jboss.weld.junit5.auto.EnableAutoWeld;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The transactions the task handler begins around a {@code @Transactional} task method (and the
 * iteration engine around each callback), on Narayana found as a CDI bean: a transaction is begun
 * only when none is active, committed when the call leaves it active, rolled back when it was
 * marked rollback-only or the call failed, and never committed twice or left open.
 */
@EnableAutoWeld
@AddExtensions(TransactionExtension.class)
class JtaTransactionsTest {

  @Inject BeanManager beanManager;
  @Inject TransactionManager tm;

  /** The outcomes seen by synchronizations registered on the transactions of a test. */
  private final List<Integer> outcomes = new CopyOnWriteArrayList<>();

  @AfterEach
  void noTransactionLeftOnTheThread() throws Exception {
    int status = tm.getStatus();
    if (status != Status.STATUS_NO_TRANSACTION) {
      tm.rollback();
    }
    assertThat(status).as("a test left a transaction open").isEqualTo(Status.STATUS_NO_TRANSACTION);
  }

  @Test
  void beginIfNoneBeginsATransactionThatEndCommits() throws Exception {
    JtaTransactions transactions = new JtaTransactions(beanManager);

    JtaTransactions.Begun begun = transactions.beginIfNone();

    assertThat(begun).isNotNull();
    assertThat(tm.getStatus()).isEqualTo(Status.STATUS_ACTIVE);
    watch();
    assertThat(begun.end()).isTrue();
    assertThat(outcomes).containsExactly(Status.STATUS_COMMITTED);
    assertThat(tm.getStatus()).isEqualTo(Status.STATUS_NO_TRANSACTION);
  }

  @Test
  void beginIfNoneLeavesAnActiveTransactionToItsOwner() throws Exception {
    JtaTransactions transactions = new JtaTransactions(beanManager);
    tm.begin();
    Transaction outer = tm.getTransaction();

    assertThat(transactions.beginIfNone()).isNull();

    assertThat(tm.getTransaction()).isSameAs(outer);
    assertThat(tm.getStatus()).isEqualTo(Status.STATUS_ACTIVE);
    tm.rollback();
  }

  @Test
  void beginIfNoneLeavesAMarkedTransactionToItsOwner() throws Exception {
    JtaTransactions transactions = new JtaTransactions(beanManager);
    tm.begin();
    tm.setRollbackOnly();

    assertThat(transactions.beginIfNone()).isNull();

    assertThat(tm.getStatus()).isEqualTo(Status.STATUS_MARKED_ROLLBACK);
    tm.rollback();
  }

  @Test
  void endRollsBackATransactionMarkedRollbackOnly() throws Exception {
    JtaTransactions.Begun begun = new JtaTransactions(beanManager).beginIfNone();
    watch();
    tm.setRollbackOnly();

    assertThat(begun.end()).isFalse();

    assertThat(outcomes).containsExactly(Status.STATUS_ROLLEDBACK);
    assertThat(tm.getStatus()).isEqualTo(Status.STATUS_NO_TRANSACTION);
  }

  @Test
  void rollbackRollsBackAnActiveTransaction() throws Exception {
    JtaTransactions.Begun begun = new JtaTransactions(beanManager).beginIfNone();
    watch();

    begun.rollback();

    assertThat(outcomes).containsExactly(Status.STATUS_ROLLEDBACK);
    assertThat(tm.getStatus()).isEqualTo(Status.STATUS_NO_TRANSACTION);
  }

  @Test
  void rollbackKeepsAFailureToRollBackToItself() throws Exception {
    JtaTransactions.Begun begun = new JtaTransactions(beanManager).beginIfNone();
    Transaction suspended = tm.suspend();
    try {
      // No transaction on the thread: the rollback fails, and the caller's failure stays the one
      // reported.
      begun.rollback();
    } finally {
      tm.resume(suspended);
      tm.rollback();
    }
  }

  @Test
  void endAfterFailureCommitsAndAddsNothingWhenTheCommitSucceeds() throws Exception {
    JtaTransactions.Begun begun = new JtaTransactions(beanManager).beginIfNone();
    watch();
    RuntimeException failure = new RuntimeException("the call failed");

    begun.endAfterFailure(failure);

    assertThat(outcomes).containsExactly(Status.STATUS_COMMITTED);
    assertThat(failure.getSuppressed()).isEmpty();
  }

  @Test
  void endAfterFailureAddsAFailureToEndToTheCallsFailure() throws Exception {
    JtaTransactions.Begun begun = new JtaTransactions(beanManager).beginIfNone();
    Transaction suspended = tm.suspend();
    RuntimeException failure = new RuntimeException("the call failed");
    try {
      begun.endAfterFailure(failure);
    } finally {
      tm.resume(suspended);
      tm.rollback();
    }

    assertThat(failure.getSuppressed()).singleElement().isInstanceOf(Exception.class);
  }

  @Test
  void activeIsTrueForAnActiveOrMarkedTransactionOnly() throws Exception {
    JtaTransactions transactions = new JtaTransactions(beanManager);
    assertThat(transactions.active()).isFalse();

    tm.begin();
    assertThat(transactions.active()).isTrue();
    tm.setRollbackOnly();
    assertThat(transactions.active()).isTrue();
    tm.rollback();

    assertThat(transactions.active()).isFalse();
  }

  @Test
  void requiredJoinsTheActiveTransactionAndLeavesItOpen() throws Exception {
    JtaTransactions transactions = new JtaTransactions(beanManager);
    tm.begin();
    Transaction outer = tm.getTransaction();
    watch();

    Transaction seen = transactions.required(tm::getTransaction);

    assertThat(seen).isSameAs(outer);
    assertThat(tm.getStatus()).isEqualTo(Status.STATUS_ACTIVE);
    assertThat(outcomes).isEmpty();
    tm.commit();
    assertThat(outcomes).containsExactly(Status.STATUS_COMMITTED);
  }

  @Test
  void requiredWithoutATransactionRunsTheWorkInANewOneAndCommitsIt() throws Exception {
    JtaTransactions transactions = new JtaTransactions(beanManager);

    String result =
        transactions.required(
            () -> {
              watch();
              return "done";
            });

    assertThat(result).isEqualTo("done");
    assertThat(outcomes).containsExactly(Status.STATUS_COMMITTED);
  }

  @Test
  void inNewCommitsWhenTheWorkReturns() throws Exception {
    JtaTransactions transactions = new JtaTransactions(beanManager);

    Integer status =
        transactions.inNew(
            () -> {
              watch();
              return tm.getStatus();
            });

    assertThat(status).isEqualTo(Status.STATUS_ACTIVE);
    assertThat(outcomes).containsExactly(Status.STATUS_COMMITTED);
  }

  @Test
  void inNewRollsBackAndRethrowsWhenTheWorkThrows() throws Exception {
    JtaTransactions transactions = new JtaTransactions(beanManager);
    IllegalArgumentException thrown = new IllegalArgumentException("the work failed");

    assertThatThrownBy(
            () ->
                transactions.inNew(
                    () -> {
                      watch();
                      tm.setRollbackOnly();
                      throw thrown;
                    }))
        .isSameAs(thrown);

    assertThat(outcomes).containsExactly(Status.STATUS_ROLLEDBACK);
    assertThat(thrown.getSuppressed()).isEmpty();
  }

  @Test
  void inNewReportsATransactionTheWorkMarkedRollbackOnly() throws Exception {
    JtaTransactions transactions = new JtaTransactions(beanManager);

    assertThatThrownBy(
            () ->
                transactions.inNew(
                    () -> {
                      watch();
                      tm.setRollbackOnly();
                      return "returned";
                    }))
        .isInstanceOf(IllegalStateException.class)
        .hasMessage(
            "DEFERRED-5014: the transaction Deferred began around the call was marked for"
                + " rollback, and was rolled back");

    assertThat(outcomes).containsExactly(Status.STATUS_ROLLEDBACK);
  }

  /** Records the outcome of the transaction active on this thread. */
  private void watch() throws Exception {
    tm.getTransaction()
        .registerSynchronization(
            new Synchronization() {
              @Override
              public void beforeCompletion() {}

              @Override
              public void afterCompletion(int status) {
                outcomes.add(status);
              }
            });
  }
}
