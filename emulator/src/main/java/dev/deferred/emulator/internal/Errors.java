package dev.deferred.emulator.internal;

import io.grpc.Status;
import io.grpc.StatusRuntimeException;

/**
 * Every error the emulator returns, in one place. Texts quoted from the real service (see
 * CLOUD_TASKS_FACTS.md) are reproduced byte for byte, including their grammar, because clients and
 * tests compare them; the others name the field, the value and the fix.
 */
final class Errors {
  private Errors() {}

  static final String ENTITY_NOT_FOUND = "Requested entity was not found.";
  static final String ALREADY_EXISTS = "Requested entity already exists";
  static final String TASK_TOMBSTONED =
      "The task no longer exists, though a task with this name existed recently. The task either"
          + " successfully completed or was deleted.";
  static final String QUEUE_MISSING_FOR_TASK =
      "Queue does not exist. If you just created the queue, wait at least a minute for the queue"
          + " to initialize.";
  static final String QUEUE_TOMBSTONED =
      "The queue cannot be created because a queue with this name existed too recently.";
  static final String SCHEDULE_TOO_FAR =
      "Task.scheduleTime must be no more than 720h in the future.";
  static final String HTTP_DEADLINE = "Task.dispatchDeadline must be between [15s, 30m].";
  static final String APP_ENGINE_DEADLINE = "Task.dispatchDeadline must be between [15s, 24h15s].";
  static final String HTTP_URL_REQUIRED = "HttpRequest.url is required.";

  static StatusRuntimeException invalid(String message) {
    return Status.INVALID_ARGUMENT.withDescription(message).asRuntimeException();
  }

  static StatusRuntimeException notFound(String message) {
    return Status.NOT_FOUND.withDescription(message).asRuntimeException();
  }

  static StatusRuntimeException alreadyExists() {
    return Status.ALREADY_EXISTS.withDescription(ALREADY_EXISTS).asRuntimeException();
  }

  static StatusRuntimeException failedPrecondition(String message) {
    return Status.FAILED_PRECONDITION.withDescription(message).asRuntimeException();
  }

  static String taskId(String id) {
    return "Task ID \""
        + id
        + "\" can contain only letters ([A-Za-z]), numbers ([0-9]), hyphens (-), or underscores"
        + " (_). Task ID must between 1 and 500 characters.";
  }

  static String queueId(String id) {
    return "Queue ID \""
        + id
        + "\" can contain only letters ([A-Za-z]), numbers ([0-9]), or hyphens (-). Queue ID must"
        + " be between 1 and 100 characters.";
  }

  static String taskQueueMismatch(String requestQueue, String taskQueue) {
    return "The queue name from request ('"
        + requestQueue
        + "') must be the same as the queue name in the named task ('"
        + taskQueue
        + "').";
  }
}
