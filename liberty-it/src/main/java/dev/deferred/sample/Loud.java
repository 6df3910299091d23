package dev.deferred.sample;

import jakarta.enterprise.util.AnnotationLiteral;
import jakarta.inject.Qualifier;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/** Qualifies the loud {@link Greeter}: deferring to it shows that qualifiers travel with a task. */
@Qualifier @Retention(RetentionPolicy.RUNTIME)
@Target({ElementType.TYPE, ElementType.FIELD, ElementType.METHOD, ElementType.PARAMETER})
public @interface Loud {

  /** The {@code @Loud} qualifier as a value, for {@code DeferOptions.qualifiers(...)}. */
  final class Literal extends AnnotationLiteral<Loud> implements Loud {
    public static final Literal INSTANCE = new Literal();
    private static final long serialVersionUID = 1L;
  }
}
