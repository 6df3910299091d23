package dev.deferred.impl;

import jakarta.enterprise.util.AnnotationLiteral;
import jakarta.inject.Qualifier;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * The library's own running parts, produced by {@link DeferredRuntime} from its configuration:
 * {@code @Inject @Library DeferredConfig}, {@code PayloadStore}, {@code FailureStore}, {@code
 * MarkerStore}, {@code DeferEngine}, {@code TaskHandler}, {@code HandlerAddress}, {@code
 * TaskOnlyAuthenticators}, and {@code Provider<CloudTasksConnection>} (the connection opens on
 * first use).
 *
 * <p>The qualifier keeps them apart from an application's own beans of the same types: an
 * application's {@code PayloadStore} bean is what the runtime selects, and {@code @Library
 * PayloadStore} is the store it selected.
 */
@Qualifier @Retention(RetentionPolicy.RUNTIME)
@Target({ElementType.FIELD, ElementType.METHOD, ElementType.PARAMETER, ElementType.TYPE})
public @interface Library {

  /** For programmatic lookup, e.g. {@code CDI.current().select(TaskHandler.class, LITERAL)}. */
  Library LITERAL = new Literal();

  /** The instance of {@link Library} for programmatic lookup. */
  final class Literal extends AnnotationLiteral<Library> implements Library {
    private static final long serialVersionUID = 1L;
  }
}
