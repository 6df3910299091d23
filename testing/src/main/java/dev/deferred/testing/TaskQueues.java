package dev.deferred.testing;

import java.net.URI;
import java.time.Duration;
import java.util.List;

/**
 * Runs, counts, lists and asserts deferred tasks from a test (djangae's {@code
 * process_task_queues}, {@code get_task_count}, {@code assertNumTasksEquals}, {@code
 * flush_task_queues}).
 *
 * <p>In a {@link DeferredTest}, inject it ({@code @Inject TaskQueues tasks;}) or declare it as a
 * test method parameter. Against a running server, use {@link #remote(URI, String, String)}.
 *
 * <p>In a {@link DeferredTest} the queues are paused: nothing runs until {@link #process()} or
 * {@link #run(PendingTask)} runs it. A task runs through the library's real handler path: the
 * emulator dispatches it over HTTP with its OIDC token, the handler checks the request and the
 * signature, decodes the call, looks the bean up through CDI and invokes the method with its
 * interceptors; nothing calls the bean method directly.
 *
 * <p>Not thread-safe: call it from the test's thread.
 */
public interface TaskQueues {

  /** How many tasks one {@code process} call runs at most, unless told otherwise. */
  int DEFAULT_MAX_TASKS = 1000;

  /**
   * Runs every due task of every queue until none is due, tasks deferred by those tasks included,
   * and throws {@link TaskFailedError} at the first failure. Tasks scheduled later (countdown, ETA)
   * stay queued: {@link #advanceClock(Duration)} makes them due.
   *
   * @return how many task attempts ran
   * @throws TaskFailedError if a task fails
   * @throws AssertionError if {@value #DEFAULT_MAX_TASKS} attempts did not empty the queues, which
   *     is what a task that defers itself again on every run does
   */
  default int process() {
    return process(null, FailureBehaviour.RAISE, DEFAULT_MAX_TASKS);
  }

  /**
   * Like {@link #process()}, for one queue.
   *
   * @param queue the queue id
   * @return how many task attempts ran
   */
  default int process(String queue) {
    return process(queue, FailureBehaviour.RAISE, DEFAULT_MAX_TASKS);
  }

  /**
   * Like {@link #process()}, with a choice of what a failing task does.
   *
   * @param onFailure {@link FailureBehaviour#RAISE}, {@link FailureBehaviour#retry(int)} or {@link
   *     FailureBehaviour#IGNORE}
   * @return how many task attempts ran
   */
  default int process(FailureBehaviour onFailure) {
    return process(null, onFailure, DEFAULT_MAX_TASKS);
  }

  /**
   * Runs due tasks of one queue, or of all, until none is due.
   *
   * @param queue the queue id, or {@code null} for every queue
   * @param onFailure what a failing task does
   * @param maxTasks the most task attempts to run; more due tasks after that is an error naming the
   *     pending tasks (a task that re-defers itself forever never lets the queues empty)
   * @return how many task attempts ran
   * @throws TaskFailedError on a failure, as {@code onFailure} says
   * @throws AssertionError when the bound is reached
   */
  int process(String queue, FailureBehaviour onFailure, int maxTasks);

  /**
   * Runs one pending task now, whether it is due or not, once.
   *
   * @param task a task from {@link #pending()}
   * @throws TaskFailedError if it fails
   */
  void run(PendingTask task);

  /** Deletes every task of every queue (Cloud Tasks' PurgeQueue). */
  void flush();

  /**
   * Deletes every task of one queue.
   *
   * @param queue the queue id
   */
  void flush(String queue);

  /**
   * Counts the tasks of every queue, due or scheduled later.
   *
   * @return the number of tasks
   */
  int count();

  /**
   * Counts the tasks of one queue, due or scheduled later.
   *
   * @param queue the queue id
   * @return the number of tasks
   */
  int count(String queue);

  /**
   * Asserts how many tasks all queues hold.
   *
   * @param expected the expected number
   * @throws AssertionError listing every pending task (queue, bean, method, arguments, ETA) when
   *     the count differs
   */
  void assertCount(int expected);

  /**
   * Asserts how many tasks one queue holds.
   *
   * @param queue the queue id
   * @param expected the expected number
   * @throws AssertionError listing the queue's pending tasks when the count differs
   */
  void assertCount(String queue, int expected);

  /**
   * The tasks of every queue, in queue order and then by ETA.
   *
   * @return the pending tasks with their bean, method and arguments
   */
  List<PendingTask> pending();

  /**
   * The tasks of one queue, by ETA.
   *
   * @param queue the queue id
   * @return the pending tasks
   */
  List<PendingTask> pending(String queue);

  /**
   * Moves the emulator's clock forward, so that tasks with a countdown or ETA within {@code amount}
   * become due for {@link #process()}. The clock starts every test at the real time.
   *
   * @param amount how far; not negative
   * @throws UnsupportedOperationException for a remote server, whose emulator runs on real time
   */
  void advanceClock(Duration amount);

  /**
   * Drives the emulator of a running server over its REST API, for integration tests: the
   * application's embedded emulator, or an external one. Tasks run as they do in production,
   * delivered to the server by its emulator; a failure's {@link TaskFailedError} has no cause (the
   * exception is in the server's log). Arguments are listed as JSON values.
   *
   * <p>The server's queues run on their own unless paused: pause a queue with {@link
   * RemoteTaskQueues#pause(String)} before deferring what the test wants to inspect.
   *
   * @param emulatorUrl the emulator's HTTP base URL, e.g. {@code http://localhost:9023}
   * @param project the project of the queues ({@code deferred.project}; {@code deferred-local} by
   *     default outside cloud mode)
   * @param location the location of the queues ({@code us-central1} by default)
   * @return a driver for that emulator
   */
  static RemoteTaskQueues remote(URI emulatorUrl, String project, String location) {
    return new RemoteTaskQueues(emulatorUrl, project, location);
  }
}
