package dev.deferred.impl.telemetry;

import dev.deferred.PermanentTaskFailure;
import io.opentelemetry.api.baggage.Baggage;
import io.opentelemetry.api.trace.Span;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/** Task methods that succeed, fail once, or fail for good; they note the trace they ran in. */
@ApplicationScoped
public class Jobs {
  static final Map<String, AtomicInteger> ATTEMPTS = new ConcurrentHashMap<>();
  static final Map<String, String> TRACE = new ConcurrentHashMap<>();
  static final Map<String, String> BAGGAGE = new ConcurrentHashMap<>();

  private static int attempt(String key) {
    TRACE.put(key, Span.current().getSpanContext().getTraceId());
    String tenant = Baggage.current().getEntryValue("tenant");
    if (tenant != null) {
      BAGGAGE.put(key, tenant);
    }
    return ATTEMPTS.computeIfAbsent(key, k -> new AtomicInteger()).incrementAndGet();
  }

  public void ok(String key) {
    attempt(key);
  }

  public void flaky(String key) {
    if (attempt(key) == 1) {
      throw new IllegalStateException("first attempt of " + key + " fails");
    }
  }

  public void doomed(String key) {
    attempt(key);
    throw new PermanentTaskFailure(key + " cannot run");
  }
}
