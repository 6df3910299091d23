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
 * commits, and not at all if it rolls back; see {@link DeferOptions#transactional(boolean)}. In
 * detail, by the state of the transaction at the call:
 *
 * <ul>
 *   <li>active, or completing (a call from a {@code beforeCompletion} callback, e.g. a JPA entity
 *       listener at flush): enqueued after the commit. A large payload is stored at the call and
 *       deleted again on rollback.
 *   <li>marked rollback-only: the task will never be enqueued, so nothing is stored or enqueued and
 *       the defer returns a task already in state {@link DeferredTask.State#DROPPED}.
 *   <li>committed (a call from an {@code afterCompletion} callback): the commit has happened, so
 *       the task is enqueued at once, also when {@code transactional(true)} was asked for.
 *   <li>ended with an unknown outcome (a heuristic decision reported by the transaction manager):
 *       the task is not enqueued; it ends in state {@link DeferredTask.State#FAILED} and is logged
 *       with everything needed to re-create it, never dropped quietly.
 * </ul>
 *
 * After the commit, any failure to create the task (Cloud Tasks refuses it or cannot be reached,
 * the application is shutting down) ends the task in state {@link DeferredTask.State#FAILED} and
 * logs it for re-creation; the commit stands.
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
   * @throws EnqueueException if Cloud Tasks refused the task or could not be reached (for a
   *     transactional defer this is reported after commit instead, see {@link
   *     DeferredTask#completion()}), or if the payload is too large for a task and the payload
   *     store could not keep it (also for a transactional defer: nothing was stored or enqueued)
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
   * @throws EnqueueException if Cloud Tasks refused the task or could not be reached (for a
   *     transactional defer this is reported after commit instead, see {@link
   *     DeferredTask#completion()}), or if the payload is too large for a task and the payload
   *     store could not keep it (also for a transactional defer: nothing was stored or enqueued)
   * @throws IllegalArgumentException if the lambda does not call exactly one method of the bean, no
   *     unique bean of that type and qualifiers exists, the queue is not configured, or the eta is
   *     more than 720 hours ahead
   * @throws IllegalStateException if {@code options} ask for a transactional defer and no JTA
   *     transaction is active, or the transaction no longer takes synchronizations (nothing was
   *     stored or enqueued)
   */
  <T> DeferredTask defer(Class<T> beanType, DeferredCall<T> call, DeferOptions options);
}
