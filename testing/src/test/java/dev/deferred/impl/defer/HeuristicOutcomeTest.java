package dev.deferred.impl.defer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.deferred.DeferredTask;
import dev.deferred.Deferrer;
import dev.deferred.EnqueueException;
import dev.deferred.impl.store.InMemoryPayloadStore;
import dev.deferred.impl.testing.DeferredTest;
import dev.deferred.impl.testing.DeferredTestExtension;
import dev.deferred.impl.testing.LibraryParts;
import dev.deferred.impl.testing.LogCapture;
import jakarta.inject.Inject;
import jakarta.transaction.TransactionManager;
import org.jboss.weld.junit5.auto.AddBeanClasses;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** A transaction that ends with an unknown outcome never drops its tasks quietly. */
@DeferredTest(config = {"deferred.small-task.max-bytes=2000"})
@AddBeanClasses({Payloads.class, HeuristicRegistry.class})
class HeuristicOutcomeTest {

  @Inject Deferrer deferrer;
  @Inject TransactionManager transactions;

  @AfterEach
  void reset() {
    HeuristicRegistry.reportUnknown = false;
    Payloads.SIZES.clear();
  }

  @Test
  void anUnknownOutcomeLogsTheTaskForRecreationAndKeepsItsPayload() throws Exception {
    transactions.begin();
    DeferredTask task = deferrer.defer(Payloads.class, p -> p.take("y".repeat(5000)));
    HeuristicRegistry.reportUnknown = true;
    try (LogCapture log = LogCapture.of(DeferEngine.class)) {
      transactions.commit();

      assertThat(task.state()).isEqualTo(DeferredTask.State.FAILED);
      String expectedStart =
          "DEFERRED-0310: The transaction ended with an unknown outcome (JTA status 5, a"
              + " heuristic decision), so task (automatic name) was not created on queue"
              + " 'default'. If the transaction's changes were committed, re-create it:"
              + " queue=default, name=(automatic), method=Payloads.take(String),"
              + " body=";
      assertThatThrownBy(() -> task.completion().toCompletableFuture().join())
          .cause()
          .isInstanceOf(EnqueueException.class)
          .message()
          .startsWith(expectedStart)
          .contains("\"stored\":\"")
          .doesNotContain("X-Deferred-Signature");
      assertThat(log.messages()).singleElement().asString().startsWith(expectedStart);
    }
    // The logged task refers to its stored payload, which stays; nothing was delivered.
    assertThat(((InMemoryPayloadStore) LibraryParts.payloadStore()).totalBytes()).isPositive();
    DeferredTestExtension.awaitIdle();
    assertThat(Payloads.SIZES).isEmpty();
  }
}
