package dev.deferred.impl.handler;

import dev.deferred.PermanentTaskFailure;
import dev.deferred.SingularTaskFailure;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.atomic.AtomicInteger;

/** Task methods with every outcome the handler distinguishes. */
@ApplicationScoped
public class Outcomes {
  static final Map<String, AtomicInteger> ATTEMPTS = new ConcurrentHashMap<>();
  static final BlockingQueue<String> EVENTS = new LinkedBlockingQueue<>();

  private static int attempt(String key) {
    return ATTEMPTS.computeIfAbsent(key, k -> new AtomicInteger()).incrementAndGet();
  }

  public void succeed(String key) {
    EVENTS.add("ok " + key + " " + attempt(key));
  }

  public void permanent(String key) {
    attempt(key);
    throw new PermanentTaskFailure("Order " + key + " no longer exists");
  }

  public void singularOnce(String key) {
    int n = attempt(key);
    if (n == 1) {
      throw new SingularTaskFailure("not ready yet");
    }
    EVENTS.add("ok " + key + " " + n);
  }

  public void failOnce(String key) {
    int n = attempt(key);
    if (n == 1) {
      throw new IllegalStateException("boom");
    }
    EVENTS.add("ok " + key + " " + n);
  }

  public void alwaysFail(String key) {
    attempt(key);
    throw new IllegalStateException("always " + key);
  }
}
