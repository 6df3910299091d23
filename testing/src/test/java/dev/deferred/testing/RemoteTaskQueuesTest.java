package dev.deferred.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.deferred.Deferrer;
import dev.deferred.testing.internal.TestEnvironment;
import jakarta.inject.Inject;
import jakarta.json.Json;
import java.time.Duration;
import org.jboss.weld.junit5.auto.AddBeanClasses;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The remote driver against the emulator of this process, over its REST API, as an integration test
 * drives a server's emulator.
 */
@DeferredTest
@AddBeanClasses({Chores.class, Mailer.class})
class RemoteTaskQueuesTest {

  @Inject Deferrer deferrer;
  @Inject Mailer mailer;
  RemoteTaskQueues remote;

  @BeforeEach
  void connect() {
    Chores.DONE.clear();
    Mailer.SENT.clear();
    TestEnvironment env = TestEnvironment.current();
    remote =
        TaskQueues.remote(
            env.emulator().httpBaseUrl(), env.config().project(), env.config().location());
  }

  @Test
  void countsListsAndRunsOverTheRestApi() {
    mailer.send("ada@example.com", new Mailer.Letter("Welcome", 2));

    remote.assertCount("mail", 1);
    PendingTask task = remote.pending("mail").get(0);
    assertThat(task.bean()).isEqualTo(Mailer.class.getName());
    assertThat(task.method()).isEqualTo("send");
    assertThat(task.arguments())
        .containsExactly(
            Json.createValue("ada@example.com"),
            Json.createObjectBuilder().add("copies", 2).add("subject", "Welcome").build());
    assertThat(remote.process("mail")).isEqualTo(1);
    assertThat(Mailer.SENT).containsExactly("ada@example.com: Welcome");
    remote.assertCount(0);
  }

  @Test
  void aRemoteFailureNamesTheTaskAndTheServerLog() {
    deferrer.defer(Chores.class, c -> c.fail("remotely"));

    assertThatThrownBy(() -> remote.process())
        .isInstanceOf(TaskFailedError.class)
        .hasNoCause()
        .hasMessageEndingWith(
            "failed on attempt 1: the emulator recorded the attempt's status as INTERNAL. See the"
                + " log of the server that ran it for the reason. Choose FailureBehaviour.retry(n)"
                + " or IGNORE to let tasks fail.");
  }

  @Test
  void pauseAndResumeAreThereAndTheClockIsNot() {
    remote.resume("default");
    remote.pause("default");
    assertThatThrownBy(() -> remote.advanceClock(Duration.ofMinutes(1)))
        .isInstanceOf(UnsupportedOperationException.class)
        .hasMessage(
            "DEFERRED-7009: advanceClock is not available for a remote server: its emulator runs"
                + " on real time. Run the task now with run(task), whatever its ETA");
  }
}
