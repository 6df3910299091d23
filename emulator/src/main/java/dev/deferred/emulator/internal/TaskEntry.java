package dev.deferred.emulator.internal;

import com.google.cloud.tasks.v2.Task;
import java.time.Instant;

/** A live task. Guarded by the lock of its {@link QueueEntry}. */
final class TaskEntry {
  final String id;

  /** The stored task in FULL view (no {@code view} field set). */
  Task task;

  /** When the task is next due, in emulator time. */
  Instant due;

  /** Bumped whenever the task's place in the due heap changes: stale heap entries are skipped. */
  long generation;

  /** Dispatches currently running for this task (RunTask can add one to a scheduled one). */
  int inFlight;

  boolean removed;

  /** Responses that count for TaskExecutionCount (HTTP targets exclude 5xx). */
  int executionCount;

  /** The HTTP status of the previous attempt, for TaskPreviousResponse; 0 before any. */
  int previousResponse;

  TaskEntry(String id, Task task, Instant due) {
    this.id = id;
    this.task = task;
    this.due = due;
  }
}
