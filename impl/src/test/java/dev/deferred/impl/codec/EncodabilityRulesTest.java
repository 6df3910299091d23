package dev.deferred.impl.codec;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.InputStream;
import java.lang.reflect.Method;
import java.lang.reflect.Type;
import java.math.BigDecimal;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** Every rule of the table, by the exact problem it reports, and types that pass. */
class EncodabilityRulesTest {

  public record Money(long cents) {}

  public static class Bean {
    public Bean() {}
  }

  public static class NoDefaultConstructor {
    public NoDefaultConstructor(int x) {}
  }

  public abstract static class Base {}

  public class Inner {}

  public interface Params {
    <T> void typeVariable(T value);

    void object(Object value);

    void stream(InputStream in);

    void inner(Inner value);

    void iface(Runnable r);

    void abstractClass(Base value);

    void noConstructor(NoDefaultConstructor value);

    void listOfObjects(List<Object> values);

    void fine(
        int a,
        String b,
        BigDecimal c,
        LocalDate d,
        UUID e,
        Money f,
        Bean g,
        List<Money> h,
        Map<String, List<Money>> i,
        Optional<Money> j,
        Money[] k,
        PayloadCodecTest.Account l);
  }

  private static Type parameter(String method) {
    for (Method m : Params.class.getMethods()) {
      if (m.getName().equals(method)) {
        return m.getGenericParameterTypes()[0];
      }
    }
    throw new AssertionError(method);
  }

  @Test
  void eachRuleReportsItsProblem() {
    assertThat(EncodabilityRules.problem(parameter("typeVariable")))
        .contains(
            "is a type variable, so JSON cannot tell which class to decode: declare a concrete"
                + " type");
    assertThat(EncodabilityRules.problem(parameter("object")))
        .contains(
            "is java.lang.Object, so JSON cannot tell which class to decode: declare a concrete"
                + " type");
    assertThat(EncodabilityRules.problem(parameter("stream")))
        .contains(
            "is a resource or behaviour, not data: pass the data it works on (an id, a name,"
                + " the bytes) instead");
    assertThat(EncodabilityRules.problem(parameter("iface")))
        .contains(
            "is a resource or behaviour, not data: pass the data it works on (an id, a name,"
                + " the bytes) instead");
    assertThat(EncodabilityRules.problem(parameter("inner")))
        .contains(
            "is an inner (non-static) class, which JSON-B cannot create: make it a static nested"
                + " class or a record");
    assertThat(EncodabilityRules.problem(parameter("abstractClass")))
        .contains(
            "is an interface or abstract class, which JSON-B cannot create: declare a concrete"
                + " class or a record");
    assertThat(EncodabilityRules.problem(parameter("noConstructor")))
        .contains(
            "has no no-argument constructor and no @JsonbCreator, so JSON-B cannot create it: add"
                + " one, or make it a record");
  }

  @Test
  void aProblemInATypeArgumentNamesTheArgument() {
    assertThat(EncodabilityRules.problem(parameter("listOfObjects")))
        .contains(
            "has a type argument java.lang.Object that is java.lang.Object, so JSON cannot tell"
                + " which class to decode: declare a concrete type");
  }

  @Test
  void valuesRecordsBeansContainersArraysAndEntitiesPass() {
    for (Method m : Params.class.getMethods()) {
      if (m.getName().equals("fine")) {
        for (Type t : m.getGenericParameterTypes()) {
          assertThat(EncodabilityRules.problem(t)).as(t.getTypeName()).isEmpty();
        }
      }
    }
  }
}
