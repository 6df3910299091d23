package dev.deferred.impl.iteration;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.deferred.IterationOptions;
import dev.deferred.IterationQuery;
import dev.deferred.IterationService;
import dev.deferred.TaskEncodingException;
import dev.deferred.impl.testing.DeferredTest;
import jakarta.inject.Inject;
import org.jboss.weld.junit5.auto.AddBeanClasses;
import org.junit.jupiter.api.Test;

/** What fails at the call site, before anything is deferred. */
@DeferredTest
@AddBeanClasses({TestPersistence.class, Visitor.class})
class IterationCallSiteTest {

  @Inject IterationService iterations;

  @Test
  void aTypoInTheConditionFailsAtTheCallSite() {
    assertThatThrownBy(
            () ->
                iterations.iterate(
                    IterationQuery.of(Item.class).where("e.stat = 'OPEN'"),
                    Visitor.class,
                    (v, item) -> v.visit(item, "x"),
                    IterationOptions.defaults()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith(
            "DEFERRED-5006: the condition of IterationQuery[Item where e.stat = 'OPEN'] does not"
                + " compile as JPQL on 'e': 'e.stat = 'OPEN'': ")
        .hasMessageEndingWith(
            ". Write a JPQL boolean expression on the alias e, e.g. \"e.status = :status\"");
  }

  @Test
  void parametersMustMatchTheCondition() {
    assertThatThrownBy(
            () ->
                iterations.iterate(
                    IterationQuery.of(Item.class)
                        .where("e.status = :status")
                        .parameter("state", "OPEN"),
                    Visitor.class,
                    (v, item) -> v.visit(item, "x"),
                    IterationOptions.defaults()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(
            "DEFERRED-5007: the parameters of IterationQuery[Item where e.status = :status"
                + " [state]] do not match its condition: missing [status], unknown [state]; set"
                + " exactly the named parameters the condition uses with"
                + " IterationQuery.parameter");
  }

  @Test
  void aCompositeIdIsRefused() {
    assertThatThrownBy(
            () ->
                iterations.iterate(
                    IterationQuery.of(Pair.class),
                    Visitor.class,
                    (v, pair) -> v.visitPair(pair),
                    IterationOptions.defaults()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(
            "DEFERRED-5002: entity dev.deferred.impl.iteration.Pair has a composite id:"
                + " IterationService pages by a single, comparable id; give the entity a single"
                + " @Id (a number, a string, a UUID...)");
  }

  @Test
  void theCallbackMustPassTheRow() {
    assertThatThrownBy(
            () ->
                iterations.iterate(
                    IterationQuery.of(Item.class),
                    Visitor.class,
                    (v, item) -> v.done("no row"),
                    IterationOptions.defaults()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(
            "DEFERRED-5009: the callback calls dev.deferred.impl.iteration.Visitor.done without"
                + " passing it the row: write (bean, row) -> bean.method(row, ...), passing the"
                + " lambda's row parameter as is");
  }

  @Test
  void aParameterThatCannotMakeTheRoundTripFailsAtTheCallSite() {
    assertThatThrownBy(
            () ->
                iterations.iterate(
                    IterationQuery.of(Item.class)
                        .where("e.status = :status")
                        .parameter("status", new StringBuilder("OPEN")),
                    Visitor.class,
                    (v, item) -> v.visit(item, "x"),
                    IterationOptions.defaults()))
        .isInstanceOf(TaskEncodingException.class)
        .hasMessageStartingWith(
            "DEFERRED-5015: query parameter 'status' of type java.lang.StringBuilder ");
  }

  @Test
  void aQueueThatIsNotConfiguredFailsAtTheCallSite() {
    assertThatThrownBy(
            () ->
                iterations.iterate(
                    IterationQuery.of(Item.class),
                    Visitor.class,
                    (v, item) -> v.visit(item, "x"),
                    IterationOptions.defaults().queue("nowhere")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("nowhere");
  }
}
