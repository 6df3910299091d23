package dev.deferred.impl.defer;

import jakarta.enterprise.context.ApplicationScoped;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/** Counts the runs of each task by the id it was given. */
@ApplicationScoped
public class Ledger {
  static final Map<Integer, AtomicInteger> RUNS = new ConcurrentHashMap<>();

  public void record(int id, String padding) {
    RUNS.computeIfAbsent(id, k -> new AtomicInteger()).incrementAndGet();
  }

  static int total() {
    return RUNS.values().stream().mapToInt(AtomicInteger::get).sum();
  }
}
