package dev.deferred.impl.telemetry;

import static org.assertj.core.api.Assertions.assertThat;

import dev.deferred.DeferOptions;
import dev.deferred.Deferrer;
import dev.deferred.TaskCounts;
import dev.deferred.impl.testing.DeferredTest;
import dev.deferred.impl.testing.DeferredTestExtension;
import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.api.baggage.Baggage;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.context.Scope;
import io.opentelemetry.sdk.metrics.data.MetricData;
import io.opentelemetry.sdk.trace.data.SpanData;
import jakarta.inject.Inject;
import jakarta.transaction.TransactionManager;
import java.util.Collection;
import java.util.List;
import org.jboss.weld.junit5.auto.AddBeanClasses;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Metrics and traces with an OpenTelemetry bean in the application: counts per queue and method
 * after a known number of successes, retries and failures, and the caller's trace continued in the
 * task, also for a transactional defer.
 */
@DeferredTest
@AddBeanClasses({TestTelemetry.class, Jobs.class})
class TelemetryTest {

  @Inject Deferrer deferrer;
  @Inject OpenTelemetry otel;
  @Inject TaskCounts counts;
  @Inject TransactionManager transactions;

  @BeforeEach
  void clear() {
    Jobs.ATTEMPTS.clear();
    Jobs.TRACE.clear();
    Jobs.BAGGAGE.clear();
  }

  private static long count(Collection<MetricData> metrics, String name, String method) {
    return metrics.stream()
        .filter(m -> m.getName().equals(name))
        .flatMap(m -> m.getLongSumData().getPoints().stream())
        .filter(
            p ->
                method.equals(p.getAttributes().get(AttributeKey.stringKey("deferred.method")))
                    && "default"
                        .equals(
                            p.getAttributes()
                                .get(AttributeKey.stringKey("messaging.destination.name"))))
        .mapToLong(p -> p.getValue())
        .sum();
  }

  private static long histogramCount(Collection<MetricData> metrics, String name) {
    return metrics.stream()
        .filter(m -> m.getName().equals(name))
        .flatMap(m -> m.getHistogramData().getPoints().stream())
        .mapToLong(p -> p.getCount())
        .sum();
  }

  @Test
  void countsEachOutcomePerQueueAndMethod() {
    TaskCounts.QueueCounts before = counts.byQueue().get("default");
    deferrer.defer(Jobs.class, j -> j.ok("a"));
    deferrer.defer(Jobs.class, j -> j.ok("b"));
    deferrer.defer(Jobs.class, j -> j.flaky("c"));
    deferrer.defer(Jobs.class, j -> j.doomed("d"));
    DeferredTestExtension.awaitIdle();

    Collection<MetricData> m = TestTelemetry.metrics.collectAllMetrics();
    assertThat(count(m, "deferred.tasks.deferred", "Jobs.ok(String)")).isEqualTo(2);
    assertThat(count(m, "deferred.tasks.enqueued", "Jobs.ok(String)")).isEqualTo(2);
    assertThat(count(m, "deferred.tasks.executed", "Jobs.ok(String)")).isEqualTo(2);
    assertThat(count(m, "deferred.tasks.succeeded", "Jobs.ok(String)")).isEqualTo(2);
    assertThat(count(m, "deferred.tasks.executed", "Jobs.flaky(String)")).isEqualTo(2);
    assertThat(count(m, "deferred.tasks.retried", "Jobs.flaky(String)")).isEqualTo(1);
    assertThat(count(m, "deferred.tasks.succeeded", "Jobs.flaky(String)")).isEqualTo(1);
    assertThat(count(m, "deferred.tasks.failed", "Jobs.doomed(String)")).isEqualTo(1);
    assertThat(count(m, "deferred.tasks.succeeded", "Jobs.doomed(String)")).isZero();
    assertThat(count(m, "deferred.tasks.enqueue_failed", "Jobs.ok(String)")).isZero();
    assertThat(histogramCount(m, "messaging.process.duration")).isEqualTo(5);
    assertThat(histogramCount(m, "deferred.task.queue_lag")).isEqualTo(5);
    // The library's own counters, which the console reads, count the same events.
    TaskCounts.QueueCounts after = counts.byQueue().get("default");
    assertThat(after.deferred() - before.deferred()).isEqualTo(4);
    assertThat(after.succeeded() - before.succeeded()).isEqualTo(3);
    assertThat(after.retried() - before.retried()).isEqualTo(1);
    assertThat(after.failed() - before.failed()).isEqualTo(1);
  }

  @Test
  void theTaskSpanContinuesTheCallersTraceWithItsBaggage() {
    Span request = otel.getTracer("test").spanBuilder("request").startSpan();
    try (Scope s = request.makeCurrent();
        Scope b = Baggage.current().toBuilder().put("tenant", "acme").build().makeCurrent()) {
      deferrer.defer(Jobs.class, j -> j.ok("traced"));
    } finally {
      request.end();
    }
    DeferredTestExtension.awaitIdle();

    String traceId = request.getSpanContext().getTraceId();
    assertThat(Jobs.TRACE.get("traced")).isEqualTo(traceId);
    assertThat(Jobs.BAGGAGE.get("traced")).isEqualTo("acme");
    List<SpanData> spans = TestTelemetry.spans.getFinishedSpanItems();
    SpanData send = only(spans, "send default");
    SpanData process = only(spans, "process default");
    assertThat(send.getKind()).isEqualTo(SpanKind.PRODUCER);
    assertThat(send.getParentSpanId()).isEqualTo(request.getSpanContext().getSpanId());
    assertThat(process.getKind()).isEqualTo(SpanKind.CONSUMER);
    assertThat(process.getTraceId()).isEqualTo(traceId);
    assertThat(process.getParentSpanId()).isEqualTo(send.getSpanId());
    assertThat(process.getAttributes().get(AttributeKey.stringKey("messaging.system")))
        .isEqualTo("gcp_cloud_tasks");
    assertThat(process.getAttributes().get(AttributeKey.stringKey("messaging.message.id")))
        .isNotBlank();
    assertThat(process.getAttributes().get(AttributeKey.longKey("deferred.task.retry_count")))
        .isZero();
    assertThat(process.getAttributes().get(AttributeKey.stringKey("deferred.method")))
        .isEqualTo("Jobs.ok(String)");
  }

  @Test
  void aTransactionalDeferCarriesTheContextOfTheTransactionsCaller() throws Exception {
    Span request = otel.getTracer("test").spanBuilder("request").startSpan();
    try (Scope s = request.makeCurrent()) {
      transactions.begin();
      deferrer.defer(Jobs.class, j -> j.ok("after-commit"), DeferOptions.defaults());
      transactions.commit();
    } finally {
      request.end();
    }
    DeferredTestExtension.awaitIdle();

    assertThat(Jobs.TRACE.get("after-commit")).isEqualTo(request.getSpanContext().getTraceId());
  }

  private static SpanData only(List<SpanData> spans, String name) {
    List<SpanData> named = spans.stream().filter(s -> s.getName().equals(name)).toList();
    assertThat(named).as("spans named " + name + " in " + spans).hasSize(1);
    return named.get(0);
  }
}
