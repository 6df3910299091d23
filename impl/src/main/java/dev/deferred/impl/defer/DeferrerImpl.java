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
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

/**
 * {@link Deferrer}: records the lambda's call on a stand-in for the bean built with {@link
 * InterceptionFactory} plus the {@link Recording} binding, then hands it to the {@link
 * DeferEngine}.
 *
 * <p>One stand-in per bean type serves every call and every thread. It holds no state of a call:
 * the {@link RecordingInterceptor} has no fields, does not proceed, and records into the calling
 * thread's {@link CallRecorder}; Weld's intercepted instance holds the wrapped instance (never
 * called) and its interceptor chain, and keeps the state of an invocation on the calling thread
 * (its invocation context, and the thread-local stack of handlers being invoked). Building a
 * stand-in is the costly part of recording: on Open Liberty, {@code createInterceptionFactory}
 * looks up the bean archive of the class on every call. Bean resolution, which only checks that the
 * call names exactly one bean, is kept per type and qualifiers once it succeeded (beans do not
 * change after deployment); failures are resolved again each time, so their message stays exact.
 */
@ApplicationScoped
public class DeferrerImpl implements Deferrer {

  /** Resolutions kept at most; past it (qualifiers with ever-new member values) each resolves. */
  static final int MAX_RESOLUTIONS = 1024;

  @Inject BeanManager beanManager;
  @Inject @Library DeferEngine engine;

  private final ConcurrentMap<Class<?>, Object> standIns = new ConcurrentHashMap<>();
  private final ConcurrentMap<Resolution, Boolean> resolved = new ConcurrentHashMap<>();

  private record Resolution(Class<?> beanType, List<Annotation> qualifiers) {}

  @Override
  public <T> DeferredTask defer(Class<T> beanType, DeferredCall<T> call, DeferOptions options) {
    Objects.requireNonNull(beanType, "beanType");
    Objects.requireNonNull(call, "call");
    Objects.requireNonNull(options, "options");
    List<Annotation> qualifiers = options.qualifiers();
    requireOneBean(beanType, qualifiers);
    CallRecorder.Call recorded = record(beanType, call);
    return engine.submit(
        new DeferredInvocation(
            beanType, qualifiers, recorded.method(), recorded.arguments(), options));
  }

  private void requireOneBean(Class<?> beanType, List<Annotation> qualifiers) {
    Resolution key = new Resolution(beanType, qualifiers);
    if (resolved.containsKey(key)) {
      return;
    }
    resolve(beanType, qualifiers);
    if (resolved.size() < MAX_RESOLUTIONS) {
      resolved.put(key, Boolean.TRUE);
    }
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
    T standIn = standIn(beanType);
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
    }
    if (calls.size() != 1) {
      throw new IllegalArgumentException(Messages.notOneCall(beanType.getName(), calls.size()));
    }
    return calls.get(0);
  }

  /**
   * The recording stand-in of a bean type, built on first use and kept (with its creational
   * context, which holds the interceptor instance) as long as this bean, the application.
   */
  private <T> T standIn(Class<T> beanType) {
    Object kept = standIns.get(beanType);
    if (kept != null) {
      return beanType.cast(kept);
    }
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
    Object raced = standIns.putIfAbsent(beanType, standIn);
    if (raced != null) {
      // another thread built one first: keep that one
      context.release();
      return beanType.cast(raced);
    }
    return standIn;
  }
}
