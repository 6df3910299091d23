package dev.deferred.impl.defer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.deferred.DeferredTask;
import dev.deferred.Deferrer;
import dev.deferred.EnqueueException;
import dev.deferred.impl.testing.DeferredTest;
import dev.deferred.impl.testing.DeferredTestExtension;
import jakarta.inject.Inject;
import jakarta.transaction.TransactionManager;
import org.jboss.weld.junit5.auto.AddBeanClasses;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** A payload store that fails at defer time: a documented exception, and nothing half done. */
@DeferredTest(config = {"deferred.small-task.max-bytes=2000"})
@AddBeanClasses({Payloads.class, FailingPayloadStore.class})
class PayloadStoreFailureTest {

  private static final String EXPECTED =
      "DEFERRED-0218: Cannot defer Payloads.take(String): its payload of %d bytes is over"
          + " deferred.small-task.max-bytes (2000) and the payload store could not keep it"
          + " (dev.deferred.impl.store.StoreException: the payload store is unreachable); nothing"
          + " was enqueued";

  @Inject Deferrer deferrer;
  @Inject TransactionManager transactions;
  @Inject FailingPayloadStore store;

  @BeforeEach
  void storeDown() {
    Payloads.SIZES.clear();
    FailingPayloadStore.down = true;
  }

  @AfterEach
  void storeUp() throws Exception {
    FailingPayloadStore.down = false;
    if (transactions.getTransaction() != null) {
      transactions.rollback();
    }
  }

  @Test
  void anImmediateLargeDeferFailsAtTheCallSiteAndEnqueuesNothing() {
    String data = "z".repeat(5000);
    assertThatThrownBy(() -> deferrer.defer(Payloads.class, p -> p.take(data)))
        .isInstanceOf(EnqueueException.class)
        .hasMessageMatching(EXPECTED.replace("(", "\\(").replace(")", "\\)").replace("%d", "\\d+"))
        .satisfies(e -> assertThat(((EnqueueException) e).queue()).isEqualTo("default"));

    // Proof that a task would have arrived: a small one does, and it is the only one.
    deferrer.defer(Payloads.class, p -> p.take("small"));
    DeferredTestExtension.awaitIdle();
    assertThat(Payloads.SIZES).containsExactly(5);
    assertThat(store.storedBytes()).isZero();
  }

  @Test
  void aTransactionalLargeDeferFailsAtTheCallSiteAndTheCommitEnqueuesNothing() throws Exception {
    String data = "z".repeat(5000);
    transactions.begin();
    assertThatThrownBy(() -> deferrer.defer(Payloads.class, p -> p.take(data)))
        .isInstanceOf(EnqueueException.class)
        .hasMessageStartingWith("DEFERRED-0218: Cannot defer Payloads.take(String)");
    DeferredTask small = deferrer.defer(Payloads.class, p -> p.take("small"));
    transactions.commit();

    assertThat(small.state()).isEqualTo(DeferredTask.State.ENQUEUED);
    DeferredTestExtension.awaitIdle();
    assertThat(Payloads.SIZES).containsExactly(5);
    assertThat(store.storedBytes()).isZero();
  }
}
