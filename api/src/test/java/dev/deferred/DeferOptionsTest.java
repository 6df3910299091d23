package dev.deferred;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class DeferOptionsTest {

  @Test
  void defaultsUseTheDefaultQueueAndLeaveEverythingElseToThePlatform() {
    DeferOptions o = DeferOptions.defaults();
    assertThat(o.queue()).isEqualTo("default");
    assertThat(o.eta()).isEmpty();
    assertThat(o.countdown()).isEmpty();
    assertThat(o.name()).isEmpty();
    assertThat(o.transactional()).isEmpty();
    assertThat(o.isSmallTask()).isFalse();
    assertThat(o.entityArguments()).isEqualTo(EntityArguments.REFERENCE);
    assertThat(o.headers()).isEmpty();
    assertThat(o.maxAttempts()).isEmpty();
    assertThat(o.qualifiers()).isEmpty();
  }

  @Test
  void everyOptionReturnsANewInstanceAndLeavesTheOriginalUnchanged() {
    DeferOptions base = DeferOptions.queue("reports");
    DeferOptions refined =
        base.countdown(Duration.ofMinutes(5))
            .eta(Instant.parse("2030-01-01T00:00:00Z"))
            .name("report-42")
            .service("worker")
            .version("v2")
            .instance("i1")
            .transactional(false)
            .smallTask()
            .entityArguments(EntityArguments.VALUE)
            .header("X-Tenant", "acme")
            .handlerUrl(URI.create("https://worker.example.com/_ah/queue/deferred"))
            .dispatchDeadline(Duration.ofMinutes(1))
            .maxAttempts(3)
            .maxAge(Duration.ofHours(1))
            .failOnDuplicate();
    assertThat(base).isEqualTo(DeferOptions.queue("reports"));
    assertThat(refined.queue()).isEqualTo("reports");
    assertThat(refined.countdown()).contains(Duration.ofMinutes(5));
    assertThat(refined.name()).contains("report-42");
    assertThat(refined.service()).contains("worker");
    assertThat(refined.version()).contains("v2");
    assertThat(refined.instance()).contains("i1");
    assertThat(refined.transactional()).contains(false);
    assertThat(refined.isSmallTask()).isTrue();
    assertThat(refined.entityArguments()).isEqualTo(EntityArguments.VALUE);
    assertThat(refined.headers()).containsEntry("X-Tenant", "acme");
    assertThat(refined.maxAttempts()).hasValue(3);
    assertThat(refined.maxAge()).contains(Duration.ofHours(1));
    assertThat(refined.isFailOnDuplicate()).isTrue();
    assertThat(refined.onQueue("mail").queue()).isEqualTo("mail");
    assertThat(refined.toString()).contains("queue=reports", "name=report-42", "maxAttempts=3");
  }

  @Test
  void invalidValuesAreRejectedWithTheRule() {
    assertThatThrownBy(() -> DeferOptions.queue("bad queue"))
        .hasMessage(
            "Invalid queue id 'bad queue': use 1 to 100 letters, digits or hyphens, as Cloud Tasks"
                + " requires");
    assertThatThrownBy(() -> DeferOptions.defaults().name("a/b"))
        .hasMessage(
            "Invalid task name 'a/b': use 1 to 500 letters, digits, underscores or hyphens, as"
                + " Cloud Tasks requires");
    assertThatThrownBy(() -> DeferOptions.defaults().countdown(Duration.ofSeconds(-1)))
        .hasMessage("Invalid countdown PT-1S: it must not be negative");
    assertThatThrownBy(() -> DeferOptions.defaults().countdown(Duration.ofSeconds(Long.MAX_VALUE)))
        .hasMessage(
            "Invalid countdown PT2562047788015215H30M7S: it must be at most 720 hours (30 days),"
                + " the furthest Cloud Tasks schedules a task");
    assertThat(DeferOptions.defaults().countdown(Duration.ofHours(720)).countdown())
        .contains(Duration.ofHours(720));
    assertThatThrownBy(() -> DeferOptions.defaults().maxAge(Duration.ofSeconds(Long.MAX_VALUE)))
        .hasMessage(
            "Invalid maxAge PT2562047788015215H30M7S: it must be at most 365 days (Cloud Tasks"
                + " keeps a task for at most 31 days, so a longer limit never applies)");
    assertThat(DeferOptions.defaults().maxAge(Duration.ofDays(365)).maxAge())
        .contains(Duration.ofDays(365));
    assertThatThrownBy(() -> DeferOptions.defaults().maxAttempts(0))
        .hasMessage("Invalid maxAttempts 0: it must be at least 1");
    assertThatThrownBy(() -> DeferOptions.defaults().header("X-CloudTasks-TaskName", "x"))
        .hasMessage(
            "Header 'X-CloudTasks-TaskName' is reserved by Cloud Tasks or by Deferred: choose"
                + " another name");
    assertThatThrownBy(() -> DeferOptions.defaults().dispatchDeadline(Duration.ofSeconds(5)))
        .hasMessage("Invalid dispatch deadline PT5S: it must be between 15 seconds and 24 hours");
    assertThatThrownBy(() -> DeferOptions.defaults().handlerUrl(URI.create("relative/path")))
        .hasMessage(
            "Invalid handler URL 'relative/path': use an absolute http(s) URL or a path starting"
                + " with '/'");
    assertThatThrownBy(() -> DeferOptions.defaults().version("V_1"))
        .hasMessage(
            "Invalid App Engine version 'V_1': use 1 to 63 lowercase letters, digits or hyphens,"
                + " starting with a letter or digit");
  }
}
