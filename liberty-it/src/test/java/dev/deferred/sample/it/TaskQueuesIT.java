package dev.deferred.sample.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.deferred.testing.PendingTask;
import dev.deferred.testing.RemoteTaskQueues;
import dev.deferred.testing.TaskQueues;
import jakarta.json.Json;
import java.net.URI;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The testing module against the running server: the sample's embedded emulator, driven over its
 * REST API on the port the build gave it ({@code deferred.emulator.http-port}).
 */
@ExtendWith(ServerLogOnFailure.class)
class TaskQueuesIT {

  private final RemoteTaskQueues tasks =
      TaskQueues.remote(
          URI.create(System.getProperty("it.emulator.url")), "deferred-local", "us-central1");

  @BeforeEach
  void holdTheMailQueue() {
    // While this test runs, tasks on "mail" wait for it; earlier tests' tasks there are done.
    tasks.pause("mail");
    tasks.flush("mail");
  }

  @AfterEach
  void releaseTheMailQueue() {
    tasks.resume("mail");
  }

  @Test
  void oneDeferredTaskIsPendingUntilTheTestRunsIt() {
    Defer defer = Defer.task("record").with("queue", "mail");
    defer.ok();

    tasks.assertCount("mail", 1);
    List<PendingTask> pending = tasks.pending("mail");
    assertThat(pending).hasSize(1);
    assertThat(pending.get(0).bean()).isEqualTo("dev.deferred.sample.Tasks");
    assertThat(pending.get(0).method()).isEqualTo("record");
    assertThat(pending.get(0).arguments()).startsWith(Json.createValue(defer.key()));
    assertThat(Journal.entries(defer.key())).isEmpty();

    assertThat(tasks.process("mail")).isEqualTo(1);

    tasks.assertCount("mail", 0);
    assertThat(Journal.entries(defer.key(), "ran")).hasSize(1);
  }
}
