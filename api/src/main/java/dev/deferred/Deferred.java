package dev.deferred;

import jakarta.enterprise.util.Nonbinding;
import jakarta.interceptor.InterceptorBinding;
import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Inherited;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Makes every call of a bean method, made through CDI, a deferred task: the call returns at once
 * and the method runs later, in the background, when Cloud Tasks delivers the task.
 *
 * <pre>{@code
 * @ApplicationScoped
 * public class Mailer {
 *   @Deferred(queue = "mail", maxAttempts = 5)
 *   public void send(String to, Template template) { ... }
 * }
 * }</pre>
 *
 * <p>On a class, every business method of the class is deferred. Only calls through a CDI reference
 * are intercepted: a call from the bean to its own method ({@code this.send(...)}) runs at once, as
 * for any interceptor.
 *
 * <p>The method must be non-private, non-static, non-final and return {@code void}, and each of its
 * parameter types must be encodable to JSON (see {@link Deferrer}); otherwise the deployment fails
 * with a message that names the class, the method and the fix. Its queue must be configured, or the
 * deployment fails listing the configured queues. Arguments are checked at each call: one that does
 * not survive the JSON round trip throws {@link TaskEncodingException} to the caller.
 *
 * <p>When the task runs, the method is invoked through CDI with this interceptor bypassed for that
 * one invocation, so the method's other interceptors (for example {@code @Transactional}) apply,
 * and a call it makes to another {@code @Deferred} method is deferred again.
 *
 * <p>Options that depend on the call (task name, schedule time, qualifiers) are set with {@link
 * Deferrer} and {@link DeferOptions} instead.
 *
 * <p>Durations ({@link #countdown()}, {@link #maxAge()}, {@link #dispatchDeadline()}) are written
 * as in configuration: a number and a unit, with no space ({@code "500ms"}, {@code "30s"}, {@code
 * "5m"}, {@code "1.5h"}, {@code "2d"}; units {@code ms}, {@code s}, {@code m}, {@code h}, {@code
 * d}), or an ISO-8601 duration ({@code "PT5M"}). Any other text fails the deployment.
 */
@InterceptorBinding
@Inherited
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target({ElementType.METHOD, ElementType.TYPE})
public @interface Deferred {

  /**
   * The queue id, configured under {@code deferred.queues.<id>}.
   *
   * @return the queue id; {@value DeferOptions#DEFAULT_QUEUE} by default
   */
  @Nonbinding
  String queue() default DeferOptions.DEFAULT_QUEUE;

  /**
   * Whether the task is tied to the caller's JTA transaction.
   *
   * @return the transaction mode; {@link Transaction#AUTO} by default
   */
  @Nonbinding
  Transaction transactional() default Transaction.AUTO;

  /**
   * A delay before the task runs, such as {@code "30s"} or {@code "5m"}; empty for none. Durations
   * are written as described in the class documentation.
   *
   * @return the delay
   * @see DeferOptions#countdown(java.time.Duration)
   */
  @Nonbinding
  String countdown() default "";

  /**
   * The App Engine service to route to; empty for the default.
   *
   * @return the service id
   * @see DeferOptions#service(String)
   */
  @Nonbinding
  String service() default "";

  /**
   * The App Engine version to route to; empty for the running version.
   *
   * @return the version id
   * @see DeferOptions#version(String)
   */
  @Nonbinding
  String version() default "";

  /**
   * The App Engine instance to route to; empty for any.
   *
   * @return the instance id
   * @see DeferOptions#instance(String)
   */
  @Nonbinding
  String instance() default "";

  /**
   * Whether the payload must travel inside the task, never in the payload store.
   *
   * @return {@code true} for a small task
   * @see DeferOptions#smallTask()
   */
  @Nonbinding
  boolean smallTask() default false;

  /**
   * The per-task attempt limit; 0 for the queue's own limit.
   *
   * @return the attempt limit
   * @see DeferOptions#maxAttempts(int)
   */
  @Nonbinding
  int maxAttempts() default 0;

  /**
   * The per-task age limit, such as {@code "1h"}; empty for none.
   *
   * @return the age limit
   * @see DeferOptions#maxAge(java.time.Duration)
   */
  @Nonbinding
  String maxAge() default "";

  /**
   * The dispatch deadline, such as {@code "10m"}; empty for Cloud Tasks' default.
   *
   * @return the dispatch deadline
   * @see DeferOptions#dispatchDeadline(java.time.Duration)
   */
  @Nonbinding
  String dispatchDeadline() default "";

  /**
   * How JPA entity arguments travel.
   *
   * @return {@link EntityArguments#REFERENCE} by default
   * @see DeferOptions#entityArguments(EntityArguments)
   */
  @Nonbinding
  EntityArguments entityArguments() default EntityArguments.REFERENCE;

  /** Whether a deferred call is tied to the caller's JTA transaction. */
  enum Transaction {
    /** Enqueue after commit when a JTA transaction is active, at once otherwise. */
    AUTO,
    /**
     * Always enqueue after commit, nothing on rollback; calling without an active transaction
     * throws {@link IllegalStateException}.
     */
    AFTER_COMMIT,
    /** Enqueue at once, even inside a transaction. */
    IMMEDIATE
  }
}
