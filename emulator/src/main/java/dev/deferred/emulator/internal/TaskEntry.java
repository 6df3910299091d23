package dev.deferred.emulator.internal;

import com.google.cloud.tasks.v2.Task;
import java.time.Instant;
import java.util.ArrayDeque;

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

  /** One finished attempt: an HTTP status, or 0 and why there was no response. */
  record AttemptRecord(Instant dispatched, Instant responded, int httpStatus, String error) {}

  /** The last {@link #MAX_ATTEMPT_RECORDS} attempts, oldest first, for the console. */
  final ArrayDeque<AttemptRecord> attempts = new ArrayDeque<>();

  static final int MAX_ATTEMPT_RECORDS = 20;

  void recordAttempt(AttemptRecord attempt) {
    if (attempts.size() == MAX_ATTEMPT_RECORDS) {
      attempts.removeFirst();
    }
    attempts.addLast(attempt);
  }

  TaskEntry(String id, Task task, Instant due) {
    this.id = id;
    this.task = task;
    this.due = due;
  }
}
