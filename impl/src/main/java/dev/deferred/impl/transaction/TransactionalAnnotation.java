package dev.deferred.impl.transaction;

import java.lang.annotation.Annotation;
import java.lang.reflect.Method;

/**
 * Reads {@code @Transactional} the way its interceptor binding applies: on the method, else on the
 * bean class or a superclass, else on the class that declares the method. Read by name, so that it
 * loads no {@code jakarta.transaction} class in an application without JTA.
 */
public final class TransactionalAnnotation {
  private static final String TRANSACTIONAL = "jakarta.transaction.Transactional";

  private TransactionalAnnotation() {}

  /**
   * The transaction type {@code @Transactional} gives {@code method} of {@code beanClass}.
   *
   * @param beanClass the bean's class
   * @param method the method called, as declared on the bean type or the bean class
   * @return the {@code TxType} name ({@code REQUIRED}, {@code NOT_SUPPORTED}...), or {@code null}
   *     when neither the method nor its class is {@code @Transactional}
   */
  public static String txType(Class<?> beanClass, Method method) {
    Annotation found = null;
    try {
      found =
          find(beanClass.getMethod(method.getName(), method.getParameterTypes()).getAnnotations());
    } catch (NoSuchMethodException e) {
      // not public on the bean class: only the declared method can carry it
    }
    if (found == null) {
      found = find(method.getAnnotations());
    }
    for (Class<?> c = beanClass; found == null && c != null && c != Object.class; ) {
      found = find(c.getDeclaredAnnotations());
      c = c.getSuperclass();
    }
    if (found == null) {
      found = find(method.getDeclaringClass().getAnnotations());
    }
    if (found == null) {
      return null;
    }
    try {
      return String.valueOf(found.annotationType().getMethod("value").invoke(found));
    } catch (ReflectiveOperationException e) {
      return "REQUIRED";
    }
  }

  private static Annotation find(Annotation[] annotations) {
    for (Annotation a : annotations) {
      if (a.annotationType().getName().equals(TRANSACTIONAL)) {
        return a;
      }
    }
    return null;
  }
}
