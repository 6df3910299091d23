package dev.deferred.testing.internal;

import com.google.api.gax.rpc.NotFoundException;
import com.google.cloud.tasks.v2.CloudTasksClient;
import com.google.cloud.tasks.v2.ListTasksRequest;
import com.google.cloud.tasks.v2.QueueName;
import com.google.cloud.tasks.v2.Task;
import dev.deferred.impl.Library;
import dev.deferred.impl.config.DeferredConfig;
import dev.deferred.impl.store.PayloadStore;
import dev.deferred.testing.PendingTask;
import jakarta.enterprise.inject.spi.CDI;
import jakarta.json.bind.Jsonb;
import jakarta.json.bind.JsonbBuilder;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * {@code TaskQueues} in a {@code @DeferredTest}: the emulator of the test's own process, driven
 * over its gRPC API; tasks delivered by the emulator to the test's task server, which hands them to
 * the library's handler.
 */
final class InProcessDriver extends QueueDriver {
  private final TestEnvironment env;
  private Jsonb jsonb;

  InProcessDriver(TestEnvironment env) {
    this.env = env;
  }

  private CloudTasksClient client() {
    return env.client();
  }

  private DeferredConfig config() {
    return env.config();
  }

  private String queueName(String queue) {
    return QueueName.of(config().project(), config().location(), queue).toString();
  }

  @Override
  protected List<String> queueIds() {
    return List.copyOf(config().queues().keySet());
  }

  @Override
  protected List<Task> tasks(String queue) {
    List<Task> tasks = new ArrayList<>();
    ListTasksRequest request =
        ListTasksRequest.newBuilder()
            .setParent(queueName(queue))
            .setResponseView(Task.View.FULL)
            .build();
    for (Task t : client().listTasks(request).iterateAll()) {
      tasks.add(t);
    }
    return tasks;
  }

  @Override
  protected Outcome runOnce(Task task, int retryCount, PendingTask described) {
    try {
      client().runTask(task.getName());
    } catch (NotFoundException e) {
      return new Outcome(false, 0, null, "the task is no longer queued");
    }
    // The queues are paused, so the emulator is idle once this dispatch has its answer.
    if (!env.emulator().awaitIdle(ATTEMPT_TIMEOUT)) {
      throw new AssertionError(TestingMessages.stillRunning(described.toString(), ATTEMPT_TIMEOUT));
    }
    TaskHttpServer.Exchange exchange = env.server().find(shortName(task), retryCount);
    if (exchange != null) {
      return new Outcome(
          exchange.succeeded(), exchange.status(), exchange.failure(), exchange.response());
    }
    // Sent to another URL (a handlerUrl option): the emulator's record of the attempt tells.
    try {
      Task after = client().getTask(task.getName());
      return new Outcome(
          false, 0, null, "the attempt ended with " + after.getLastAttempt().getResponseStatus());
    } catch (NotFoundException e) {
      return new Outcome(true, 0, null, "done");
    }
  }

  @Override
  protected boolean exists(Task task) {
    try {
      client().getTask(task.getName());
      return true;
    } catch (NotFoundException e) {
      return false;
    }
  }

  @Override
  protected void delete(Task task) {
    try {
      client().deleteTask(task.getName());
    } catch (NotFoundException e) {
      // already gone: what was asked
    }
  }

  @Override
  protected void purge(String queue) {
    client().purgeQueue(queueName(queue));
  }

  @Override
  protected PendingTask describe(String queue, Task task) {
    if (jsonb == null) {
      jsonb = JsonbBuilder.create();
    }
    ClassLoader loader = Thread.currentThread().getContextClassLoader();
    if (loader == null) {
      loader = InProcessDriver.class.getClassLoader();
    }
    return Payloads.local(queue, task, env.signer(), jsonb, payloadStore(), loader);
  }

  private static Optional<PayloadStore> payloadStore() {
    try {
      return Optional.of(CDI.current().select(PayloadStore.class, Library.LITERAL).get());
    } catch (IllegalStateException e) {
      return Optional.empty();
    }
  }

  @Override
  protected Instant now() {
    return env.clock().now();
  }

  @Override
  public void advanceClock(Duration amount) {
    env.clock().advance(amount);
  }

  void close() {
    if (jsonb != null) {
      try {
        jsonb.close();
      } catch (Exception e) {
        // nothing held that matters
      }
      jsonb = null;
    }
  }
}
