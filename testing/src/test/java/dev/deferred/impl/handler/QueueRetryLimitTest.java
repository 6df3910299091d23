package dev.deferred.impl.handler;

import static org.assertj.core.api.Assertions.assertThat;

import dev.deferred.Deferrer;
import dev.deferred.impl.store.TaskFailure;
import dev.deferred.impl.testing.DeferredTest;
import dev.deferred.impl.testing.DeferredTestExtension;
import dev.deferred.impl.testing.LibraryParts;
import dev.deferred.testing.internal.TaskHttpServer;
import jakarta.inject.Inject;
import java.util.ArrayList;
import java.util.List;
import org.jboss.weld.junit5.auto.AddBeanClasses;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A queue that allows fewer attempts than the task needs: on the queue's last attempt the handler
 * records the task, which Cloud Tasks would otherwise drop without a trace.
 */
@DeferredTest(config = {"deferred.queues.default.retry-max-attempts=3"})
@AddBeanClasses(Targets.Work.class)
class QueueRetryLimitTest {

  @Inject Deferrer deferrer;

  @BeforeEach
  void clear() {
    Targets.ATTEMPTS.clear();
    DeferredTestExtension.server().exchanges().clear();
  }

  @Test
  void theQueuesLastAttemptRecordsTheTaskInsteadOfLettingCloudTasksDropIt() {
    deferrer.defer(Targets.Work.class, w -> w.alwaysFail("q", ""));

    DeferredTestExtension.awaitIdle();
    assertThat(Targets.attempts("q")).isEqualTo(3);
    List<Integer> statuses = new ArrayList<>();
    for (TaskHttpServer.Exchange e : DeferredTestExtension.server().exchanges()) {
      statuses.add(e.status());
    }
    assertThat(statuses).containsExactly(500, 500, 200);
    List<TaskFailure> failures = LibraryParts.failureStore().recent(10);
    assertThat(failures)
        .singleElement()
        .satisfies(
            f -> {
              assertThat(f.message()).isEqualTo("always q");
              assertThat(f.retryCount()).isEqualTo(2);
            });
  }
}
