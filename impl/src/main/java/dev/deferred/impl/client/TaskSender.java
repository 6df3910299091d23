package dev.deferred.impl.client;

import dev.deferred.DuplicateTaskException;
import dev.deferred.EnqueueException;

/** Creates tasks in Cloud Tasks (or the emulator). Thread-safe. */
public interface TaskSender {

  /**
   * Creates a task.
   *
   * @return the short task id Cloud Tasks created
   * @throws DuplicateTaskException if the name is taken (always thrown; callers decide)
   * @throws EnqueueException for any other refusal or a network failure
   */
  String create(TaskSpec spec);
}
