package dev.deferred.benchmarks;

import java.util.List;

/**
 * Runs the figures of {@code docs/performance.md}: {@code all} (default) or a comma-separated list
 * of {@code codec}, {@code callsite}, {@code transaction}, {@code dispatch}, {@code memory}.
 *
 * <p>The library's figures are JMH benchmarks, each run against its baseline in the same JVM and
 * round (see {@link JmhFigure}); the emulator's are {@link EmulatorBenchmark}.
 */
public final class Benchmarks {

  private Benchmarks() {}

  /**
   * Runs the chosen figures and prints them.
   *
   * @param args the figures to run (comma-separated), {@code all} when absent
   * @throws Exception if a measurement cannot complete
   */
  public static void main(String[] args) throws Exception {
    List<String> which = List.of((args.length == 0 ? "all" : args[0]).split(","));
    List<String> known = List.of("all", "codec", "callsite", "transaction", "dispatch", "memory");
    for (String w : which) {
      if (!known.contains(w)) {
        throw new IllegalArgumentException(
            "Unknown benchmark '" + w + "': use one of " + String.join(", ", known));
      }
    }
    boolean all = which.contains("all");
    if (all || which.contains("codec")) {
      CodecBenchmark.figure().run();
    }
    if (all || which.contains("callsite")) {
      CallSiteBenchmark.figure().run();
    }
    if (all || which.contains("transaction")) {
      TransactionalDeferBenchmark.figure().run();
    }
    if (all || (which.contains("dispatch") && which.contains("memory"))) {
      EmulatorBenchmark.main(new String[] {"all"});
    } else if (which.contains("dispatch") || which.contains("memory")) {
      EmulatorBenchmark.main(new String[] {which.contains("dispatch") ? "dispatch" : "memory"});
    }
  }
}
