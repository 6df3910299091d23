package dev.deferred.impl.defer;

import dev.deferred.Deferred;
import dev.deferred.impl.Library;
import dev.deferred.impl.codec.DeferredInvocation;
import jakarta.annotation.Priority;
import jakarta.enterprise.inject.Any;
import jakarta.enterprise.inject.Default;
import jakarta.enterprise.inject.Intercepted;
import jakarta.enterprise.inject.spi.Bean;
import jakarta.inject.Inject;
import jakarta.interceptor.AroundInvoke;
import jakarta.interceptor.Interceptor;
import jakarta.interceptor.InvocationContext;
import java.lang.annotation.Annotation;
import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.List;

/**
 * Turns a call of a {@link Deferred} method into a task. Runs before the platform's interceptors
 * (such as {@code @Transactional}), so that deferring does not start their work; when the task
 * runs, the handler bypasses this interceptor and theirs apply.
 */
@Deferred
@Interceptor
@Priority(Interceptor.Priority.PLATFORM_BEFORE + 10)
public class DeferredInterceptor {

  @Inject @Intercepted Bean<?> bean;
  @Inject @Library DeferEngine engine;

  @AroundInvoke
  Object defer(InvocationContext context) throws Exception {
    Method method = context.getMethod();
    if (Bypass.consume(method)) {
      return context.proceed();
    }
    Deferred deferred = AnnotationOptions.find(method, bean.getBeanClass());
    Class<?> beanType =
        bean.getTypes().contains(bean.getBeanClass())
            ? bean.getBeanClass()
            : method.getDeclaringClass();
    List<Annotation> qualifiers = new ArrayList<>();
    for (Annotation q : bean.getQualifiers()) {
      if (!(q instanceof Any) && !(q instanceof Default)) {
        qualifiers.add(q);
      }
    }
    engine.submit(
        new DeferredInvocation(
            beanType,
            List.copyOf(qualifiers),
            method,
            context.getParameters(),
            AnnotationOptions.of(deferred)));
    return null;
  }
}
