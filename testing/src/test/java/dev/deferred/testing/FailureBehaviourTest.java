package dev.deferred.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.deferred.Deferrer;
import dev.deferred.PermanentTaskFailure;
import jakarta.inject.Inject;
import org.jboss.weld.junit5.auto.AddBeanClasses;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

@DeferredTest
@AddBeanClasses({Chores.class, FailureBehaviourTest.Permanent.class})
class FailureBehaviourTest {

  @Inject Deferrer deferrer;
  @Inject TaskQueues tasks;

  @BeforeEach
  void clear() {
    Chores.DONE.clear();
    Chores.FLAKY_RUNS.set(0);
  }

  @Test
  void raiseThrowsTaskFailedErrorWithTheTasksOwnException() {
    deferrer.defer(Chores.class, c -> c.fail("x"));
    PendingTask pending = tasks.pending().get(0);

    TaskFailedError error = catchThrowableOfType(TaskFailedError.class, () -> tasks.process());

    assertThat(error.getCause()).isInstanceOf(IllegalStateException.class).hasMessage("cannot x");
    assertThat(error.queue()).isEqualTo("default");
    assertThat(error.taskName()).isEqualTo(pending.name());
    assertThat(error.attempt()).isEqualTo(1);
    assertThat(error.status()).isEqualTo(500);
    assertThat(error.task()).isEqualTo(pending);
    assertThat(error)
        .hasMessage(
            "DEFERRED-7001: Task "
                + pending
                + " failed on attempt 1: the handler answered 500 (Task failed). The cause below is"
                + " the exception the task threw. Choose FailureBehaviour.retry(n) or IGNORE to let"
                + " tasks fail.");
    // Cloud Tasks would retry it: it stays queued, with its attempt counted.
    assertThat(tasks.pending()).extracting(PendingTask::attempts).containsExactly(1);
  }

  @Test
  void retryRunsAFailedTaskAgainUntilItSucceeds() {
    deferrer.defer(Chores.class, c -> c.flaky("third time"));

    assertThat(tasks.process(FailureBehaviour.retry(3))).isEqualTo(3);
    assertThat(Chores.DONE).containsExactly("third time");
    tasks.assertCount(0);
  }

  @Test
  void retryGivesUpAtItsLimitWithTheLastFailure() {
    deferrer.defer(Chores.class, c -> c.flaky("never"));

    TaskFailedError error =
        catchThrowableOfType(TaskFailedError.class, () -> tasks.process(FailureBehaviour.retry(2)));

    assertThat(error.attempt()).isEqualTo(2);
    assertThat(error.getCause()).hasMessage("not yet: never");
    assertThat(Chores.FLAKY_RUNS).hasValue(2);
  }

  @Test
  void ignoreDeletesTheFailedTaskAndGoesOn() {
    deferrer.defer(Chores.class, c -> c.fail("y"));
    deferrer.defer(Chores.class, c -> c.record("after"));

    assertThat(tasks.process(FailureBehaviour.IGNORE)).isEqualTo(2);
    assertThat(Chores.DONE).containsExactly("after");
    tasks.assertCount(0);
  }

  @Test
  void aPermanentFailureIsAFailureTooThoughTheHandlerAcknowledgesIt() {
    deferrer.defer(Permanent.class, p -> p.give_up());

    TaskFailedError error = catchThrowableOfType(TaskFailedError.class, () -> tasks.process());

    assertThat(error.status()).isEqualTo(200);
    assertThat(error.getCause()).isInstanceOf(PermanentTaskFailure.class).hasMessage("no point");
    // Acknowledged, so Cloud Tasks deleted it.
    tasks.assertCount(0);
  }

  @Test
  void retryNeedsTwoAttempts() {
    assertThatThrownBy(() -> FailureBehaviour.retry(1))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("retry(1) allows no retry: give at least 2 attempts, or use RAISE");
  }

  /** A task that fails for good. */
  @jakarta.enterprise.context.ApplicationScoped
  public static class Permanent {
    public void give_up() {
      throw new PermanentTaskFailure("no point");
    }
  }
}
