package dev.deferred.impl.operations;

import java.util.Map;
import java.util.function.Function;

/**
 * What the defer path and the task handler tell operations tooling (metrics, traces). Every method
 * has a no-op default, and {@link #NONE} is what runs without telemetry: a call on it does nothing.
 * Implementations are thread-safe and never throw.
 */
public interface TaskObserver {

  /** The observer that observes nothing. */
  TaskObserver NONE = new TaskObserver() {};

  /**
   * Both observers, {@code first} then {@code second}; {@code first} alone when {@code second} is
   * {@link #NONE}. Headers of both travel; {@code second}'s win on a clash.
   */
  static TaskObserver both(TaskObserver first, TaskObserver second) {
    if (second == NONE) {
      return first;
    }
    return new TaskObserver() {
      @Override
      public Map<String, String> deferring(String queue, String method) {
        Map<String, String> a = first.deferring(queue, method);
        Map<String, String> b = second.deferring(queue, method);
        if (a.isEmpty()) {
          return b;
        }
        Map<String, String> headers = new java.util.HashMap<>(a);
        headers.putAll(b);
        return headers;
      }

      @Override
      public void enqueued(String queue, String method) {
        first.enqueued(queue, method);
        second.enqueued(queue, method);
      }

      @Override
      public void enqueueFailed(String queue, String method, Throwable error) {
        first.enqueueFailed(queue, method, error);
        second.enqueueFailed(queue, method, error);
      }

      @Override
      public Execution executing(Function<String, String> header) {
        Execution a = first.executing(header);
        Execution b = second.executing(header);
        return new Execution() {
          @Override
          public void method(String method) {
            a.method(method);
            b.method(method);
          }

          @Override
          public void ended(Outcome outcome, int status) {
            a.ended(outcome, status);
            b.ended(outcome, status);
          }
        };
      }
    };
  }

  /** How a delivery ended. */
  enum Outcome {
    /** The method returned: 2xx. */
    SUCCEEDED,
    /** Cloud Tasks is asked to retry: non-2xx. */
    RETRIED,
    /** Acknowledged without success and recorded in the failure store. */
    FAILED_PERMANENTLY,
    /** Not a genuine task request (403, 413): nothing ran. */
    REJECTED
  }

  /**
   * A call is being deferred, on the caller's thread (for a transactional defer, inside the
   * caller's transaction): the returned headers travel with the task, so that the handler continues
   * the caller's trace.
   *
   * @param queue the queue id
   * @param method the call, {@code Type.method(ParamType)}
   * @return headers to add to the task; empty for none
   */
  default Map<String, String> deferring(String queue, String method) {
    return Map.of();
  }

  /**
   * The task was created in Cloud Tasks (immediately, or after commit).
   *
   * @param queue the queue id
   * @param method the call
   */
  default void enqueued(String queue, String method) {}

  /**
   * Cloud Tasks refused the task or could not be reached.
   *
   * @param queue the queue id
   * @param method the call
   * @param error what failed
   */
  default void enqueueFailed(String queue, String method, Throwable error) {}

  /**
   * A task request arrived; called before anything else, on the request's thread. The execution is
   * current on that thread until {@link Execution#ended} is called.
   *
   * @param header the request's headers (case-insensitive), {@code null} when absent
   * @return the execution to end
   */
  default Execution executing(Function<String, String> header) {
    return Execution.NONE;
  }

  /** One delivery of a task. */
  interface Execution {

    /** The execution that observes nothing. */
    Execution NONE = new Execution() {};

    /**
     * The call the task makes, once decoded.
     *
     * @param method {@code Type.method(ParamType)}
     */
    default void method(String method) {}

    /**
     * The delivery ended.
     *
     * @param outcome how
     * @param status the HTTP status answered
     */
    default void ended(Outcome outcome, int status) {}
  }
}
