package dev.deferred;

/**
 * The call to defer, written as a lambda on the bean: {@code r -> r.generate(id, month)}.
 *
 * <p>The lambda is run once, at the call site, on a recording stand-in for the bean: the method it
 * calls is not executed, only its identity and its arguments are captured. Because the call is
 * ordinary Java, the compiler checks the method name and the argument types.
 *
 * <p>The lambda must call exactly one method of the bean, and nothing else that matters: code
 * around the call runs now, not in the task. Arguments are evaluated now, so {@code r ->
 * r.generate(Instant.now())} captures the current instant.
 *
 * @param <T> the bean type
 */
@FunctionalInterface
public interface DeferredCall<T> {

  /**
   * Calls one method of {@code bean}.
   *
   * @param bean a recording stand-in for the bean: its methods record the call and return a default
   *     value ({@code null}, {@code 0} or {@code false})
   * @throws Exception never thrown by the recording stand-in; declared so that methods with checked
   *     exceptions can be deferred without a try block
   */
  void call(T bean) throws Exception;
}
