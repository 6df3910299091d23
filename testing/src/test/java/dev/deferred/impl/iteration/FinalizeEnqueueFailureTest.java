package dev.deferred.impl.iteration;

import static org.assertj.core.api.Assertions.assertThat;

import dev.deferred.IterationOptions;
import dev.deferred.IterationQuery;
import dev.deferred.IterationService;
import dev.deferred.impl.testing.DeferredTest;
import dev.deferred.impl.testing.DeferredTestExtension;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.transaction.TransactionManager;
import java.util.stream.LongStream;
import org.jboss.weld.junit5.auto.AddBeanClasses;
import org.jboss.weld.junit5.auto.AddExtensions;
import org.junit.jupiter.api.Test;

@DeferredTest
@AddBeanClasses({TestPersistence.class, Visitor.class})
@AddExtensions(FailingFinalizeDefers.Registration.class)
class FinalizeEnqueueFailureTest {

  @Inject IterationService iterations;
  @Inject TransactionManager transactions;
  @Inject EntityManager em;

  @Test
  void aFinalizeEnqueueThatFailsAfterTheMarkerCommittedIsRepairedByTheRetry() throws Exception {
    Visitor.reset();
    transactions.begin();
    LongStream.rangeClosed(1, 6).forEach(id -> em.persist(new Item(id, "OPEN")));
    transactions.commit();
    FailingFinalizeDefers.FAILURES_LEFT.set(1);
    FailingFinalizeDefers.FAILED.set(0);

    iterations.iterate(
        IterationQuery.of(Item.class),
        Visitor.class,
        (v, item) -> v.visit(item, "r"),
        v -> v.done("r"),
        IterationOptions.shards(2).transactional(false));
    DeferredTestExtension.awaitIdle();

    assertThat(FailingFinalizeDefers.FAILED).hasValue(1);
    assertThat(Visitor.VISITS)
        .extracting(Visitor.Visit::id)
        .containsExactlyInAnyOrder(1L, 2L, 3L, 4L, 5L, 6L);
    assertThat(Visitor.DONE).containsExactly(new Visitor.Done("r", 1, 6));
  }
}
