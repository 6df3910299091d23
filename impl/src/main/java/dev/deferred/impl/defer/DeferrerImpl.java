package dev.deferred.impl.defer;

import dev.deferred.DeferOptions;
import dev.deferred.DeferredCall;
import dev.deferred.DeferredTask;
import dev.deferred.Deferrer;
import dev.deferred.impl.Library;
import dev.deferred.impl.codec.DeferredInvocation;
import dev.deferred.impl.config.Messages;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.context.spi.CreationalContext;
import jakarta.enterprise.inject.AmbiguousResolutionException;
import jakarta.enterprise.inject.spi.Bean;
import jakarta.enterprise.inject.spi.BeanManager;
import jakarta.enterprise.inject.spi.InterceptionFactory;
import jakarta.inject.Inject;
import java.lang.annotation.Annotation;
import java.lang.reflect.Constructor;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * {@link Deferrer}: records the lambda's call on a stand-in for the bean built with {@link
 * InterceptionFactory} plus the {@link Recording} binding, then hands it to the {@link
 * DeferEngine}.
 */
@ApplicationScoped
public class DeferrerImpl implements Deferrer {

  @Inject BeanManager beanManager;
  @Inject @Library DeferEngine engine;

  @Override
  public <T> DeferredTask defer(Class<T> beanType, DeferredCall<T> call, DeferOptions options) {
    Objects.requireNonNull(beanType, "beanType");
    Objects.requireNonNull(call, "call");
    Objects.requireNonNull(options, "options");
    List<Annotation> qualifiers = options.qualifiers();
    resolve(beanType, qualifiers);
    CallRecorder.Call recorded = record(beanType, call);
    return engine.submit(
        new DeferredInvocation(
            beanType, qualifiers, recorded.method(), recorded.arguments(), options));
  }

  private Bean<?> resolve(Class<?> beanType, List<Annotation> qualifiers) {
    Set<Bean<?>> beans;
    try {
      beans = beanManager.getBeans(beanType, qualifiers.toArray(new Annotation[0]));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(
          Messages.noUniqueBean(beanType.getName(), qualifiers.toString(), 0)
              + " ("
              + e.getMessage()
              + ")",
          e);
    }
    try {
      Bean<?> bean = beanManager.resolve(beans);
      if (bean == null) {
        throw new IllegalArgumentException(
            Messages.noUniqueBean(beanType.getName(), qualifiers.toString(), 0));
      }
      return bean;
    } catch (AmbiguousResolutionException e) {
      throw new IllegalArgumentException(
          Messages.noUniqueBean(beanType.getName(), qualifiers.toString(), beans.size()), e);
    }
  }

  /**
   * The instance the stand-in wraps. It is never called (the recording interceptor does not
   * proceed), but it must be a plain instance: Weld hands a client proxy back unwrapped. For an
   * interface a JDK proxy that refuses every call serves; for a class, its no-argument constructor
   * (which every proxyable bean class has) runs once, without injection.
   */
  private static <T> T delegate(Class<T> beanType) {
    if (beanType.isInterface()) {
      return beanType.cast(
          Proxy.newProxyInstance(
              beanType.getClassLoader(),
              new Class<?>[] {beanType},
              (proxy, method, args) -> {
                throw new IllegalStateException("A recording stand-in is never called");
              }));
    }
    try {
      Constructor<T> constructor = beanType.getDeclaredConstructor();
      constructor.setAccessible(true);
      return constructor.newInstance();
    } catch (NoSuchMethodException e) {
      throw new IllegalArgumentException("it has no no-argument constructor", e);
    } catch (InvocationTargetException e) {
      throw new IllegalArgumentException(
          "its no-argument constructor threw " + e.getCause(), e.getCause());
    } catch (ReflectiveOperationException e) {
      throw new IllegalArgumentException("its no-argument constructor cannot be called: " + e, e);
    }
  }

  /**
   * Records the one call the lambda makes on a stand-in for the bean, without running it. Also used
   * by the iteration service for its callback and finalize lambdas.
   *
   * @throws IllegalArgumentException if the type cannot be proxied or the lambda does not make
   *     exactly one call
   */
  public <T> CallRecorder.Call record(Class<T> beanType, DeferredCall<T> call) {
    CreationalContext<T> context = beanManager.createCreationalContext(null);
    T standIn;
    try {
      InterceptionFactory<T> factory = beanManager.createInterceptionFactory(context, beanType);
      factory.configure().add(Recording.Literal.INSTANCE);
      standIn = factory.createInterceptedInstance(delegate(beanType));
    } catch (RuntimeException e) {
      context.release();
      // e.g. a final class or final methods, which CDI cannot proxy
      throw new IllegalArgumentException(
          Messages.notProxyable(beanType.getName(), String.valueOf(e.getMessage())), e);
    }
    List<CallRecorder.Call> calls;
    CallRecorder.start();
    try {
      call.call(standIn);
    } catch (RuntimeException e) {
      throw e;
    } catch (Exception e) {
      throw new IllegalStateException("The recording of a deferred call threw " + e, e);
    } finally {
      calls = CallRecorder.stop();
      context.release();
    }
    if (calls.size() != 1) {
      throw new IllegalArgumentException(Messages.notOneCall(beanType.getName(), calls.size()));
    }
    return calls.get(0);
  }
}
