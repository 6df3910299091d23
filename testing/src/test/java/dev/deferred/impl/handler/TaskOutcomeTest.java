package dev.deferred.impl.handler;

import static java.util.concurrent.TimeUnit.SECONDS;
import static org.assertj.core.api.Assertions.assertThat;

import dev.deferred.DeferOptions;
import dev.deferred.Deferrer;
import dev.deferred.PermanentTaskFailure;
import dev.deferred.impl.testing.DeferredTest;
import dev.deferred.impl.testing.DeferredTestExtension;
import dev.deferred.impl.testing.LibraryParts;
import dev.deferred.testing.internal.TaskHttpServer;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.jboss.weld.junit5.auto.AddBeanClasses;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Each outcome of a task, as the emulator delivers it over HTTP and sees the status. */
@DeferredTest
@AddBeanClasses(Outcomes.class)
class TaskOutcomeTest {

  @Inject Deferrer deferrer;

  @BeforeEach
  void clear() {
    Outcomes.ATTEMPTS.clear();
    Outcomes.EVENTS.clear();
    DeferredTestExtension.server().exchanges().clear();
  }

  @AfterEach
  void settle() {
    DeferredTestExtension.awaitIdle();
  }

  private List<Integer> statuses() {
    List<Integer> statuses = new ArrayList<>();
    for (TaskHttpServer.Exchange e : DeferredTestExtension.server().exchanges()) {
      statuses.add(e.status());
    }
    return statuses;
  }

  @Test
  void successAnswers200AndRunsOnce() throws Exception {
    deferrer.defer(Outcomes.class, o -> o.succeed("a"));

    assertThat(Outcomes.EVENTS.poll(30, SECONDS)).isEqualTo("ok a 1");
    DeferredTestExtension.awaitIdle();
    assertThat(statuses()).containsExactly(200);
    assertThat(LibraryParts.failureStore().recent(10)).isEmpty();
  }

  @Test
  void permanentTaskFailureIsAcknowledgedAndRecordedNeverRetried() {
    deferrer.defer(Outcomes.class, o -> o.permanent("b"));

    DeferredTestExtension.awaitIdle();
    assertThat(Outcomes.ATTEMPTS.get("b")).hasValue(1);
    assertThat(statuses()).containsExactly(200);
    assertThat(LibraryParts.failureStore().recent(10))
        .singleElement()
        .satisfies(
            f -> {
              assertThat(f.exceptionClass()).isEqualTo(PermanentTaskFailure.class.getName());
              assertThat(f.message()).isEqualTo("Order b no longer exists");
              assertThat(f.queue()).isEqualTo("default");
              assertThat(f.method()).isEqualTo("Outcomes.permanent(String)");
              assertThat(f.beanType()).isEqualTo(Outcomes.class.getName());
            });
  }

  @Test
  void singularTaskFailureAnswers408IsRetriedAndThenSucceeds() throws Exception {
    deferrer.defer(Outcomes.class, o -> o.singularOnce("c"));

    assertThat(Outcomes.EVENTS.poll(30, SECONDS)).isEqualTo("ok c 2");
    DeferredTestExtension.awaitIdle();
    // 408, as djangae answers: retried like any non-2xx, and not an error in logs and alerts.
    assertThat(statuses()).containsExactly(408, 200);
    assertThat(LibraryParts.failureStore().recent(10)).isEmpty();
  }

  @Test
  void anExceptionIsRetriedAndThenSucceeds() throws Exception {
    deferrer.defer(Outcomes.class, o -> o.failOnce("d"));

    assertThat(Outcomes.EVENTS.poll(30, SECONDS)).isEqualTo("ok d 2");
    DeferredTestExtension.awaitIdle();
    assertThat(statuses()).containsExactly(500, 200);
  }

  @Test
  void maxAttemptsStopsRetriesAfterTheLastAttemptAndRecordsTheFailure() {
    deferrer.defer(Outcomes.class, o -> o.alwaysFail("e"), DeferOptions.defaults().maxAttempts(3));

    DeferredTestExtension.awaitIdle();
    assertThat(Outcomes.ATTEMPTS.get("e")).hasValue(3);
    assertThat(statuses()).containsExactly(500, 500, 200);
    assertThat(LibraryParts.failureStore().recent(10))
        .singleElement()
        .satisfies(
            f -> {
              assertThat(f.message()).isEqualTo("always e");
              assertThat(f.retryCount()).isEqualTo(2);
            });
  }

  @Test
  void maxAgeStopsATaskThatStartsTooLate() {
    // The countdown makes the first attempt start after the age limit has passed.
    deferrer.defer(
        Outcomes.class,
        o -> o.succeed("f"),
        DeferOptions.defaults().maxAge(Duration.ofMillis(1)).countdown(Duration.ofMillis(300)));

    DeferredTestExtension.awaitIdle();
    assertThat(Outcomes.ATTEMPTS).doesNotContainKey("f");
    assertThat(statuses()).containsExactly(200);
    assertThat(LibraryParts.failureStore().recent(10))
        .singleElement()
        .satisfies(f -> assertThat(f.message()).contains("more than its maxAge of PT0.001S"));
  }
}
