package dev.deferred.impl.iteration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.deferred.IterationOptions;
import dev.deferred.IterationQuery;
import dev.deferred.IterationService;
import dev.deferred.impl.testing.DeferredTestExtension;
import jakarta.inject.Inject;
import jakarta.inject.Named;
import jakarta.persistence.EntityManager;
import jakarta.transaction.TransactionManager;
import java.util.List;
import java.util.stream.LongStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * An application with two persistence units, each with its own rows: the iteration reads the one
 * its options name, else the configured one, else the default one; subclasses configure.
 */
abstract class PersistenceUnitContract {

  /** The rows an iteration whose options name no unit must visit. */
  abstract List<Long> rowsWithoutAUnitInTheOptions();

  @Inject IterationService iterations;
  @Inject TransactionManager transactions;
  @Inject EntityManager em;

  @Inject
  @Named("archive")
  EntityManager archive;

  @BeforeEach
  void rows() throws Exception {
    Visitor.reset();
    transactions.begin();
    LongStream.rangeClosed(1, 2).forEach(id -> em.persist(new Item(id, "OPEN")));
    LongStream.rangeClosed(101, 103).forEach(id -> archive.persist(new Item(id, "OPEN")));
    transactions.commit();
  }

  @AfterEach
  void settle() {
    DeferredTestExtension.awaitIdle();
  }

  @Test
  void theUnitTheOptionsNameIsIterated() {
    iterations.iterate(
        IterationQuery.of(Item.class),
        Visitor.class,
        (v, item) -> v.visit(item, "archive"),
        v -> v.done("archive"),
        IterationOptions.shards(2).persistenceUnit("archive"));
    DeferredTestExtension.awaitIdle();

    assertThat(Visitor.VISITS)
        .extracting(Visitor.Visit::id)
        .containsExactlyInAnyOrder(101L, 102L, 103L);
    assertThat(Visitor.DONE).containsExactly(new Visitor.Done("archive", 1, 3));
  }

  @Test
  void withoutAUnitInTheOptionsTheConfiguredOrDefaultUnitIsIterated() {
    iterations.iterate(
        IterationQuery.of(Item.class),
        Visitor.class,
        (v, item) -> v.visit(item, "unnamed"),
        IterationOptions.shards(2));
    DeferredTestExtension.awaitIdle();

    assertThat(Visitor.VISITS)
        .extracting(Visitor.Visit::id)
        .containsExactlyInAnyOrderElementsOf(rowsWithoutAUnitInTheOptions());
  }

  @Test
  void aUnitWithoutAnEntityManagerBeanFailsAtTheCallSite() {
    assertThatThrownBy(
            () ->
                iterations.iterate(
                    IterationQuery.of(Item.class),
                    Visitor.class,
                    (v, item) -> v.visit(item, "none"),
                    IterationOptions.shards(2).persistenceUnit("reports")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(
            "DEFERRED-5012: no EntityManager bean qualified @Named(\"reports\") for entity"
                + " dev.deferred.impl.iteration.Item: produce one (@Produces @Named(\"reports\")"
                + " @PersistenceContext(unitName = \"reports\") EntityManager), or fix the unit"
                + " name");
  }
}
