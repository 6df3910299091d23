package dev.deferred.impl.defer;

import static java.util.concurrent.TimeUnit.SECONDS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.deferred.DeferOptions;
import dev.deferred.Deferrer;
import dev.deferred.impl.testing.DeferredTest;
import dev.deferred.impl.testing.DeferredTestExtension;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.Instant;
import java.time.YearMonth;
import org.jboss.weld.junit5.auto.AddBeanClasses;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** maxAge counts from the time the task is scheduled to run, and schedules are checked early. */
@DeferredTest
@AddBeanClasses(ReportService.class)
class MaxAgeTest {

  @Inject Deferrer deferrer;

  @BeforeEach
  void clear() {
    ReportService.RUNS.clear();
  }

  @AfterEach
  void settle() {
    DeferredTestExtension.awaitIdle();
  }

  @Test
  void aCountdownLongerThanMaxAgeStillRuns() throws Exception {
    deferrer.defer(
        ReportService.class,
        r -> r.generate(41L, YearMonth.of(2026, 1)),
        DeferOptions.defaults().countdown(Duration.ofSeconds(3)).maxAge(Duration.ofSeconds(2)));

    ReportService.Run run = ReportService.RUNS.poll(30, SECONDS);
    assertThat(run).isNotNull();
    assertThat(run.customerId()).isEqualTo(41L);
  }

  @Test
  void aScheduleBeyondCloudTasksLimitFailsAtTheCallSite() {
    Instant eta = Instant.now().plus(Duration.ofDays(31));
    assertThatThrownBy(
            () ->
                deferrer.defer(
                    ReportService.class,
                    r -> r.generate(42L, YearMonth.of(2026, 2)),
                    DeferOptions.defaults().eta(eta)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(
            "DEFERRED-0217: Cannot defer ReportService.generate(long, YearMonth): its eta "
                + eta
                + " is more than 720 hours (30 days) ahead, which Cloud Tasks refuses: schedule"
                + " it within 30 days, or defer a task that defers again later");
  }
}
