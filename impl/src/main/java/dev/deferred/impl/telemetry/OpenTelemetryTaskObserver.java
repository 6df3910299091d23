package dev.deferred.impl.telemetry;

import dev.deferred.impl.operations.TaskObserver;
import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.metrics.DoubleHistogram;
import io.opentelemetry.api.metrics.LongCounter;
import io.opentelemetry.api.metrics.Meter;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.Scope;
import io.opentelemetry.context.propagation.TextMapGetter;
import java.math.BigDecimal;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Metrics and spans after the OpenTelemetry semantic conventions for messaging: Cloud Tasks is the
 * messaging system, the queue the destination, the task name the message id.
 *
 * <p>At defer, a {@code send} span (kind PRODUCER) is started and ended on the caller's thread, and
 * its context travels in the task's HTTP headers ({@code traceparent}, {@code tracestate}, {@code
 * baggage}, with the application's configured propagators). The handler starts the task's {@code
 * process} span (kind CONSUMER) as a child of that context, so a request's trace id reaches the
 * task, and keeps it current while the method runs.
 */
public final class OpenTelemetryTaskObserver implements TaskObserver {
  private static final Logger LOG = Logger.getLogger(OpenTelemetryTaskObserver.class.getName());

  /** The instrumentation scope name. */
  public static final String SCOPE = "dev.deferred";

  /** {@code messaging.system} of Cloud Tasks (not yet in the conventions' list). */
  public static final String SYSTEM = "gcp_cloud_tasks";

  static final AttributeKey<String> MESSAGING_SYSTEM = AttributeKey.stringKey("messaging.system");
  static final AttributeKey<String> DESTINATION =
      AttributeKey.stringKey("messaging.destination.name");
  static final AttributeKey<String> OPERATION_NAME =
      AttributeKey.stringKey("messaging.operation.name");
  static final AttributeKey<String> OPERATION_TYPE =
      AttributeKey.stringKey("messaging.operation.type");
  static final AttributeKey<String> MESSAGE_ID = AttributeKey.stringKey("messaging.message.id");
  static final AttributeKey<String> METHOD = AttributeKey.stringKey("deferred.method");
  static final AttributeKey<Long> RETRY_COUNT = AttributeKey.longKey("deferred.task.retry_count");
  static final AttributeKey<String> OUTCOME = AttributeKey.stringKey("deferred.outcome");
  static final AttributeKey<String> ERROR_TYPE = AttributeKey.stringKey("error.type");

  private static final TextMapGetter<Function<String, String>> HEADERS =
      new TextMapGetter<>() {
        @Override
        public Iterable<String> keys(Function<String, String> carrier) {
          return List.of("traceparent", "tracestate", "baggage");
        }

        @Override
        public String get(Function<String, String> carrier, String key) {
          return carrier == null ? null : carrier.apply(key);
        }
      };

  private final OpenTelemetry otel;
  private final Tracer tracer;
  private final Clock clock;
  private final LongCounter deferred;
  private final LongCounter enqueued;
  private final LongCounter enqueueFailed;
  private final LongCounter executed;
  private final LongCounter succeeded;
  private final LongCounter retried;
  private final LongCounter failed;
  private final DoubleHistogram duration;
  private final DoubleHistogram lag;

  /**
   * An observer reporting to {@code otel}.
   *
   * @param otel the application's OpenTelemetry
   * @param clock the clock for execution time and queue lag
   */
  public OpenTelemetryTaskObserver(OpenTelemetry otel, Clock clock) {
    this.otel = otel;
    this.clock = clock;
    this.tracer = otel.getTracer(SCOPE);
    Meter meter = otel.getMeter(SCOPE);
    deferred = counter(meter, "deferred.tasks.deferred", "Calls deferred");
    enqueued = counter(meter, "deferred.tasks.enqueued", "Tasks created in Cloud Tasks");
    enqueueFailed =
        counter(
            meter,
            "deferred.tasks.enqueue_failed",
            "Tasks Cloud Tasks refused or could not be reached for");
    executed = counter(meter, "deferred.tasks.executed", "Task deliveries handled");
    succeeded = counter(meter, "deferred.tasks.succeeded", "Task deliveries that succeeded");
    retried = counter(meter, "deferred.tasks.retried", "Task deliveries answered for a retry");
    failed =
        counter(
            meter,
            "deferred.tasks.failed",
            "Tasks that failed for good and were recorded in the failure store");
    duration =
        meter
            .histogramBuilder("messaging.process.duration")
            .setDescription("Duration of handling a task delivery")
            .setUnit("s")
            .build();
    lag =
        meter
            .histogramBuilder("deferred.task.queue_lag")
            .setDescription("Start of execution minus the task's scheduled time")
            .setUnit("s")
            .build();
  }

  private static LongCounter counter(Meter meter, String name, String description) {
    return meter.counterBuilder(name).setDescription(description).setUnit("{task}").build();
  }

  private static Attributes attributes(String queue, String method) {
    return method == null
        ? Attributes.of(MESSAGING_SYSTEM, SYSTEM, DESTINATION, queue)
        : Attributes.of(MESSAGING_SYSTEM, SYSTEM, DESTINATION, queue, METHOD, method);
  }

  @Override
  public Map<String, String> deferring(String queue, String method) {
    try {
      deferred.add(1, attributes(queue, method));
      Span span =
          tracer
              .spanBuilder("send " + queue)
              .setSpanKind(SpanKind.PRODUCER)
              .setAllAttributes(attributes(queue, method))
              .setAttribute(OPERATION_NAME, "send")
              .setAttribute(OPERATION_TYPE, "send")
              .startSpan();
      Map<String, String> headers = new HashMap<>();
      try {
        otel.getPropagators()
            .getTextMapPropagator()
            .inject(Context.current().with(span), headers, (carrier, k, v) -> carrier.put(k, v));
      } finally {
        span.end();
      }
      return headers;
    } catch (RuntimeException e) {
      LOG.log(Level.FINE, "Telemetry of a defer failed", e);
      return Map.of();
    }
  }

  @Override
  public void enqueued(String queue, String method) {
    enqueued.add(1, attributes(queue, method));
  }

  @Override
  public void enqueueFailed(String queue, String method, Throwable error) {
    enqueueFailed.add(
        1,
        attributes(queue, method).toBuilder().put(ERROR_TYPE, error.getClass().getName()).build());
  }

  @Override
  public Execution executing(Function<String, String> header) {
    try {
      return new OtelExecution(header);
    } catch (RuntimeException e) {
      LOG.log(Level.FINE, "Telemetry of a task failed", e);
      return Execution.NONE;
    }
  }

  private final class OtelExecution implements Execution {
    private final Instant start = clock.instant();
    private final String queue;
    private final Instant eta;
    private final Span span;
    private final Scope scope;
    private String method;

    OtelExecution(Function<String, String> header) {
      queue = value(header, "QueueName");
      eta = epochSeconds(value(header, "TaskETA"));
      Context parent =
          otel.getPropagators().getTextMapPropagator().extract(Context.root(), header, HEADERS);
      var builder =
          tracer
              .spanBuilder("process " + (queue == null ? "task" : queue))
              .setParent(parent)
              .setSpanKind(SpanKind.CONSUMER)
              .setAttribute(MESSAGING_SYSTEM, SYSTEM)
              .setAttribute(OPERATION_NAME, "process")
              .setAttribute(OPERATION_TYPE, "process");
      if (queue != null) {
        builder.setAttribute(DESTINATION, queue);
      }
      String task = value(header, "TaskName");
      if (task != null) {
        builder.setAttribute(MESSAGE_ID, task);
      }
      String retries = value(header, "TaskRetryCount");
      if (retries != null && retries.trim().matches("[0-9]{1,9}")) {
        builder.setAttribute(RETRY_COUNT, Long.parseLong(retries.trim()));
      }
      span = builder.startSpan();
      // The extracted context, not just the span: its baggage reaches the task's code too.
      scope = parent.with(span).makeCurrent();
    }

    @Override
    public void method(String method) {
      this.method = method;
      span.setAttribute(METHOD, method);
    }

    @Override
    public void ended(Outcome outcome, int status) {
      try {
        scope.close();
        span.setAttribute(OUTCOME, outcome.name().toLowerCase(java.util.Locale.ROOT));
        span.setAttribute("http.response.status_code", (long) status);
        if (outcome != Outcome.SUCCEEDED) {
          span.setStatus(StatusCode.ERROR, outcome.name());
        }
        span.end();
        if (outcome == Outcome.REJECTED || queue == null) {
          return;
        }
        Instant end = clock.instant();
        Attributes a = attributes(queue, method);
        executed.add(1, a);
        switch (outcome) {
          case SUCCEEDED -> succeeded.add(1, a);
          case RETRIED -> retried.add(1, a);
          case FAILED_PERMANENTLY -> failed.add(1, a);
          default -> {}
        }
        duration.record(seconds(Duration.between(start, end)), a);
        if (eta != null) {
          lag.record(Math.max(0, seconds(Duration.between(eta, start))), a);
        }
      } catch (RuntimeException e) {
        LOG.log(Level.FINE, "Telemetry of a task failed", e);
      }
    }
  }

  private static double seconds(Duration d) {
    return d.toNanos() / 1e9;
  }

  private static String value(Function<String, String> header, String suffix) {
    String v = header.apply("X-CloudTasks-" + suffix);
    return v != null ? v : header.apply("X-AppEngine-" + suffix);
  }

  private static Instant epochSeconds(String text) {
    if (text == null) {
      return null;
    }
    try {
      BigDecimal seconds = new BigDecimal(text.trim());
      long whole = seconds.longValue();
      long nanos = seconds.subtract(BigDecimal.valueOf(whole)).movePointRight(9).longValue();
      return Instant.ofEpochSecond(whole, nanos);
    } catch (NumberFormatException | ArithmeticException e) {
      return null;
    }
  }
}
