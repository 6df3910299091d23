package dev.deferred.impl.defer;

import dev.deferred.DeferOptions;
import dev.deferred.Deferred;
import dev.deferred.impl.config.Durations;
import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BiFunction;
import java.util.function.Function;

/**
 * Turns a {@link Deferred} annotation into {@link DeferOptions}; the same conversion validates the
 * annotation at deployment, so a bad value never reaches a call.
 */
public final class AnnotationOptions {
  private AnnotationOptions() {}

  /** One annotation member that maps to an option. */
  private record Member(
      String name,
      Function<Deferred, String> value,
      BiFunction<DeferOptions, String, DeferOptions> apply) {}

  private static final List<Member> MEMBERS =
      List.of(
          new Member("queue", Deferred::queue, DeferOptions::onQueue),
          new Member("countdown", Deferred::countdown, (o, v) -> o.countdown(Durations.parse(v))),
          new Member("service", Deferred::service, DeferOptions::service),
          new Member("version", Deferred::version, DeferOptions::version),
          new Member("instance", Deferred::instance, DeferOptions::instance),
          new Member(
              "maxAttempts",
              d -> d.maxAttempts() == 0 ? "" : String.valueOf(d.maxAttempts()),
              (o, v) -> o.maxAttempts(Integer.parseInt(v))),
          new Member("maxAge", Deferred::maxAge, (o, v) -> o.maxAge(Durations.parse(v))),
          new Member(
              "dispatchDeadline",
              Deferred::dispatchDeadline,
              (o, v) -> o.dispatchDeadline(Durations.parse(v))));

  /** A problem with one member: its name, value and why. */
  public record Problem(String member, String value, String reason) {}

  /** The options; assumes {@link #problems(Deferred)} is empty (checked at deployment). */
  public static DeferOptions of(Deferred d) {
    DeferOptions o = DeferOptions.defaults();
    for (Member m : MEMBERS) {
      String v = m.value().apply(d);
      if (!v.isEmpty()) {
        o = m.apply().apply(o, v);
      }
    }
    o =
        switch (d.transactional()) {
          case AFTER_COMMIT -> o.transactional(true);
          case IMMEDIATE -> o.transactional(false);
          case AUTO -> o;
        };
    if (d.smallTask()) {
      o = o.smallTask();
    }
    return o.entityArguments(d.entityArguments());
  }

  /** Every invalid member value. */
  public static List<Problem> problems(Deferred d) {
    List<Problem> problems = new ArrayList<>();
    for (Member m : MEMBERS) {
      String v = m.value().apply(d);
      if (!v.isEmpty()) {
        try {
          m.apply().apply(DeferOptions.defaults(), v);
        } catch (IllegalArgumentException e) {
          problems.add(new Problem(m.name(), v, e.getMessage()));
        }
      }
    }
    return problems;
  }

  /**
   * The {@code @Deferred} that applies to {@code method} of {@code beanClass}: method, then class.
   */
  public static Deferred find(Method method, Class<?> beanClass) {
    Deferred d = method.getAnnotation(Deferred.class);
    if (d == null && beanClass != null) {
      d = beanClass.getAnnotation(Deferred.class);
    }
    if (d == null) {
      d = method.getDeclaringClass().getAnnotation(Deferred.class);
    }
    return d;
  }
}
