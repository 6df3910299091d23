package dev.deferred;

/**
 * The per-row call of an iteration, written as a lambda on the bean: {@code (mailer, order) ->
 * mailer.remind(order, subject)}.
 *
 * <p>Like {@link DeferredCall}, the lambda runs once, at the call site, on a recording stand-in for
 * the bean and a placeholder row: only the method and its arguments are captured, and the compiler
 * checks both. The lambda must call exactly one method of the bean and pass it {@code row} (at any
 * position); every other argument is evaluated now and travels in the task payload, like the
 * arguments of a deferred call. When a shard runs, the method is invoked on the real bean once per
 * row, with the row in place of the placeholder.
 *
 * @param <T> the bean type
 * @param <E> the entity type of the rows
 */
@FunctionalInterface
public interface RowCallback<T, E> {

  /**
   * Calls one method of {@code bean} with {@code row} as one of its arguments.
   *
   * @param bean a recording stand-in for the bean
   * @param row a placeholder for the row; pass it on, do not read it
   * @throws Exception never thrown by the stand-in; declared so that methods with checked
   *     exceptions need no try block
   */
  void call(T bean, E row) throws Exception;
}
