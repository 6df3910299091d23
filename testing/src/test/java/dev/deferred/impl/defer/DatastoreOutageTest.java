package dev.deferred.impl.defer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.deferred.DeferredTask;
import dev.deferred.Deferrer;
import dev.deferred.EnqueueException;
import dev.deferred.impl.testing.DeferredTest;
import dev.deferred.impl.testing.DeferredTestExtension;
import dev.deferred.impl.testsupport.DatastoreEmulatorExtension;
import jakarta.inject.Inject;
import jakarta.transaction.TransactionManager;
import java.util.concurrent.TimeUnit;
import org.jboss.weld.junit5.auto.AddBeanClasses;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Fault suite, payload store: the Datastore emulator that holds large payloads stops during a run.
 * Large defers then fail at the call site, immediate and transactional alike, and nothing is
 * enqueued for them; small defers go on.
 */
@DeferredTest(config = {"deferred.small-task.max-bytes=2000"})
@AddBeanClasses(Payloads.class)
class DatastoreOutageTest {

  static final int LARGE_DEFERS_DURING_OUTAGE = 3;
  static DatastoreEmulatorExtension.Private datastore;

  @Inject Deferrer deferrer;
  @Inject TransactionManager transactions;

  @BeforeAll
  static void ownDatastore() {
    datastore = new DatastoreEmulatorExtension.Private();
    DeferredTestExtension.configure(
        "deferred.datastore.emulator-host", datastore.instance().hostPort());
    DeferredTestExtension.configure("deferred.datastore.project", datastore.instance().projectId());
  }

  @AfterAll
  static void stopDatastore() {
    datastore.close();
  }

  @Test
  void largeDefersFailAtTheCallSiteWhileTheDatastoreIsDown() throws Exception {
    Payloads.SIZES.clear();
    String large = "d".repeat(5000);
    // Up: a large task goes through the Datastore payload store and runs.
    deferrer.defer(Payloads.class, p -> p.take(large));
    DeferredTestExtension.awaitIdle();
    assertThat(Payloads.SIZES).containsExactly(5000);

    datastore.close();
    int failed = 0;
    long slowest = 0;
    for (int i = 0; i < LARGE_DEFERS_DURING_OUTAGE; i++) {
      long start = System.nanoTime();
      assertThatThrownBy(() -> deferrer.defer(Payloads.class, p -> p.take(large)))
          .isInstanceOf(EnqueueException.class)
          .hasMessageStartingWith("DEFERRED-0218: Cannot defer Payloads.take(String)");
      slowest = Math.max(slowest, System.nanoTime() - start);
      failed++;
    }
    transactions.begin();
    assertThatThrownBy(() -> deferrer.defer(Payloads.class, p -> p.take(large)))
        .isInstanceOf(EnqueueException.class)
        .hasMessageStartingWith("DEFERRED-0218: Cannot defer Payloads.take(String)");
    failed++;
    DeferredTask small = deferrer.defer(Payloads.class, p -> p.take("small"));
    transactions.commit();

    assertThat(small.state()).isEqualTo(DeferredTask.State.ENQUEUED);
    DeferredTestExtension.awaitIdle();
    // Only the large task from before the outage and the small one ran: nothing half enqueued.
    assertThat(Payloads.SIZES).containsExactly(5000, 5);
    System.out.printf(
        "Fault suite, Datastore down: %d large defers, %d failed at the call site with"
            + " EnqueueException, 0 enqueued; slowest failure %d ms%n",
        failed, failed, TimeUnit.NANOSECONDS.toMillis(slowest));
  }
}
