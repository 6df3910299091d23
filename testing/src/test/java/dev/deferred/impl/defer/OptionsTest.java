package dev.deferred.impl.defer;

import static java.util.concurrent.TimeUnit.SECONDS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.cloud.tasks.v2.CloudTasksClient;
import com.google.cloud.tasks.v2.Task;
import com.google.cloud.tasks.v2.TaskName;
import dev.deferred.DeferOptions;
import dev.deferred.DeferredTask;
import dev.deferred.Deferrer;
import dev.deferred.TaskEncodingException;
import dev.deferred.impl.testing.DeferredTest;
import dev.deferred.impl.testing.DeferredTestExtension;
import dev.deferred.impl.testing.LibraryParts;
import dev.deferred.testing.internal.TaskHttpServer;
import jakarta.inject.Inject;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.time.YearMonth;
import java.util.Collections;
import org.jboss.weld.junit5.auto.AddBeanClasses;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What each per-call option does to the task Cloud Tasks holds, read back with the official client
 * from the emulator, and what arrives at the handler.
 */
@DeferredTest(config = {"deferred.small-task.max-bytes=2000"})
@AddBeanClasses({ReportService.class, Payloads.class})
class OptionsTest {

  @Inject Deferrer deferrer;

  @BeforeEach
  void clear() {
    ReportService.RUNS.clear();
    Payloads.SIZES.clear();
    DeferredTestExtension.server().exchanges().clear();
  }

  @AfterEach
  void settle() {
    DeferredTestExtension.awaitIdle();
  }

  private static Task task(DeferredTask deferred) {
    CloudTasksClient client = LibraryParts.connection().client();
    return client.getTask(
        TaskName.of(
            LibraryParts.config().project(),
            LibraryParts.config().location(),
            deferred.queue(),
            deferred.name().orElseThrow()));
  }

  private static void delete(DeferredTask deferred) {
    LibraryParts.connection()
        .client()
        .deleteTask(
            TaskName.of(
                LibraryParts.config().project(),
                LibraryParts.config().location(),
                deferred.queue(),
                deferred.name().orElseThrow()));
  }

  @Test
  void etaNameDeadlineHeadersAndUrlAreSetOnTheTask() {
    Instant eta =
        Instant.now().plus(Duration.ofDays(10)).truncatedTo(java.time.temporal.ChronoUnit.SECONDS);
    URI url = DeferredTestExtension.server().url();
    DeferredTask deferred =
        deferrer.defer(
            ReportService.class,
            r -> r.generate(1L, YearMonth.of(2026, 1)),
            DeferOptions.defaults()
                .eta(eta)
                .name("options-1")
                .dispatchDeadline(Duration.ofSeconds(45))
                .header("X-Tenant", "acme")
                .handlerUrl(url));

    Task task = task(deferred);
    assertThat(deferred.name()).contains("options-1");
    assertThat(task.getScheduleTime().getSeconds()).isEqualTo(eta.getEpochSecond());
    assertThat(task.getDispatchDeadline().getSeconds()).isEqualTo(45);
    assertThat(task.getHttpRequest().getUrl()).isEqualTo(url.toString());
    assertThat(task.getHttpRequest().getHeadersMap()).containsEntry("X-Tenant", "acme");
    assertThat(task.getHttpRequest().getOidcToken().getServiceAccountEmail())
        .isEqualTo("deferred@deferred-local.iam.gserviceaccount.com");
    assertThat(task.getHttpRequest().getOidcToken().getAudience()).isEqualTo(url.toString());
    delete(deferred);
  }

  @Test
  void countdownSchedulesTheTaskThatLongAfterTheDefer() {
    Instant before = Instant.now();
    DeferredTask deferred =
        deferrer.defer(
            ReportService.class,
            r -> r.generate(2L, YearMonth.of(2026, 2)),
            DeferOptions.defaults().countdown(Duration.ofHours(2)));

    Task task = task(deferred);
    assertThat(task.getScheduleTime().getSeconds())
        .isGreaterThanOrEqualTo(before.plus(Duration.ofHours(2)).getEpochSecond());
    delete(deferred);
  }

  @Test
  void anEtaInThePastRunsTheTaskAtOnceWithItsEtaHeader() throws Exception {
    Instant eta = Instant.now().minusSeconds(5);
    deferrer.defer(
        ReportService.class,
        r -> r.generate(3L, YearMonth.of(2026, 3)),
        DeferOptions.defaults().eta(eta));

    assertThat(ReportService.RUNS.poll(30, SECONDS)).isNotNull();
    TaskHttpServer.Exchange exchange = DeferredTestExtension.server().exchanges().poll(30, SECONDS);
    assertThat(exchange).isNotNull();
    // Cloud Tasks moves a past schedule time up to the creation time.
    assertThat(Double.parseDouble(exchange.header("X-CloudTasks-TaskETA")))
        .isGreaterThanOrEqualTo(eta.getEpochSecond());
  }

  @Test
  void aLargePayloadTravelsThroughThePayloadStoreAndIsDeletedAfterTheRun() throws Exception {
    String big = String.join("", Collections.nCopies(5000, "x"));
    deferrer.defer(Payloads.class, p -> p.take(big));

    assertThat(Payloads.SIZES.poll(30, SECONDS)).isEqualTo(5000);
    TaskHttpServer.Exchange exchange = DeferredTestExtension.server().exchanges().poll(30, SECONDS);
    assertThat(exchange).isNotNull();
    assertThat(new String(exchange.body(), java.nio.charset.StandardCharsets.UTF_8))
        .startsWith("{\"v\":2,\"queue\":\"default\",\"expiresAt\":")
        .contains("\"stored\":", "\"sha256\":");
    assertThat(exchange.body().length).isLessThan(250);
    String key =
        new String(exchange.body(), java.nio.charset.StandardCharsets.UTF_8)
            .replaceAll(".*\"stored\":\"([^\"]+)\".*", "$1");
    assertThat(LibraryParts.payloadStore().get(key)).isEmpty();
  }

  @Test
  void aSmallTaskOverTheLimitFailsAtTheCallSite() {
    String big = String.join("", Collections.nCopies(5000, "x"));
    assertThatThrownBy(
            () ->
                deferrer.defer(
                    Payloads.class, p -> p.take(big), DeferOptions.defaults().smallTask()))
        .isInstanceOf(TaskEncodingException.class)
        .hasMessageMatching(
            "DEFERRED-0202: Cannot defer Payloads.take\\(String\\) as a small task: its payload has"
                + " \\d+ bytes, more than deferred.small-task.max-bytes=2000. Pass smaller arguments"
                + " \\(e.g. an id instead of the data\\), or drop smallTask\\(\\) so the payload goes"
                + " to the payload store");
  }
}
