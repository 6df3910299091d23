package dev.deferred.impl.defer;

import jakarta.enterprise.util.AnnotationLiteral;
import jakarta.interceptor.InterceptorBinding;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Binds {@link RecordingInterceptor}. Never written on a class: {@link DeferrerImpl} adds it to a
 * stand-in for the bean with {@code InterceptionFactory}.
 */
@InterceptorBinding
@Retention(RetentionPolicy.RUNTIME)
@Target({ElementType.TYPE, ElementType.METHOD})
public @interface Recording {

  /** The instance added through {@code InterceptionFactory.configure()}. */
  final class Literal extends AnnotationLiteral<Recording> implements Recording {
    private static final long serialVersionUID = 1L;
    public static final Literal INSTANCE = new Literal();
  }
}
