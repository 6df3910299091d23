package dev.deferred.benchmarks;

import java.util.List;

/**
 * Runs the figures of {@code docs/performance.md}: {@code all} (default) or one of {@code codec},
 * {@code callsite}, {@code transaction}, {@code dispatch}, {@code memory}.
 *
 * <p>The library's figures are JMH benchmarks, each run against its baseline in the same JVM and
 * round (see {@link JmhFigure}); the emulator's are {@link EmulatorBenchmark}.
 */
public final class Benchmarks {

  private Benchmarks() {}

  /**
   * Runs the chosen figures and prints them.
   *
   * @param args the figure to run, {@code all} when absent
   * @throws Exception if a measurement cannot complete
   */
  public static void main(String[] args) throws Exception {
    String which = args.length == 0 ? "all" : args[0];
    List<String> known = List.of("all", "codec", "callsite", "transaction", "dispatch", "memory");
    if (!known.contains(which)) {
      throw new IllegalArgumentException(
          "Unknown benchmark '" + which + "': use one of " + String.join(", ", known));
    }
    boolean all = which.equals("all");
    if (all || which.equals("codec")) {
      CodecBenchmark.figure().run();
    }
    if (all || which.equals("callsite")) {
      CallSiteBenchmark.figure().run();
    }
    if (all || which.equals("transaction")) {
      TransactionalDeferBenchmark.figure().run();
    }
    if (all || which.equals("dispatch") || which.equals("memory")) {
      EmulatorBenchmark.main(new String[] {all ? "all" : which});
    }
  }
}
