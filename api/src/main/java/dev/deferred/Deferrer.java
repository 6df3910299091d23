package dev.deferred;

/**
 * Defers a call of any CDI bean method to a Cloud Tasks queue.
 *
 * <p>Inject it anywhere ({@code @Inject Deferrer deferrer;}); it is an application-scoped,
 * thread-safe bean. The method needs no annotation:
 *
 * <pre>{@code
 * DeferredTask task = deferrer.defer(ReportService.class,
 *     r -> r.generate(customerId, month),
 *     DeferOptions.queue("reports").countdown(Duration.ofMinutes(5)).name("report-42"));
 * }</pre>
 *
 * <p>When the task arrives, the bean is looked up through CDI by the given type and the qualifiers
 * of {@link DeferOptions#qualifiers(java.lang.annotation.Annotation...)} and the method is invoked
 * on it, so interceptors such as {@code @Transactional} apply. If the method is itself {@link
 * Deferred @Deferred}, that interceptor is bypassed for this one invocation (the task is the
 * deferred call); a nested call to another {@code @Deferred} method enqueues as usual.
 *
 * <h2>Why a lambda</h2>
 *
 * The call is written as ordinary Java, so a wrong method name or argument type does not compile.
 * The lambda runs on a stand-in for the bean created with CDI's {@code InterceptionFactory} and an
 * internal interceptor that records the method and arguments without proceeding. No bytecode
 * library is needed, and what is recorded is exactly what CDI will invoke later. The cost is that
 * the bean type must be proxyable by CDI (an interface, or a non-final class with a non-private
 * no-argument constructor), which every normal-scoped bean already is. For a class, the stand-in
 * wraps an instance made with that constructor, once per defer and without injection, so keep it
 * free of side effects; the real bean is never created at the call site.
 *
 * <h2>What happens at the call site</h2>
 *
 * Every argument is encoded to JSON and decoded back with the method's generic parameter types
 * before anything is enqueued; an argument that does not survive the round trip fails here with a
 * {@link TaskEncodingException} naming the parameter. JPA entities travel as references (type and
 * id) and are reloaded when the task runs. The payload is signed; see the configuration reference.
 *
 * <h2>Transactions</h2>
 *
 * By default a call made inside an active JTA transaction is enqueued after the transaction
 * commits, and not at all if it rolls back; see {@link DeferOptions#transactional(boolean)}.
 */
public interface Deferrer {

  /**
   * Defers a call with default options: queue {@code default}, no delay, an automatic task name,
   * transactional if a JTA transaction is active.
   *
   * @param beanType the bean type to resolve when the task runs (with the {@code @Default}
   *     qualifier); an interface or a proxyable class
   * @param call a lambda that calls exactly one method of the bean
   * @param <T> the bean type
   * @return the deferred task
   * @throws TaskEncodingException if an argument cannot be encoded, or the payload is too large for
   *     a small task
   * @throws DuplicateTaskException if a task with the same name exists and {@link
   *     DeferOptions#failOnDuplicate()} was asked for
   * @throws EnqueueException if Cloud Tasks refused the task or could not be reached (never for a
   *     transactional defer, which enqueues after commit)
   * @throws IllegalArgumentException if the lambda does not call exactly one method of the bean, or
   *     no unique bean of that type exists
   */
  default <T> DeferredTask defer(Class<T> beanType, DeferredCall<T> call) {
    return defer(beanType, call, DeferOptions.defaults());
  }

  /**
   * Defers a call with the given options.
   *
   * @param beanType the bean type to resolve when the task runs, with the qualifiers of {@code
   *     options} ({@code @Default} if none); an interface or a proxyable class
   * @param call a lambda that calls exactly one method of the bean
   * @param options the task options
   * @param <T> the bean type
   * @return the deferred task
   * @throws TaskEncodingException if an argument cannot be encoded, or the payload is too large for
   *     a small task
   * @throws DuplicateTaskException if a task with the same name exists and {@link
   *     DeferOptions#failOnDuplicate()} was asked for
   * @throws EnqueueException if Cloud Tasks refused the task or could not be reached (never for a
   *     transactional defer, which enqueues after commit)
   * @throws IllegalArgumentException if the lambda does not call exactly one method of the bean, no
   *     unique bean of that type and qualifiers exists, or the queue is not configured
   * @throws IllegalStateException if {@code options} ask for a transactional defer and no JTA
   *     transaction is active
   */
  <T> DeferredTask defer(Class<T> beanType, DeferredCall<T> call, DeferOptions options);
}
