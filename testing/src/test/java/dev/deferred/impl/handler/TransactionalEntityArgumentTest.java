package dev.deferred.impl.handler;

import static org.assertj.core.api.Assertions.assertThat;

import dev.deferred.Deferrer;
import dev.deferred.impl.iteration.Item;
import dev.deferred.impl.iteration.TestPersistence;
import dev.deferred.impl.testing.DeferredTest;
import dev.deferred.impl.testing.DeferredTestExtension;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.transaction.TransactionManager;
import jakarta.transaction.Transactional;
import org.jboss.weld.junit5.auto.AddBeanClasses;
import org.junit.jupiter.api.Test;

/**
 * An entity argument of a {@code @Transactional} task method is loaded inside the transaction the
 * method runs in, so what the method changes on it is written, with a transaction-scoped {@code
 * EntityManager} as a server gives one.
 */
@DeferredTest
@AddBeanClasses({TestPersistence.class, TransactionalEntityArgumentTest.Notes.class})
class TransactionalEntityArgumentTest {

  private static final long ID = 9_000_001L;

  /** Changes the entity it receives, and nothing else. */
  @ApplicationScoped
  public static class Notes {
    @Transactional
    public void annotate(Item item, String note) {
      item.setNote(note);
    }
  }

  @Inject Deferrer deferrer;
  @Inject EntityManager em;
  @Inject TransactionManager transactions;

  @Test
  void aChangeToTheEntityArgumentOfATransactionalTaskMethodIsWritten() throws Exception {
    // Created and deferred in one transaction: the task is enqueued when it commits.
    transactions.begin();
    Item item = new Item(ID, "open");
    em.persist(item);
    deferrer.defer(Notes.class, n -> n.annotate(item, "seen by a task"));
    transactions.commit();
    DeferredTestExtension.awaitIdle();

    transactions.begin();
    String note = em.find(Item.class, ID).getNote();
    transactions.commit();
    assertThat(note).isEqualTo("seen by a task");
  }
}
