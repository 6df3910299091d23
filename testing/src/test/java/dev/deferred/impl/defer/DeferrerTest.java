package dev.deferred.impl.defer;

import static java.util.concurrent.TimeUnit.SECONDS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.deferred.DeferOptions;
import dev.deferred.DeferredTask;
import dev.deferred.Deferrer;
import dev.deferred.DuplicateTaskException;
import dev.deferred.TaskContext;
import dev.deferred.impl.testing.DeferredTest;
import dev.deferred.impl.testing.DeferredTestExtension;
import jakarta.inject.Inject;
import java.time.YearMonth;
import org.jboss.weld.junit5.auto.AddBeanClasses;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

@DeferredTest(config = {"deferred.queues.reports.rate-per-second=50"})
@AddBeanClasses(ReportService.class)
class DeferrerTest {

  @Inject Deferrer deferrer;
  @Inject TaskContext context;

  @AfterEach
  void settle() {
    // No task of this test may reach the next test's container.
    DeferredTestExtension.awaitIdle();
  }

  @BeforeEach
  void clear() {
    ReportService.RUNS.clear();
  }

  @Test
  void deferredCallOfAnUnannotatedMethodRunsLaterWithItsArguments() throws Exception {
    DeferredTask task =
        deferrer.defer(
            ReportService.class,
            r -> r.generate(42L, YearMonth.of(2026, 3)),
            DeferOptions.queue("reports"));

    assertThat(task.state()).isEqualTo(DeferredTask.State.ENQUEUED);
    assertThat(task.queue()).isEqualTo("reports");
    assertThat(task.name()).isPresent();
    ReportService.Run run = ReportService.RUNS.poll(30, SECONDS);
    assertThat(run).isNotNull();
    assertThat(run.customerId()).isEqualTo(42L);
    assertThat(run.month()).isEqualTo(YearMonth.of(2026, 3));
    assertThat(run.queue()).isEqualTo("reports");
    assertThat(run.task()).isEqualTo(task.name().orElseThrow());
    assertThat(run.retryCount()).isZero();
  }

  @Test
  void recordArgumentsAndNonVoidMethodsCanBeDeferred() throws Exception {
    deferrer.defer(
        ReportService.class, r -> r.count(new ReportService.Report(7L, YearMonth.of(2025, 12))));

    ReportService.Run run = ReportService.RUNS.poll(30, SECONDS);
    assertThat(run).isNotNull();
    assertThat(run.customerId()).isEqualTo(7L);
    assertThat(run.queue()).isEqualTo("default");
  }

  @Test
  void aNamedTaskDeferredTwiceIsReportedAsDuplicate() {
    DeferOptions named = DeferOptions.queue("reports").name("report-dup-1");
    DeferredTask first =
        deferrer.defer(ReportService.class, r -> r.generate(1L, YearMonth.of(2026, 1)), named);
    DeferredTask second =
        deferrer.defer(ReportService.class, r -> r.generate(1L, YearMonth.of(2026, 1)), named);

    assertThat(first.name()).contains("report-dup-1");
    assertThat(first.isDuplicate()).isFalse();
    assertThat(second.isDuplicate()).isTrue();
    assertThat(second.state()).isEqualTo(DeferredTask.State.DUPLICATE);
    assertThat(second.name()).contains("report-dup-1");
  }

  @Test
  void aDuplicateThrowsWhenTheCallerAsksForIt() {
    DeferOptions named = DeferOptions.queue("reports").name("report-dup-2");
    deferrer.defer(ReportService.class, r -> r.generate(1L, YearMonth.of(2026, 1)), named);

    assertThatThrownBy(
            () ->
                deferrer.defer(
                    ReportService.class,
                    r -> r.generate(1L, YearMonth.of(2026, 1)),
                    named.failOnDuplicate()))
        .isInstanceOfSatisfying(
            DuplicateTaskException.class,
            e -> {
              assertThat(e.queue()).isEqualTo("reports");
              assertThat(e.name()).isEqualTo("report-dup-2");
            })
        .hasMessage(
            "Task 'report-dup-2' already exists on queue 'reports' (or existed within the last"
                + " hour): choose another name, or drop failOnDuplicate() to treat duplicates as"
                + " already done");
  }

  @Test
  void aLambdaThatCallsNoMethodIsRejected() {
    assertThatThrownBy(() -> deferrer.defer(ReportService.class, r -> {}))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(
            "DEFERRED-0204: The lambda passed to Deferrer.defer must call exactly one method of"
                + " dev.deferred.impl.defer.ReportService, it called 0: write it as bean ->"
                + " bean.method(arguments)");
  }

  @Test
  void anUnconfiguredQueueIsRejectedAtTheCallSite() {
    assertThatThrownBy(
            () ->
                deferrer.defer(
                    ReportService.class,
                    r -> r.generate(1L, YearMonth.of(2026, 1)),
                    DeferOptions.queue("nope")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(
            "DEFERRED-0208: Queue 'nope' is not configured: add"
                + " deferred.queues.nope.rate-per-second to microprofile-config.properties."
                + " Configured queues: default, reports");
  }

  @Test
  void anArgumentThatCannotBeDecodedIsRejectedAtTheCallSiteNamingTheParameter() {
    assertThatThrownBy(() -> deferrer.defer(ReportService.class, r -> r.archive(new Thread())))
        .isInstanceOf(dev.deferred.TaskEncodingException.class)
        .hasMessageStartingWith(
            "DEFERRED-0201: Cannot defer ReportService.archive(Object): argument 0 (anything) of"
                + " type java.lang.Thread ");
  }

  @Test
  void anArgumentThatLosesAPropertyInTheRoundTripIsRejectedWithTheExactMessage() {
    assertThatThrownBy(
            () ->
                deferrer.defer(
                    ReportService.class, r -> r.mail(new ReportService.Recipient("ann"))))
        .isInstanceOfSatisfying(
            dev.deferred.TaskEncodingException.class,
            e -> {
              assertThat(e.parameterIndex()).hasValue(0);
              assertThat(e.parameterName()).contains("recipient");
              assertThat(e.method()).isEqualTo("ReportService.mail(Recipient)");
            })
        .hasMessage(
            "DEFERRED-0201: Cannot defer ReportService.mail(Recipient): argument 0 (recipient) of"
                + " type dev.deferred.impl.defer.ReportService$Recipient does not survive the JSON"
                + " round trip: Recipient[ann] came back as Recipient[nobody]. Make every property"
                + " readable and writable by JSON-B (getters and setters, or a record), and give the"
                + " class an equals method");
  }

  @Test
  void taskContextSaysWhenCodeDoesNotRunInATask() {
    assertThat(context.isTask()).isFalse();
    assertThat(context.shardIndex()).isEmpty();
    assertThatThrownBy(context::queueName)
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("Not inside a task: check TaskContext.isTask() before asking for task details");
  }
}
