package dev.deferred.impl.operations;

import com.google.cloud.tasks.v2.CloudTasksClient;
import com.google.cloud.tasks.v2.Task;
import com.google.cloud.tasks.v2.TaskName;
import java.time.Instant;
import java.util.Optional;
import java.util.function.BiFunction;
import java.util.function.Supplier;

/**
 * When a task's first attempt was dispatched, as Cloud Tasks keeps it ({@code
 * Task.first_attempt.dispatch_time}): the handler's headers do not tell it, and the task exists in
 * Cloud Tasks only until the handler answers, so the failure store asks while recording.
 */
public final class FirstAttempts implements BiFunction<String, String, Optional<Instant>> {

  private final Supplier<CloudTasksClient> client;
  private final String project;
  private final String location;

  /**
   * A lookup.
   *
   * @param client the Cloud Tasks client, asked for when a failure is recorded
   * @param project the project of the queues
   * @param location the location of the queues
   */
  public FirstAttempts(Supplier<CloudTasksClient> client, String project, String location) {
    this.client = client;
    this.project = project;
    this.location = location;
  }

  @Override
  public Optional<Instant> apply(String queue, String taskName) {
    Task task = client.get().getTask(TaskName.of(project, location, queue, taskName));
    if (!task.hasFirstAttempt() || !task.getFirstAttempt().hasDispatchTime()) {
      return Optional.empty();
    }
    com.google.protobuf.Timestamp t = task.getFirstAttempt().getDispatchTime();
    return Optional.of(Instant.ofEpochSecond(t.getSeconds(), t.getNanos()));
  }
}
