package dev.deferred.impl.defer;

import dev.deferred.DeferredTask;
import dev.deferred.EnqueueException;
import java.util.Optional;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/** A {@link DeferredTask} whose state moves once, from PENDING to its outcome. */
public final class DeferredTaskImpl implements DeferredTask {
  private final String queue;
  private final CompletableFuture<DeferredTask> completion = new CompletableFuture<>();
  private volatile State state;
  private volatile String name;

  private DeferredTaskImpl(String queue, State state, String name) {
    this.queue = queue;
    this.state = state;
    this.name = name;
  }

  public static DeferredTaskImpl pending(String queue) {
    return new DeferredTaskImpl(queue, State.PENDING, null);
  }

  public static DeferredTaskImpl enqueued(String queue, String name) {
    DeferredTaskImpl t = new DeferredTaskImpl(queue, State.ENQUEUED, name);
    t.completion.complete(t);
    return t;
  }

  public static DeferredTaskImpl duplicate(String queue, String name) {
    DeferredTaskImpl t = new DeferredTaskImpl(queue, State.DUPLICATE, name);
    t.completion.complete(t);
    return t;
  }

  public void markEnqueued(String taskName) {
    name = taskName;
    state = State.ENQUEUED;
    completion.complete(this);
  }

  public void markDuplicate(String taskName) {
    name = taskName;
    state = State.DUPLICATE;
    completion.complete(this);
  }

  public void markDropped() {
    state = State.DROPPED;
    completion.completeExceptionally(
        new CancellationException("The transaction rolled back: the task was not enqueued"));
  }

  public void markFailed(EnqueueException e) {
    state = State.FAILED;
    completion.completeExceptionally(e);
  }

  @Override
  public String queue() {
    return queue;
  }

  @Override
  public State state() {
    return state;
  }

  @Override
  public Optional<String> name() {
    return Optional.ofNullable(name);
  }

  @Override
  public CompletionStage<DeferredTask> completion() {
    return completion.minimalCompletionStage();
  }

  @Override
  public String toString() {
    return "DeferredTask[queue=" + queue + ", state=" + state + ", name=" + name + "]";
  }
}
