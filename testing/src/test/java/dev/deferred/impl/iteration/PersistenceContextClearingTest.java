package dev.deferred.impl.iteration;

import static org.assertj.core.api.Assertions.assertThat;

import dev.deferred.IterationOptions;
import dev.deferred.IterationQuery;
import dev.deferred.IterationService;
import dev.deferred.impl.testing.DeferredTest;
import dev.deferred.impl.testing.DeferredTestExtension;
import jakarta.enterprise.context.RequestScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.transaction.TransactionManager;
import java.util.stream.LongStream;
import org.jboss.weld.junit5.auto.ActivateScopes;
import org.jboss.weld.junit5.auto.AddBeanClasses;
import org.junit.jupiter.api.Test;

/**
 * The persistence context a shard task reads with is cleared after every batch, so a task's memory
 * depends on the batch size, not on the rows it has processed: here with an {@code EntityManager}
 * that lives as long as the task's request, which would otherwise keep every row it read.
 */
@DeferredTest
@ActivateScopes(RequestScoped.class)
@AddBeanClasses({RequestScopedPersistence.class, Visitor.class})
class PersistenceContextClearingTest {

  @Inject IterationService iterations;
  @Inject TransactionManager transactions;
  @Inject RequestScopedPersistence persistence;

  @Test
  void noRowReadByTheShardIsStillManagedWhenTheCallbackRuns() throws Exception {
    Visitor.reset();
    transactions.begin();
    EntityManager writer = persistence.factory().createEntityManager();
    writer.joinTransaction();
    LongStream.rangeClosed(1, 7).forEach(id -> writer.persist(new Item(id, "OPEN")));
    transactions.commit();
    writer.close();

    iterations.iterate(
        IterationQuery.of(Item.class),
        Visitor.class,
        (v, item) -> v.visitCheckingManaged(item),
        IterationOptions.shards(1).batchSize(3).transactional(false));
    DeferredTestExtension.awaitIdle();

    // Seven rows in batches of 3, 3 and 1, all in one task and one request.
    assertThat(Visitor.VISITS)
        .extracting(Visitor.Visit::id)
        .containsExactly(1L, 2L, 3L, 4L, 5L, 6L, 7L);
    assertThat(Visitor.STILL_MANAGED).isEmpty();
  }
}
