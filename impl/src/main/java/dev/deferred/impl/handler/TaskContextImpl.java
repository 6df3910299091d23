package dev.deferred.impl.handler;

import dev.deferred.TaskContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.context.RequestScoped;
import jakarta.enterprise.inject.spi.BeanManager;
import jakarta.inject.Inject;
import java.time.Instant;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * {@link TaskContext}: reads the request-scoped {@link TaskState} when a request context is active,
 * and answers "not a task" otherwise, so it can be asked from any thread.
 */
@ApplicationScoped
public class TaskContextImpl implements TaskContext {

  @Inject BeanManager beanManager;
  @Inject TaskState state;

  private TaskHeaders headers() {
    try {
      return beanManager.getContext(RequestScoped.class).isActive() ? state.headers() : null;
    } catch (RuntimeException e) {
      return null;
    }
  }

  private TaskHeaders require() {
    TaskHeaders h = headers();
    if (h == null) {
      throw new IllegalStateException(
          "Not inside a task: check TaskContext.isTask() before asking for task details");
    }
    return h;
  }

  @Override
  public boolean isTask() {
    return headers() != null;
  }

  @Override
  public String queueName() {
    return require().queueName();
  }

  @Override
  public String taskName() {
    return require().taskName();
  }

  @Override
  public int retryCount() {
    return require().retryCount();
  }

  @Override
  public int executionCount() {
    return require().executionCount();
  }

  @Override
  public Optional<Instant> eta() {
    TaskHeaders h = headers();
    return h == null ? Optional.empty() : h.eta();
  }

  @Override
  public OptionalInt previousResponse() {
    TaskHeaders h = headers();
    return h == null ? OptionalInt.empty() : h.previousResponse();
  }

  @Override
  public Optional<String> retryReason() {
    TaskHeaders h = headers();
    return h == null ? Optional.empty() : h.retryReason();
  }

  @Override
  public OptionalInt shardIndex() {
    return headers() == null ? OptionalInt.empty() : state.shardIndexValue();
  }
}
