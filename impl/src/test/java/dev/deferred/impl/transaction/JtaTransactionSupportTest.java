package dev.deferred.impl.transaction;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.arjuna.ats.internal.jta.transaction.arjunacore.TransactionSynchronizationRegistryImple;
import jakarta.transaction.TransactionManager;
import jakarta.transaction.TransactionSynchronizationRegistry;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

/**
 * How the transaction support finds the platform's registry: a JNDI lookup costs a good part of a
 * defer on an application server, so a registry once found is kept; until one is found, every use
 * looks again (a server may bind it late).
 */
class JtaTransactionSupportTest {

  private final TransactionSynchronizationRegistry narayana =
      new TransactionSynchronizationRegistryImple();

  @Test
  void aRegistryOnceFoundIsNotLookedUpAgain() {
    AtomicInteger lookups = new AtomicInteger();
    JtaTransactionSupport support = new JtaTransactionSupport(counting(lookups, () -> narayana));

    for (int i = 0; i < 3; i++) {
      assertThat(support.state()).isEqualTo(TransactionSupport.State.NONE);
    }

    assertThat(lookups).hasValue(1);
  }

  @Test
  void aRegistryBoundLateIsFoundOnALaterUse() {
    AtomicInteger lookups = new AtomicInteger();
    JtaTransactionSupport support =
        new JtaTransactionSupport(counting(lookups, () -> lookups.get() < 3 ? null : narayana));

    assertThat(support.state()).isEqualTo(TransactionSupport.State.NONE);
    assertThat(support.state()).isEqualTo(TransactionSupport.State.NONE);
    assertThat(lookups).hasValue(2);
    support.state();
    support.state();
    support.state();

    assertThat(lookups).hasValue(3);
  }

  @Test
  void withoutARegistryNothingWaitsAndNothingCanBeRegistered() {
    JtaTransactionSupport support = new JtaTransactionSupport(() -> null);

    assertThat(support.state()).isEqualTo(TransactionSupport.State.NONE);
    assertThatThrownBy(() -> support.afterCompletion(NOTHING))
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("No TransactionSynchronizationRegistry");
  }

  @Test
  void withoutJtaNothingWaitsAndNothingCanBeRegistered() {
    assertThat(TransactionSupport.NONE.state()).isEqualTo(TransactionSupport.State.NONE);
    assertThatThrownBy(() -> TransactionSupport.NONE.afterCompletion(NOTHING))
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("No JTA transaction manager");
  }

  @Test
  void aRegistrationRefusedOutsideATransactionIsReportedAsTheRegistryReportsIt() {
    JtaTransactionSupport support = new JtaTransactionSupport(() -> narayana);

    // Narayana refuses with an IllegalStateException of its own: passed on as it is.
    assertThatThrownBy(() -> support.afterCompletion(NOTHING))
        .isInstanceOf(IllegalStateException.class)
        .hasNoCause();
  }

  @Test
  void aRegistrationRefusedByADoomedTransactionIsReportedAsTheRegistryReportsIt() throws Exception {
    JtaTransactionSupport support = new JtaTransactionSupport(() -> narayana);
    TransactionManager tm = com.arjuna.ats.jta.TransactionManager.transactionManager();
    tm.begin();
    try {
      tm.setRollbackOnly();
      assertThat(support.state()).isEqualTo(TransactionSupport.State.DOOMED);

      // Narayana's RollbackException is an IllegalStateException, passed on as it is, with the
      // transaction's RollbackException as its cause.
      assertThatThrownBy(() -> support.afterCompletion(NOTHING))
          .isInstanceOf(IllegalStateException.class)
          .hasMessageStartingWith("ARJUNA016081")
          .hasCauseExactlyInstanceOf(jakarta.transaction.RollbackException.class);
    } finally {
      tm.rollback();
    }
  }

  private static final TransactionSupport.Outcome NOTHING =
      new TransactionSupport.Outcome() {
        @Override
        public void committed() {}

        @Override
        public void rolledBack() {}

        @Override
        public void unknown(int status) {}
      };

  private static Supplier<TransactionSynchronizationRegistry> counting(
      AtomicInteger lookups, Supplier<TransactionSynchronizationRegistry> registry) {
    return () -> {
      lookups.incrementAndGet();
      return registry.get();
    };
  }
}
