package dev.deferred.sample.it;

import static org.assertj.core.api.Assertions.assertThat;

import jakarta.json.JsonObject;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Every defer option whose effect can be observed from the outside of the running task. */
@ExtendWith(ServerLogOnFailure.class)
class DeferOptionsIT {

  @Test
  void queueOptionPutsTheTaskOnThatQueue() {
    Defer defer = Defer.task("record").with("queue", "mail");

    assertThat(defer.ok().getString("queue")).isEqualTo("mail");
    assertThat(Journal.awaitRun(defer.key()).getJsonObject("task").getString("queueName"))
        .isEqualTo("mail");
  }

  @Test
  void defaultQueueIsCalledDefault() {
    Defer defer = Defer.task("record");

    defer.ok();

    assertThat(Journal.awaitRun(defer.key()).getJsonObject("task").getString("queueName"))
        .isEqualTo("default");
  }

  @Test
  void nameOptionNamesTheTaskAndARepeatIsReportedAsDuplicate() {
    String name = "named-" + System.nanoTime();
    Defer first = Defer.task("record").with("name", name);
    Defer repeat = Defer.task("record").with("name", name);

    JsonObject created = first.ok();
    JsonObject duplicate = repeat.ok();

    assertThat(created.getString("state")).isEqualTo("ENQUEUED");
    assertThat(created.getString("name")).isEqualTo(name);
    assertThat(duplicate.getString("state")).isEqualTo("DUPLICATE");
    assertThat(duplicate.getString("name")).isEqualTo(name);
    assertThat(Journal.awaitRun(first.key()).getJsonObject("task").getString("taskName"))
        .isEqualTo(name);
    Defer.awaitMarker("default", 1_000);
    assertThat(Journal.entries(repeat.key())).isEmpty();
  }

  @Test
  void duplicateNameThrowsWhenTheCallerAsksForIt() {
    String name = "strict-" + System.nanoTime();
    Defer.task("record").with("name", name).ok();

    JsonObject error =
        Defer.task("record").with("name", name).with("failOnDuplicate", true).rejected(409);

    assertThat(error.getString("error")).isEqualTo("dev.deferred.DuplicateTaskException");
    assertThat(error.getString("message")).contains(name);
  }

  @Test
  void countdownDelaysTheTask() {
    Instant before = Instant.now();
    Defer defer = Defer.task("record").with("countdownMillis", 2_000);

    defer.ok();

    JsonObject ran = Journal.awaitRun(defer.key());
    Instant eta = Instant.parse(ran.getJsonObject("task").getString("eta"));
    assertThat(eta).isAfterOrEqualTo(before.plus(Duration.ofSeconds(2)));
    assertThat(Instant.parse(ran.getString("at"))).isAfterOrEqualTo(eta);
  }

  @Test
  void etaSchedulesTheTask() {
    Instant eta = Instant.now().plusSeconds(2).truncatedTo(ChronoUnit.SECONDS);
    Defer defer = Defer.task("record").with("etaEpochMillis", eta.toEpochMilli());

    defer.ok();

    JsonObject ran = Journal.awaitRun(defer.key());
    assertThat(Instant.parse(ran.getJsonObject("task").getString("eta"))).isEqualTo(eta);
    assertThat(Instant.parse(ran.getString("at"))).isAfterOrEqualTo(eta);
  }

  @Test
  void extraHeadersArriveWithTheTask() {
    Defer defer = Defer.task("record").header("X-Tenant", "acme");

    String name = defer.ok().getString("name");

    JsonObject delivery = Deliveries.first(name);
    assertThat(delivery.getJsonObject("headers").getString("x-tenant")).isEqualTo("acme");
  }

  @Test
  void qualifiersSelectTheBeanThatRunsTheTask() {
    Defer loud = Defer.task("greet").with("message", "ada").with("qualifier", "loud");
    Defer plain = Defer.task("greet").with("message", "ada");

    loud.ok();
    plain.ok();

    assertThat(Journal.awaitRun(loud.key()).getString("detail")).isEqualTo("HELLO, ADA!");
    assertThat(Journal.awaitRun(plain.key()).getString("detail")).isEqualTo("Hello, ada.");
  }

  @Test
  void largePayloadTravelsThroughThePayloadStore() {
    Defer defer = Defer.task("recordLength").with("size", 300_000);

    defer.ok();

    assertThat(Journal.awaitRun(defer.key()).getString("detail")).isEqualTo("length=300000");
  }

  @Test
  void smallTaskTooLargeIsRejectedAtTheCallSite() {
    Defer defer = Defer.task("recordLength").with("size", 300_000).with("smallTask", true);

    JsonObject error = defer.rejected(400);

    assertThat(error.getString("error")).isEqualTo("dev.deferred.TaskEncodingException");
    assertThat(error.containsKey("parameterIndex")).isFalse();
    Defer.awaitMarker("default", 1_000);
    assertThat(Journal.entries(defer.key())).isEmpty();
  }

  @Test
  void entityWithoutValueSemanticsCannotTravelAsValue() {
    // Note, like most entities, has no equals and no id setter: as a value it would arrive changed,
    // so the call site refuses it and names the fix (the default, a reference, has no such limit).
    Defer defer =
        Defer.task("recordNoteText").with("transaction", "commit").with("entityArguments", "VALUE");

    JsonObject error = defer.rejected(400);

    assertThat(error.getString("error")).isEqualTo("dev.deferred.TaskEncodingException");
    assertThat(error.getInt("parameterIndex")).isZero();
    assertThat(error.getString("parameterName")).isEqualTo("note");
    assertThat(error.getString("message"))
        .startsWith("DEFERRED-0201: Cannot defer Tasks.recordNoteText(Note, String): argument 0")
        .contains("does not survive the JSON round trip");
  }

  @Test
  void dispatchDeadlineIsAcceptedAndTheTaskRuns() {
    Defer defer = Defer.task("record").with("dispatchDeadlineSeconds", 60);

    defer.ok();

    Journal.awaitRun(defer.key());
  }

  @Test
  void maxAgeCountsFromThePlannedStartAndEndsRetriesPastIt() {
    // The countdown is longer than maxAge: the task still runs, because maxAge counts from the
    // planned start, not from the defer. Without maxAge the queue's 20 attempts, at most 0.5 s
    // apart, would go on for seconds; with it no attempt starts more than 1 s after the start.
    Defer defer =
        Defer.task("alwaysFail")
            .with("queue", "retries")
            .with("countdownMillis", 1_500)
            .with("maxAgeMillis", 1_000);

    defer.ok();

    Journal.await(defer.key(), "the first attempt", e -> !e.isEmpty());
    Defer.awaitMarker("retries", 5_000);
    var attempts = Journal.entries(defer.key(), "attempt-failed");
    Instant plannedStart = Instant.parse(attempts.get(0).getJsonObject("task").getString("eta"));
    // Backoffs of 0.1, 0.2 and 0.4 s fit four attempts into the second; the next one is refused.
    assertThat(attempts).hasSizeBetween(1, 4);
    assertThat(attempts)
        .allSatisfy(
            a ->
                assertThat(Instant.parse(a.getString("at")))
                    .isBefore(plannedStart.plusMillis(1_000 + 1_000)));
  }
}
