package dev.deferred.impl.transaction;

import static org.assertj.core.api.Assertions.assertThat;

import com.arjuna.ats.internal.jta.transaction.arjunacore.TransactionSynchronizationRegistryImple;
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

    support.state();
    support.state();
    assertThat(lookups).hasValue(2);
    support.state();
    support.state();
    support.state();

    assertThat(lookups).hasValue(3);
  }

  private static Supplier<TransactionSynchronizationRegistry> counting(
      AtomicInteger lookups, Supplier<TransactionSynchronizationRegistry> registry) {
    return () -> {
      lookups.incrementAndGet();
      return registry.get();
    };
  }
}
