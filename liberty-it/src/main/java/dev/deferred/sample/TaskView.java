package dev.deferred.sample;

import dev.deferred.TaskContext;

/**
 * A snapshot of a {@link TaskContext}, taken inside the task (the context is request scoped and
 * gone afterwards). Empty values are {@code null} so that JSON-B leaves them out.
 */
public record TaskView(
    boolean isTask,
    String queueName,
    String taskName,
    Integer retryCount,
    Integer executionCount,
    String eta,
    Integer previousResponse,
    String retryReason,
    Integer shardIndex) {

  static TaskView of(TaskContext context) {
    if (!context.isTask()) {
      return new TaskView(
          false,
          null,
          null,
          null,
          null,
          context.eta().map(Object::toString).orElse(null),
          context.previousResponse().isPresent() ? context.previousResponse().getAsInt() : null,
          context.retryReason().orElse(null),
          context.shardIndex().isPresent() ? context.shardIndex().getAsInt() : null);
    }
    return new TaskView(
        true,
        context.queueName(),
        context.taskName(),
        context.retryCount(),
        context.executionCount(),
        context.eta().map(Object::toString).orElse(null),
        context.previousResponse().isPresent() ? context.previousResponse().getAsInt() : null,
        context.retryReason().orElse(null),
        context.shardIndex().isPresent() ? context.shardIndex().getAsInt() : null);
  }
}
