package dev.deferred.sample.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HexFormat;
import java.util.OptionalLong;
import java.util.concurrent.ThreadLocalRandom;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The library's metrics and traces on Open Liberty with {@code mpTelemetry-2.0}, read from the
 * logging exporters the sample server is configured with (lines in {@code messages.log}): a
 * request's trace id reaches the task's span, and the counters of the {@code telemetry} queue,
 * which only this test uses, count a known number of successes, retries and failures.
 */
@ExtendWith(ServerLogOnFailure.class)
class TelemetryIT {

  private static final Duration EXPORT_WAIT = Duration.ofSeconds(30);

  @BeforeAll
  static void started() {
    SampleApp.awaitStarted();
  }

  private static String log() {
    try {
      return Files.readString(Path.of(System.getProperty("it.server.log")), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The latest exported value of a counter for one method on the telemetry queue. */
  private static OptionalLong counter(String log, String metric, String method) {
    OptionalLong latest = OptionalLong.empty();
    Matcher line = Pattern.compile("name=" + Pattern.quote(metric) + ",.*").matcher(log);
    Pattern point = Pattern.compile("attributes=\\{([^}]*)\\}, value=(\\d+)");
    while (line.find()) {
      Matcher p = point.matcher(line.group());
      while (p.find()) {
        String attributes = p.group(1);
        if (attributes.contains("deferred.method=\"" + method + "\"")
            && attributes.contains("messaging.destination.name=\"telemetry\"")) {
          latest = OptionalLong.of(Long.parseLong(p.group(2)));
        }
      }
    }
    return latest;
  }

  private static void defer(String json, String traceparent) {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(SampleApp.uri("/api/scenarios/defer"))
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(json));
    if (traceparent != null) {
      request.header("traceparent", traceparent);
    }
    HttpResponse<String> response = SampleApp.send(request);
    assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
  }

  @Test
  void aRequestsTraceReachesTheTaskAndTheCountersCountEachOutcome() {
    HexFormat hex = HexFormat.of();
    byte[] trace = new byte[16];
    byte[] parent = new byte[8];
    ThreadLocalRandom.current().nextBytes(trace);
    ThreadLocalRandom.current().nextBytes(parent);
    String traceId = hex.formatHex(trace);
    String ok = "telemetry-ok-" + traceId;
    String flaky = "telemetry-flaky-" + traceId;
    String doomed = "telemetry-doomed-" + traceId;

    defer(
        "{\"task\":\"record\",\"key\":\"" + ok + "\",\"queue\":\"telemetry\"}",
        "00-" + traceId + "-" + hex.formatHex(parent) + "-01");
    defer(
        "{\"task\":\"failThenSucceed\",\"key\":\""
            + flaky
            + "\",\"queue\":\"telemetry\",\"failures\":1}",
        null);
    defer(
        "{\"task\":\"failPermanently\",\"key\":\"" + doomed + "\",\"queue\":\"telemetry\"}", null);
    Journal.awaitRun(ok);
    Journal.awaitRun(flaky);
    Journal.await(doomed, "the task to fail", entries -> !entries.isEmpty());

    String log =
        Poll.until(
            "the task's span and the counters in messages.log",
            TelemetryIT::log,
            l ->
                l.contains("'process telemetry' : " + traceId)
                    && counter(l, "deferred.tasks.failed", "Tasks.failPermanently(String)")
                        .isPresent()
                    && counter(l, "deferred.tasks.succeeded", "Tasks.failThenSucceed(String, int)")
                        .isPresent(),
            EXPORT_WAIT);
    assertThat(log).contains("'send telemetry' : " + traceId);
    assertThat(counter(log, "deferred.tasks.succeeded", "Tasks.record(String, String)"))
        .hasValue(1);
    assertThat(counter(log, "deferred.tasks.retried", "Tasks.failThenSucceed(String, int)"))
        .hasValue(1);
    assertThat(counter(log, "deferred.tasks.succeeded", "Tasks.failThenSucceed(String, int)"))
        .hasValue(1);
    assertThat(counter(log, "deferred.tasks.executed", "Tasks.failThenSucceed(String, int)"))
        .hasValue(2);
    assertThat(counter(log, "deferred.tasks.failed", "Tasks.failPermanently(String)")).hasValue(1);
    assertThat(counter(log, "deferred.tasks.deferred", "Tasks.record(String, String)")).hasValue(1);
  }
}
