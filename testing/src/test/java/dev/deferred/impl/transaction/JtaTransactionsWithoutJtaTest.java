package dev.deferred.impl.transaction;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import jakarta.enterprise.inject.spi.BeanManager;
import jakarta.inject.Inject;
import org.jboss.weld.junit5.auto.EnableAutoWeld;
import org.junit.jupiter.api.Test;

/**
 * On a platform without JTA (no transaction manager or user transaction bean, nothing in JNDI): a
 * {@code @Transactional} task method runs without a transaction begun by Deferred, and what needs
 * one fails with {@code DEFERRED-5013}, naming what is missing.
 */
@EnableAutoWeld
class JtaTransactionsWithoutJtaTest {

  @Inject BeanManager beanManager;

  @Test
  void beginIfNoneBeginsNothing() throws Exception {
    assertThat(new JtaTransactions(beanManager).beginIfNone()).isNull();
  }

  @Test
  void whatNeedsATransactionFailsNamingWhatIsMissing() {
    JtaTransactions transactions = new JtaTransactions(beanManager);
    String start =
        "DEFERRED-5013: Deferred needs JTA here but found neither a TransactionManager or"
            + " UserTransaction bean nor java:comp/UserTransaction (";

    assertThatThrownBy(transactions::active)
        .isInstanceOf(IllegalStateException.class)
        .hasMessageStartingWith(start)
        // The reason is what the JNDI lookup said.
        .hasMessageContaining(start + "javax.naming.")
        .hasMessageEndingWith("): run on a Jakarta EE server, or add a transaction manager");
    assertThatThrownBy(() -> transactions.inNew(() -> "never run"))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageStartingWith(start);
    assertThatThrownBy(() -> transactions.required(() -> "never run"))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageStartingWith(start);
  }
}
