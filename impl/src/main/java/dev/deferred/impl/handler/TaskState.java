package dev.deferred.impl.handler;

import jakarta.enterprise.context.RequestScoped;
import java.util.OptionalInt;

/** What the current request knows about its task; empty outside a task. */
@RequestScoped
public class TaskState {
  private TaskHeaders headers;
  private OptionalInt shardIndex = OptionalInt.empty();

  /** Marks the current request as a task with these headers. */
  public void fill(TaskHeaders headers) {
    this.headers = headers;
  }

  /** Set by the iteration engine when the task processes one shard. */
  public void shardIndex(int index) {
    this.shardIndex = OptionalInt.of(index);
  }

  TaskHeaders headers() {
    return headers;
  }

  OptionalInt shardIndexValue() {
    return shardIndex;
  }
}
