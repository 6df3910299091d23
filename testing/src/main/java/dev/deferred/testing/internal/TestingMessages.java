package dev.deferred.testing.internal;

import dev.deferred.testing.PendingTask;
import java.time.Duration;
import java.util.Collection;
import java.util.List;

/**
 * Every message of the testing module, with its stable id (DEFERRED-7nnn). Never reuse a retired
 * number.
 */
public final class TestingMessages {
  private TestingMessages() {}

  static String taskFailed(
      PendingTask task, int attempt, int status, String detail, boolean cause) {
    return "DEFERRED-7001: Task "
        + task
        + " failed on attempt "
        + attempt
        + ": "
        + (status > 0 ? "the handler answered " + status + " (" + detail + ")" : detail)
        + (cause
            ? ". The cause below is the exception the task threw"
            : ". See the log of the server that ran it for the reason")
        + ". Choose FailureBehaviour.retry(n) or IGNORE to let tasks fail.";
  }

  static String boundReached(Collection<String> queues, int maxTasks, List<PendingTask> due) {
    StringBuilder b =
        new StringBuilder("DEFERRED-7002: Processing ")
            .append(queues.size() == 1 ? "queue '" + queues.iterator().next() + "'" : "the queues")
            .append(" stopped after ")
            .append(maxTasks)
            .append(" task attempts with tasks still due: a task that defers itself again every")
            .append(" time it runs never lets its queue empty. If the work really is that long,")
            .append(" pass a larger maxTasks to process(queue, onFailure, maxTasks). Due now:");
    list(b, due);
    return b.toString();
  }

  static String countMismatch(String queue, int expected, List<PendingTask> pending) {
    StringBuilder b =
        new StringBuilder("DEFERRED-7003: Expected ")
            .append(expected)
            .append(expected == 1 ? " task" : " tasks")
            .append(queue == null ? " in all queues" : " in queue '" + queue + "'")
            .append(" but found ")
            .append(pending.size());
    if (!pending.isEmpty()) {
      b.append(':');
      list(b, pending);
    }
    return b.toString();
  }

  static String unknownQueue(String queue, Collection<String> queues) {
    return "DEFERRED-7004: Queue '"
        + queue
        + "' is not configured: the queues are "
        + queues
        + ". Add deferred.queues."
        + queue
        + ".rate-per-second (or any deferred.queues."
        + queue
        + ".* key) to microprofile-config.properties, @DeferredTest(config) or @TestConfig";
  }

  static String stillRunning(String task, Duration waited) {
    return "DEFERRED-7005: Task "
        + task
        + " was still running after "
        + waited
        + ": it blocks, or waits for something the test holds (a lock, a transaction)";
  }

  static String noEnvironment() {
    return "DEFERRED-7006: No Deferred test is running: TaskQueues is available in a class"
        + " annotated @DeferredTest (or extended with DeferredTestExtension)";
  }

  static String badEntry(String entry) {
    return "DEFERRED-7007: Configuration entry '"
        + entry
        + "' is not key=value: write it as \"deferred.queues.mail.rate-per-second=5\"";
  }

  public static String methodConfigPerClass(String method) {
    return "DEFERRED-7008: @TestConfig on "
        + method
        + " cannot apply: the class uses @TestInstance(Lifecycle.PER_CLASS), so its container and"
        + " configuration were created once for all its tests. Move the entries to"
        + " @DeferredTest(config) or use a container per test method (the default)";
  }

  static String remoteClock() {
    return "DEFERRED-7009: advanceClock is not available for a remote server: its emulator runs on"
        + " real time. Run the task now with run(task), whatever its ETA";
  }

  static String remoteCallFailed(String method, String url, int status, String body) {
    return "DEFERRED-7010: The emulator answered "
        + status
        + " to "
        + method
        + " "
        + url
        + ": "
        + body
        + ". Check the emulator's URL, project and location";
  }

  static String remoteUnreachable(String url, Exception e) {
    return "DEFERRED-7011: The emulator at "
        + url
        + " could not be reached ("
        + e
        + "): is the server running, and is the emulator's HTTP port the one given?";
  }

  static String notAllowedNegative(Duration amount) {
    return "DEFERRED-7012: advanceClock("
        + amount
        + ") would move the clock backwards: give a positive duration";
  }

  static String ownKey(String key, String value, String where) {
    return "DEFERRED-7014: "
        + key
        + "="
        + value
        + " in "
        + where
        + " cannot apply: a Deferred test runs the library in emulator mode on the test's own"
        + " emulator, whose queues it pauses so that TaskQueues decides when tasks run; the mode,"
        + " the emulator's address and JWKS and the creation of the queues are the test's. Remove"
        + " the entry, and test embedded or cloud mode on a running server (TaskQueues.remote"
        + " drives its emulator)";
  }

  static String noLongerQueued(PendingTask task) {
    return "DEFERRED-7013: Task " + task + " is no longer queued: it ran or was deleted already";
  }

  private static void list(StringBuilder b, List<PendingTask> tasks) {
    for (PendingTask t : tasks) {
      b.append("\n  - ").append(t);
    }
  }
}
