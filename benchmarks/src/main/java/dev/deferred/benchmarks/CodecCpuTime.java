package dev.deferred.benchmarks;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Figure 1 measured in CPU time instead of wall time: the methods of {@link CodecBenchmark}, each
 * run on one thread until it has used a fixed amount of that thread's CPU time, reported as CPU µs
 * per call. On a machine shared with other builds, a JMH wall-clock score also counts the time the
 * thread waited for a core (and for the collector's threads), which varies by tens of times from
 * one minute to the next; the CPU time a call uses does not, so these ratios are the steadier
 * figure there. Single-threaded work only: a method that waits for other threads would hide their
 * CPU time.
 *
 * <p>Sizes: {@code bench.jmh.rounds} rounds (3); {@code bench.cpu.warmup} (1500) and {@code
 * bench.cpu.measure} (500) milliseconds of CPU time per method, for the warm-up and per round.
 */
final class CodecCpuTime {

  private static final List<String> METHODS =
      List.of("plainJsonb", "envelope", "encode", "signAndVerify", "verifyAndDecode");

  private CodecCpuTime() {}

  static void run() throws Exception {
    int rounds = Integer.getInteger("bench.jmh.rounds", 3);
    long warmup = Long.getLong("bench.cpu.warmup", 1500) * 1_000_000L;
    long measure = Long.getLong("bench.cpu.measure", 500) * 1_000_000L;
    ThreadMXBean threads = ManagementFactory.getThreadMXBean();
    CodecBenchmark codec = new CodecBenchmark();
    codec.setUp();
    try {
      System.out.printf(
          Locale.ROOT,
          "%n## codec in CPU time: %d round(s), %d ms of CPU warm-up and %d ms per round per"
              + " method%n",
          rounds,
          warmup / 1_000_000,
          measure / 1_000_000);
      for (String m : METHODS) {
        cpuMicrosPerCall(codec, m, warmup, threads);
      }
      Map<String, List<Double>> ratios = new LinkedHashMap<>();
      for (int round = 1; round <= rounds; round++) {
        StringBuilder line = new StringBuilder("round " + round + ":");
        double plain = cpuMicrosPerCall(codec, "plainJsonb", measure, threads);
        line.append(String.format(Locale.ROOT, " plainJsonb %.1f µs;", plain));
        for (String m : METHODS.subList(1, METHODS.size())) {
          double micros = cpuMicrosPerCall(codec, m, measure, threads);
          ratios.computeIfAbsent(m, k -> new ArrayList<>()).add(micros / plain);
          line.append(
              String.format(Locale.ROOT, " %s %.1f µs (%.2fx);", m, micros, micros / plain));
        }
        System.out.println(line.append(" CPU per call"));
      }
      ratios.forEach(
          (m, r) ->
              System.out.printf(
                  Locale.ROOT,
                  "codec in CPU time: ratio %s/plainJsonb median %.2f (range %.2f to %.2f)%s%n",
                  m,
                  JmhFigure.median(r),
                  r.stream().mapToDouble(Double::doubleValue).min().orElse(Double.NaN),
                  r.stream().mapToDouble(Double::doubleValue).max().orElse(Double.NaN),
                  m.equals("envelope")
                      ? (JmhFigure.median(r) <= 1.5
                          ? ", aim at most 1.50 met"
                          : ", aim at most 1.50 missed")
                      : ""));
    } finally {
      codec.tearDown();
    }
  }

  private static double cpuMicrosPerCall(
      CodecBenchmark codec, String method, long cpuNanos, ThreadMXBean threads) throws Exception {
    long start = threads.getCurrentThreadCpuTime();
    long calls = 0;
    Object sink = null;
    while (threads.getCurrentThreadCpuTime() - start < cpuNanos) {
      for (int i = 0; i < 20; i++) {
        sink =
            switch (method) {
              case "envelope" -> codec.envelope();
              case "encode" -> codec.encode();
              case "signAndVerify" -> codec.signAndVerify();
              case "verifyAndDecode" -> codec.verifyAndDecode();
              default -> codec.plainJsonb();
            };
      }
      calls += 20;
    }
    if (sink == null) {
      throw new IllegalStateException(method + " returned nothing");
    }
    return (threads.getCurrentThreadCpuTime() - start) / 1e3 / calls;
  }
}
