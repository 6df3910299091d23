package dev.deferred.impl.defer;

import jakarta.annotation.Priority;
import jakarta.interceptor.AroundInvoke;
import jakarta.interceptor.Interceptor;
import jakarta.interceptor.InvocationContext;
import java.util.Map;

/**
 * Captures the method and arguments of a call on a recording stand-in and does not proceed: the
 * call must not run now. Outermost of all interceptors, so none of the bean's own interceptors run
 * at recording time either.
 */
@Recording
@Interceptor
@Priority(Interceptor.Priority.PLATFORM_BEFORE)
public class RecordingInterceptor {

  private static final Map<Class<?>, Object> PRIMITIVE_DEFAULTS =
      Map.of(
          boolean.class,
          false,
          byte.class,
          (byte) 0,
          char.class,
          (char) 0,
          short.class,
          (short) 0,
          int.class,
          0,
          long.class,
          0L,
          float.class,
          0f,
          double.class,
          0d);

  @AroundInvoke
  Object record(InvocationContext context) {
    if (!CallRecorder.record(context.getMethod(), context.getParameters())) {
      throw new IllegalStateException(
          "A recording stand-in of Deferred was called outside Deferrer.defer: do not keep the"
              + " bean parameter of the lambda");
    }
    // Primitive return types need a value of their type: the caller's code unboxes it.
    return PRIMITIVE_DEFAULTS.get(context.getMethod().getReturnType());
  }
}
