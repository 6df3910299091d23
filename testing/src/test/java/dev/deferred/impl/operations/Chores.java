package dev.deferred.impl.operations;

import dev.deferred.PermanentTaskFailure;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/** Task methods that succeed, fail once then succeed, or fail for good. */
@ApplicationScoped
public class Chores {
  static final Map<String, AtomicInteger> ATTEMPTS = new ConcurrentHashMap<>();

  public void sweep(String key) {
    ATTEMPTS.computeIfAbsent(key, k -> new AtomicInteger()).incrementAndGet();
  }

  public void dust(String key) {
    if (ATTEMPTS.computeIfAbsent(key, k -> new AtomicInteger()).incrementAndGet() == 1) {
      throw new IllegalStateException("first attempt of " + key + " fails");
    }
  }

  public void paint(String key) {
    throw new PermanentTaskFailure("no paint for " + key);
  }
}
