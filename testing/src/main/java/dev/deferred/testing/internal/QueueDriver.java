package dev.deferred.testing.internal;

import com.google.cloud.tasks.v2.Task;
import com.google.protobuf.Timestamp;
import dev.deferred.testing.FailureBehaviour;
import dev.deferred.testing.PendingTask;
import dev.deferred.testing.TaskFailedError;
import dev.deferred.testing.TaskQueues;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * What both drivers of {@link TaskQueues} share: the processing loop, the failure behaviours, the
 * bound, counting and assertions. Subclasses say how to list, run and delete tasks of one emulator.
 */
public abstract class QueueDriver implements TaskQueues {

  /** The result of one attempt. */
  protected record Outcome(boolean success, int status, Throwable cause, String detail) {}

  /** How long one attempt may take before the test is failed. */
  protected static final Duration ATTEMPT_TIMEOUT = Duration.ofMinutes(5);

  /** The ids of the queues, in order. */
  protected abstract List<String> queueIds();

  /** The tasks of a queue, full view. */
  protected abstract List<Task> tasks(String queue);

  /**
   * Runs a task once and waits until the emulator has its outcome.
   *
   * @param retryCount how many times the task was dispatched before this attempt
   */
  protected abstract Outcome runOnce(Task task, int retryCount, PendingTask described);

  /** Whether the task is still queued. */
  protected abstract boolean exists(Task task);

  /** Deletes a task, if it still exists. */
  protected abstract void delete(Task task);

  /** Deletes every task of a queue. */
  protected abstract void purge(String queue);

  /** The task with its call decoded. */
  protected abstract PendingTask describe(String queue, Task task);

  /** The emulator's time. */
  protected abstract Instant now();

  @Override
  public int process(String queue, FailureBehaviour onFailure, int maxTasks) {
    if (maxTasks < 1) {
      throw new IllegalArgumentException("maxTasks must be at least 1, was " + maxTasks);
    }
    List<String> queues = queue == null ? queueIds() : List.of(known(queue));
    int ran = 0;
    while (true) {
      Due next = nextDue(queues);
      if (next == null) {
        return ran;
      }
      if (ran >= maxTasks) {
        throw new AssertionError(TestingMessages.boundReached(queues, maxTasks, allDue(queues)));
      }
      PendingTask described = describe(next.queue(), next.task());
      int attempt = next.task().getDispatchCount() + 1;
      Outcome outcome = runOnce(next.task(), attempt - 1, described);
      ran++;
      int tries = 1;
      while (!outcome.success()
          && tries < onFailure.attempts()
          && exists(next.task())
          && ran < maxTasks) {
        attempt++;
        outcome = runOnce(next.task(), attempt - 1, described);
        ran++;
        tries++;
      }
      if (outcome.success()) {
        continue;
      }
      if (onFailure == FailureBehaviour.IGNORE) {
        delete(next.task());
        continue;
      }
      throw failed(described, attempt, outcome);
    }
  }

  @Override
  public void run(PendingTask task) {
    Task found = null;
    for (Task t : tasks(known(task.queue()))) {
      if (shortName(t).equals(task.name())) {
        found = t;
      }
    }
    if (found == null) {
      throw new AssertionError(TestingMessages.noLongerQueued(task));
    }
    PendingTask described = describe(task.queue(), found);
    Outcome outcome = runOnce(found, found.getDispatchCount(), described);
    if (!outcome.success()) {
      throw failed(described, found.getDispatchCount() + 1, outcome);
    }
  }

  private static TaskFailedError failed(PendingTask task, int attempt, Outcome outcome) {
    return new TaskFailedError(
        TestingMessages.taskFailed(
            task, attempt, outcome.status(), outcome.detail(), outcome.cause() != null),
        task,
        attempt,
        outcome.status(),
        outcome.cause());
  }

  private record Due(String queue, Task task) {}

  private Due nextDue(List<String> queues) {
    Instant now = now();
    Due best = null;
    for (String q : queues) {
      for (Task t : tasks(q)) {
        if (!eta(t).isAfter(now) && (best == null || eta(t).isBefore(eta(best.task())))) {
          best = new Due(q, t);
        }
      }
    }
    return best;
  }

  private List<PendingTask> allDue(List<String> queues) {
    Instant now = now();
    List<PendingTask> due = new ArrayList<>();
    for (String q : queues) {
      for (Task t : tasks(q)) {
        if (!eta(t).isAfter(now)) {
          due.add(describe(q, t));
        }
      }
    }
    return due;
  }

  @Override
  public void flush() {
    for (String q : queueIds()) {
      purge(q);
    }
  }

  @Override
  public void flush(String queue) {
    purge(known(queue));
  }

  @Override
  public int count() {
    int n = 0;
    for (String q : queueIds()) {
      n += tasks(q).size();
    }
    return n;
  }

  @Override
  public int count(String queue) {
    return tasks(known(queue)).size();
  }

  @Override
  public void assertCount(int expected) {
    if (count() != expected) {
      throw new AssertionError(TestingMessages.countMismatch(null, expected, pending()));
    }
  }

  @Override
  public void assertCount(String queue, int expected) {
    if (count(queue) != expected) {
      throw new AssertionError(TestingMessages.countMismatch(queue, expected, pending(queue)));
    }
  }

  @Override
  public List<PendingTask> pending() {
    List<PendingTask> all = new ArrayList<>();
    for (String q : queueIds()) {
      all.addAll(pending(q));
    }
    return all;
  }

  @Override
  public List<PendingTask> pending(String queue) {
    String q = known(queue);
    return tasks(q).stream()
        .sorted(Comparator.comparing(QueueDriver::eta).thenComparing(QueueDriver::shortName))
        .map(t -> describe(q, t))
        .toList();
  }

  /** The queue id, checked against the configured queues. */
  protected String known(String queue) {
    List<String> queues = queueIds();
    if (!queues.contains(queue)) {
      throw new IllegalArgumentException(TestingMessages.unknownQueue(queue, queues));
    }
    return queue;
  }

  /** A task's schedule time. */
  protected static Instant eta(Task t) {
    Timestamp ts = t.getScheduleTime();
    return Instant.ofEpochSecond(ts.getSeconds(), ts.getNanos());
  }

  /** The task id, the last segment of its name. */
  protected static String shortName(Task t) {
    String name = t.getName();
    return name.substring(name.lastIndexOf('/') + 1);
  }
}
