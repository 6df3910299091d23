package dev.deferred.benchmarks;

import java.util.ArrayList;
import java.util.List;

/**
 * Runs the figures of {@code docs/performance.md}: {@code all} (default) or a comma-separated list
 * of {@code codec}, {@code callsite}, {@code transaction}, {@code dispatch}, {@code memory}, {@code
 * embedded} (the library in embedded mode against JobRunr), {@code inflight} (heap per 10,000
 * queued tasks).
 *
 * <p>The library's figures are JMH benchmarks, each run against its baseline in the same JVM and
 * round (see {@link JmhFigure}); the emulator's are {@link EmulatorBenchmark}, the embedded mode's
 * {@link EmbeddedBenchmark}.
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
    List<String> known =
        List.of(
            "all",
            "codec",
            "callsite",
            "transaction",
            "dispatch",
            "memory",
            "embedded",
            "inflight",
            "iteration",
            // Measured by liberty-it's ThroughputIT on Open Liberty, in the same command.
            "handler",
            "endtoend");
    for (String w : which) {
      if (!known.contains(w)) {
        throw new IllegalArgumentException(
            "Unknown benchmark '" + w + "': use one of " + String.join(", ", known));
      }
    }
    boolean all = which.contains("all");
    if (all || which.contains("codec")) {
      CodecBenchmark.figure().run();
      CodecCpuTime.run();
    }
    if (all || which.contains("callsite")) {
      CallSiteBenchmark.figure().run();
    }
    if (all || which.contains("transaction")) {
      TransactionalDeferBenchmark.figure().run();
    }
    if (all || which.contains("embedded") || which.contains("inflight")) {
      EmbeddedBenchmark.main(
          new String[] {
            all
                ? "embedded,inflight"
                : String.join(
                    ",",
                    which.stream()
                        .filter(w -> w.equals("embedded") || w.equals("inflight"))
                        .toList())
          });
    }
    if (all || which.contains("iteration")) {
      iteration();
    }
    if (all || (which.contains("dispatch") && which.contains("memory"))) {
      EmulatorBenchmark.main(new String[] {"all"});
    } else if (which.contains("dispatch") || which.contains("memory")) {
      EmulatorBenchmark.main(new String[] {which.contains("dispatch") ? "dispatch" : "memory"});
    }
  }

  /**
   * The iteration benchmark in a JVM of its own (it measures that JVM's heap and ends it), with the
   * sizes given to this one.
   */
  private static void iteration() throws Exception {
    List<String> command = new ArrayList<>();
    command.add(ProcessHandle.current().info().command().orElse("java"));
    command.add("-Xms" + System.getProperty("bench.iteration.heap", "256m"));
    command.add("-Xmx" + System.getProperty("bench.iteration.heap", "256m"));
    for (String p :
        List.of("bench.iteration.rows", "bench.iteration.small-rows", "bench.iteration.rounds")) {
      if (System.getProperty(p) != null) {
        command.add("-D" + p + "=" + System.getProperty(p));
      }
    }
    command.add("-cp");
    command.add(System.getProperty("java.class.path"));
    command.add(IterationBenchmark.class.getName());
    System.out.printf("%n## iteration%n");
    int exit = new ProcessBuilder(command).inheritIO().start().waitFor();
    if (exit != 0) {
      throw new IllegalStateException("the iteration benchmark ended with exit code " + exit);
    }
  }
}
