package dev.deferred.impl.operations;

import static java.util.concurrent.TimeUnit.SECONDS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.cloud.tasks.v2.CloudTasksClient;
import com.google.cloud.tasks.v2.GetTaskRequest;
import com.google.cloud.tasks.v2.QueueName;
import com.google.cloud.tasks.v2.Task;
import com.google.cloud.tasks.v2.TaskName;
import dev.deferred.DeferOptions;
import dev.deferred.DeferredTask;
import dev.deferred.Deferrer;
import dev.deferred.FailedTask;
import dev.deferred.FailedTaskFilter;
import dev.deferred.FailedTaskPage;
import dev.deferred.FailedTasks;
import dev.deferred.impl.store.TaskFailure;
import dev.deferred.impl.testing.DeferredTestExtension;
import dev.deferred.impl.testing.LibraryParts;
import jakarta.inject.Inject;
import jakarta.json.Json;
import jakarta.json.JsonObject;
import jakarta.json.JsonReader;
import java.io.StringReader;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The failed-task API end to end: tasks fail through the real handler, the API reads the store the
 * handler wrote, and a re-deferred task runs again. Run once per failure store.
 */
abstract class FailedTasksScenarios {

  static final String CONFIG_REPORTS = "deferred.queues.reports.rate-per-second=50";

  /** One audience for every handler URL of the test server, so a task sent to another path runs. */
  static final String CONFIG_AUDIENCE = "deferred.oidc.audience=deferred-failed-tasks-test";

  @Inject Deferrer deferrer;
  @Inject FailedTasks failedTasks;

  @BeforeEach
  void reset() {
    Ledger.healed = false;
    Ledger.RUNS.clear();
    failedTasks.deleteAll(FailedTaskFilter.all());
  }

  @AfterEach
  void settle() {
    DeferredTestExtension.awaitIdle();
  }

  private List<FailedTask> all(FailedTaskFilter filter) {
    List<FailedTask> tasks = new ArrayList<>();
    String cursor = null;
    int pages = 0;
    do {
      FailedTaskPage page = failedTasks.list(filter, 1, cursor);
      assertThat(page.tasks()).hasSizeLessThanOrEqualTo(1);
      tasks.addAll(page.tasks());
      cursor = page.nextCursor().orElse(null);
    } while (cursor != null && ++pages < 50);
    return tasks;
  }

  private FailedTask only(FailedTaskFilter filter) {
    List<FailedTask> tasks = failedTasks.list(filter, 100).tasks();
    assertThat(tasks).hasSize(1);
    return tasks.get(0);
  }

  @Test
  void listsNewestFirstFiltersByQueueBeanMethodAndTimeAndPages() {
    Instant start = Instant.now();
    deferrer.defer(Ledger.class, l -> l.post("a", 1));
    deferrer.defer(Ledger.class, l -> l.post("b", 2), DeferOptions.queue("reports"));
    deferrer.defer(Auditor.class, a -> a.post("c"));
    deferrer.defer(
        Ledger.class, l -> l.archive("d", "doc"), DeferOptions.defaults().maxAttempts(1));
    DeferredTestExtension.awaitIdle();

    List<FailedTask> listed = failedTasks.list(FailedTaskFilter.all(), 100).tasks();
    assertThat(listed).hasSize(4);
    assertThat(listed)
        .isSortedAccordingTo(Comparator.comparing(FailedTask::lastAttemptAt).reversed());
    assertThat(all(FailedTaskFilter.all())).containsExactlyElementsOf(listed);

    assertThat(all(FailedTaskFilter.all().queue("reports")))
        .extracting(t -> t.arguments().orElseThrow().get(0).json())
        .containsExactly("\"b\"");
    assertThat(all(FailedTaskFilter.all().bean(Auditor.class)))
        .extracting(t -> t.method().orElseThrow())
        .containsExactly("Auditor.post(String)");
    assertThat(all(FailedTaskFilter.all().method("post")))
        .extracting(t -> t.arguments().orElseThrow().get(0).json())
        .containsExactlyInAnyOrder("\"a\"", "\"b\"", "\"c\"");
    assertThat(all(FailedTaskFilter.all().bean(Ledger.class).method("post").queue("default")))
        .extracting(t -> t.arguments().orElseThrow().get(0).json())
        .containsExactly("\"a\"");
    Instant newest = listed.get(0).lastAttemptAt();
    assertThat(all(FailedTaskFilter.all().failedAfter(newest))).containsExactly(listed.get(0));
    assertThat(all(FailedTaskFilter.all().failedBefore(newest))).hasSize(3);
    assertThat(all(FailedTaskFilter.all().failedBefore(start))).isEmpty();
  }

  @Test
  void readsTheCallTheFailureAndTheAttempts() {
    DeferredTask deferred =
        deferrer.defer(
            Ledger.class,
            l -> l.archive("acme", "contract"),
            DeferOptions.defaults().maxAttempts(2));
    DeferredTestExtension.awaitIdle();

    FailedTask task = only(FailedTaskFilter.all());
    assertThat(failedTasks.find(task.id())).contains(task);
    assertThat(task.queue()).isEqualTo("default");
    assertThat(task.taskName()).isEqualTo(deferred.name());
    assertThat(task.beanType()).contains(Ledger.class.getName());
    assertThat(task.method()).contains("Ledger.archive(String, String)");
    assertThat(task.methodName()).contains("archive");
    assertThat(task.arguments().orElseThrow())
        .containsExactly(
            new FailedTask.Argument("java.lang.String", "\"acme\""),
            new FailedTask.Argument("java.lang.String", "\"contract\""));
    assertThat(task.exceptionClass()).isEqualTo(IllegalStateException.class.getName());
    assertThat(task.message()).contains("archive of acme unavailable");
    assertThat(task.stackTraceSummary())
        .startsWith("java.lang.IllegalStateException: archive of acme unavailable\n\tat ");
    assertThat(task.stackTraceSummary().lines().filter(l -> l.strip().startsWith("at ")))
        .hasSizeLessThanOrEqualTo(FailureViews.FRAMES * 3);
    assertThat(task.attempts()).isEqualTo(2);
    assertThat(task.firstAttemptAt()).isPresent();
    assertThat(task.firstAttemptAt().get()).isBefore(task.lastAttemptAt());
    assertThat(task.redeferredAs()).isEmpty();
    assertThat(task.redeferrable()).isTrue();
    assertThat(task.deliveryOptions()).as("deferred with the queue's defaults").isEmpty();
  }

  @Test
  void redeferSendsTheSameCallAsANewTaskAndMarksTheRecord() throws Exception {
    DeferredTask first = deferrer.defer(Ledger.class, l -> l.post("acme", 1250));
    DeferredTestExtension.awaitIdle();
    FailedTask failed = only(FailedTaskFilter.all());

    Ledger.healed = true;
    DeferredTask again = failedTasks.redefer(failed.id());

    assertThat(again.state()).isEqualTo(DeferredTask.State.ENQUEUED);
    assertThat(again.queue()).isEqualTo("default");
    assertThat(again.name()).isPresent().isNotEqualTo(first.name());
    assertThat(Ledger.RUNS.poll(30, SECONDS)).isEqualTo("post acme 1250");
    DeferredTestExtension.awaitIdle();
    FailedTask marked = failedTasks.find(failed.id()).orElseThrow();
    assertThat(marked.redeferredAs()).isEqualTo(again.name());
    assertThat(marked.redeferredAt()).isPresent();
    assertThat(failedTasks.list(FailedTaskFilter.all(), 10).tasks()).hasSize(1);
  }

  @Test
  void redeferKeepsTheHeadersRoutingHandlerUrlAndDispatchDeadlineOfTheCall() throws Exception {
    URI alternate = URI.create(DeferredTestExtension.server().url() + "/alternate");
    deferrer.defer(
        Ledger.class,
        l -> l.post("globex", 990),
        DeferOptions.queue("reports")
            .header("X-Tenant", "globex")
            .service("worker")
            .version("v2")
            .instance("7")
            .handlerUrl(alternate)
            .dispatchDeadline(Duration.ofSeconds(90)));
    DeferredTestExtension.awaitIdle();
    FailedTask failed = only(FailedTaskFilter.all());
    assertThat(failed.deliveryOptions())
        .containsExactly(
            Map.entry("header X-Tenant", "globex"),
            Map.entry("service", "worker"),
            Map.entry("version", "v2"),
            Map.entry("instance", "7"),
            Map.entry("handlerUrl", alternate.toString()),
            Map.entry("dispatchDeadline", "PT1M30S"));

    CloudTasksClient client = LibraryParts.connection().client();
    QueueName reports =
        QueueName.of(LibraryParts.config().project(), LibraryParts.config().location(), "reports");
    client.pauseQueue(reports);
    Task task;
    try {
      Ledger.healed = true;
      DeferredTask again = failedTasks.redefer(failed.id());
      task =
          client.getTask(
              GetTaskRequest.newBuilder()
                  .setName(
                      TaskName.of(
                              LibraryParts.config().project(),
                              LibraryParts.config().location(),
                              "reports",
                              again.name().orElseThrow())
                          .toString())
                  .setResponseView(Task.View.FULL)
                  .build());
    } finally {
      client.resumeQueue(reports);
    }

    assertThat(task.getHttpRequest().getUrl()).isEqualTo(alternate.toString());
    assertThat(task.getHttpRequest().getHeadersMap()).containsEntry("X-Tenant", "globex");
    assertThat(task.getDispatchDeadline().getSeconds()).isEqualTo(90);
    // App Engine routing applies only to App Engine targets; the payload carries it to the new
    // task.
    JsonObject delivery;
    try (JsonReader r =
        Json.createReader(new StringReader(task.getHttpRequest().getBody().toStringUtf8()))) {
      delivery = r.readObject().getJsonObject("delivery");
    }
    assertThat(delivery.getString("service")).isEqualTo("worker");
    assertThat(delivery.getString("version")).isEqualTo("v2");
    assertThat(delivery.getString("instance")).isEqualTo("7");
    assertThat(Ledger.RUNS.poll(30, SECONDS)).isEqualTo("post globex 990");
  }

  @Test
  void largePayloadIsShownAndRedeferredWhole() throws Exception {
    String document = "x".repeat(200_000);
    deferrer.defer(
        Ledger.class, l -> l.archive("big", document), DeferOptions.defaults().maxAttempts(1));
    DeferredTestExtension.awaitIdle();
    FailedTask failed = only(FailedTaskFilter.all());
    assertThat(failed.arguments().orElseThrow().get(1).json()).hasSize(200_002);
    assertThat(failed.redeferrable()).isTrue();

    Ledger.healed = true;
    failedTasks.redefer(failed.id());
    assertThat(Ledger.RUNS.poll(30, SECONDS)).isEqualTo("archive big 200000");
  }

  @Test
  void unreadablePayloadIsListedWithoutArgumentsAndIsNotRedeferred() {
    TaskFailure recorded =
        LibraryParts.failureStore()
            .record(
                TaskFailure.of(
                    "default",
                    "garbled",
                    null,
                    null,
                    new IllegalStateException("not a Deferred payload"),
                    Instant.now(),
                    0,
                    null,
                    "{\"v\":1,\"bean\":".getBytes(StandardCharsets.UTF_8)));

    FailedTask task = failedTasks.find(recorded.id()).orElseThrow();
    assertThat(task.arguments()).isEmpty();
    assertThat(task.method()).isEmpty();
    assertThat(task.redeferrable()).isFalse();
    assertThatThrownBy(() -> failedTasks.redefer(recorded.id()))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageStartingWith(
            "DEFERRED-7502: failed task "
                + recorded.id()
                + " (an unreadable call on queue default) cannot be re-deferred: its payload is"
                + " not a readable call (not JSON: ")
        .hasMessageEndingWith("); nothing was sent");
  }

  @Test
  void deletesOneAndAllMatching() {
    deferrer.defer(Ledger.class, l -> l.post("a", 1));
    deferrer.defer(Ledger.class, l -> l.post("b", 2), DeferOptions.queue("reports"));
    deferrer.defer(Auditor.class, a -> a.post("c"));
    DeferredTestExtension.awaitIdle();

    FailedTask audit = only(FailedTaskFilter.all().bean(Auditor.class));
    assertThat(failedTasks.delete(audit.id())).isTrue();
    assertThat(failedTasks.delete(audit.id())).isFalse();
    assertThat(failedTasks.find(audit.id())).isEmpty();

    assertThat(failedTasks.deleteAll(FailedTaskFilter.all().queue("reports"))).isEqualTo(1);
    assertThat(failedTasks.list(FailedTaskFilter.all(), 10).tasks())
        .extracting(t -> t.queue())
        .containsExactly("default");
    assertThat(failedTasks.deleteAll(FailedTaskFilter.all())).isEqualTo(1);
    assertThat(failedTasks.list(FailedTaskFilter.all(), 10).tasks()).isEmpty();
  }

  @Test
  void unknownIdsAndBadPageSizesAreRefusedWithTheFix() {
    assertThat(failedTasks.find("4711")).isEmpty();
    assertThatThrownBy(() -> failedTasks.redefer("4711"))
        .isInstanceOf(NoSuchElementException.class)
        .hasMessage(
            "DEFERRED-7501: no failed task has id '4711': list the failed tasks for the ids that"
                + " exist");
    assertThatThrownBy(() -> failedTasks.list(FailedTaskFilter.all(), 0))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("DEFERRED-7503: the page size of failed tasks must be 1 to 1000, was 0");
  }
}
