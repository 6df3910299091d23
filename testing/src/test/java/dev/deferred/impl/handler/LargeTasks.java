package dev.deferred.impl.handler;

import jakarta.enterprise.context.ApplicationScoped;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.atomic.AtomicInteger;

/** Tasks whose payload is too large to travel inline: they go through the payload store. */
@ApplicationScoped
public class LargeTasks {
  /** How often each task's method ran, by id. */
  static final Map<Integer, AtomicInteger> RUNS = new ConcurrentHashMap<>();

  /** The ids in the order they ran. */
  static final BlockingQueue<Integer> RAN = new LinkedBlockingQueue<>();

  public void take(int id, String data) {
    if (data.length() < 1000) {
      throw new IllegalArgumentException("expected a large argument, got " + data.length());
    }
    RUNS.computeIfAbsent(id, k -> new AtomicInteger()).incrementAndGet();
    RAN.add(id);
  }

  static void reset() {
    RUNS.clear();
    RAN.clear();
  }
}
