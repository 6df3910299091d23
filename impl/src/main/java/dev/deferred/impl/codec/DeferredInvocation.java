package dev.deferred.impl.codec;

import dev.deferred.DeferOptions;
import java.lang.annotation.Annotation;
import java.lang.reflect.Method;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;

/**
 * A call captured at the call site: which bean, which method, which arguments, which options.
 *
 * @param beanType the type the bean is resolved by when the task runs
 * @param qualifiers the qualifiers it is resolved with (empty for {@code @Default})
 * @param method the method to invoke
 * @param arguments the arguments, one per parameter
 * @param options the task options
 */
public record DeferredInvocation(
    Class<?> beanType,
    List<Annotation> qualifiers,
    Method method,
    Object[] arguments,
    DeferOptions options) {

  /** {@code Type.method(ParamType, ...)} with simple names, for messages. */
  public String describe() {
    return describe(beanType, method);
  }

  /** {@code Type.method(ParamType, ...)} with simple names, for messages. */
  public static String describe(Class<?> type, Method method) {
    return type.getSimpleName()
        + "."
        + method.getName()
        + Arrays.stream(method.getParameterTypes())
            .map(Class::getSimpleName)
            .collect(Collectors.joining(", ", "(", ")"));
  }
}
