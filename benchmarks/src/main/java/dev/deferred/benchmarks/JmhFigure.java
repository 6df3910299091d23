package dev.deferred.benchmarks;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.options.ChainedOptionsBuilder;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;

/**
 * One figure of {@code docs/performance.md}: JMH benchmark methods of one class, each compared with
 * a baseline method of the same class measured in the same round (same JVM fork, minutes apart at
 * most). The figure is run {@code bench.jmh.rounds} times; it prints every round, then per method
 * the median and range of the round scores and per comparison the median and range of the round
 * ratios, and whether the aim is met.
 *
 * <p>Sizes come from system properties of the harness JVM: {@code bench.jmh.forks} (1), {@code
 * bench.jmh.rounds} (2), {@code bench.jmh.warmup} (warm-up iterations, 1), {@code
 * bench.jmh.iterations} (measured iterations, 2), {@code bench.jmh.time} (per iteration, 1s) and
 * {@code bench.jmh.jvmArgs} (extra options of the forked JVM) and {@code bench.jmh.prof} (a JMH
 * profiler with its options, e.g. {@code jfr:dir=target/jfr}: one JFR recording per benchmark).
 */
final class JmhFigure {

  /**
   * A method compared with a baseline.
   *
   * @param method the measured method
   * @param baseline the baseline method
   * @param aim the ratio aimed for: at most this for times, at least this for rates; 0 for none
   */
  record Comparison(String method, String baseline, double aim) {}

  private static final int FORKS = Integer.getInteger("bench.jmh.forks", 1);
  private static final int ROUNDS = Integer.getInteger("bench.jmh.rounds", 2);
  private static final int WARMUP = Integer.getInteger("bench.jmh.warmup", 1);
  private static final int ITERATIONS = Integer.getInteger("bench.jmh.iterations", 2);
  private static final String TIME = System.getProperty("bench.jmh.time", "1s");
  private static final String JVM_ARGS = System.getProperty("bench.jmh.jvmArgs", "");
  private static final String PROFILER = System.getProperty("bench.jmh.prof", "");

  private final String name;
  private final Class<?> benchmarks;
  private final Mode mode;
  private final List<Integer> threads;
  private final List<String> methods;
  private final List<Comparison> comparisons;

  JmhFigure(
      String name,
      Class<?> benchmarks,
      Mode mode,
      List<Integer> threads,
      List<String> methods,
      List<Comparison> comparisons) {
    this.name = name;
    this.benchmarks = benchmarks;
    this.mode = mode;
    this.threads = threads;
    this.methods = methods;
    this.comparisons = comparisons;
  }

  private boolean isTime() {
    return mode == Mode.AverageTime;
  }

  private String unit() {
    return isTime() ? "µs/op" : "ops/s";
  }

  /** Runs the rounds and prints the figure. */
  void run() throws RunnerException {
    for (int t : threads) {
      System.out.printf(
          Locale.ROOT,
          "%n## %s, %d caller%s: %d round(s), %d fork(s), %d warm-up + %d measured iterations of"
              + " %s%n",
          name,
          t,
          t == 1 ? "" : "s",
          ROUNDS,
          FORKS,
          WARMUP,
          ITERATIONS,
          TIME);
      Map<String, List<Double>> scores = new LinkedHashMap<>();
      methods.forEach(m -> scores.put(m, new ArrayList<>()));
      Map<Comparison, List<Double>> ratios = new LinkedHashMap<>();
      comparisons.forEach(c -> ratios.put(c, new ArrayList<>()));
      for (int round = 1; round <= ROUNDS; round++) {
        Map<String, Double> score = runRound(t);
        StringBuilder line = new StringBuilder("round " + round + ":");
        for (String m : methods) {
          scores.get(m).add(score.get(m));
          line.append(String.format(Locale.ROOT, " %s %.2f %s;", m, score.get(m), unit()));
        }
        for (Comparison c : comparisons) {
          double ratio = score.get(c.method()) / score.get(c.baseline());
          ratios.get(c).add(ratio);
          line.append(String.format(Locale.ROOT, " %s/%s %.2f;", c.method(), c.baseline(), ratio));
        }
        System.out.println(line);
      }
      for (String m : methods) {
        List<Double> s = scores.get(m);
        System.out.printf(
            Locale.ROOT,
            "%s, %d caller%s: %s median %.2f %s (range %.2f to %.2f)%n",
            name,
            t,
            t == 1 ? "" : "s",
            m,
            median(s),
            unit(),
            min(s),
            max(s));
      }
      for (Comparison c : comparisons) {
        List<Double> r = ratios.get(c);
        double median = median(r);
        String verdict =
            c.aim() == 0
                ? "no aim"
                : String.format(
                    Locale.ROOT,
                    "aim %s %.2f %s",
                    isTime() ? "at most" : "at least",
                    c.aim(),
                    (isTime() ? median <= c.aim() : median >= c.aim()) ? "met" : "missed");
        System.out.printf(
            Locale.ROOT,
            "%s, %d caller%s: ratio %s/%s median %.2f (range %.2f to %.2f), %s%n",
            name,
            t,
            t == 1 ? "" : "s",
            c.method(),
            c.baseline(),
            median,
            min(r),
            max(r),
            verdict);
      }
    }
  }

  private Map<String, Double> runRound(int threadCount) throws RunnerException {
    String include =
        "^"
            + benchmarks.getName().replace(".", "\\.")
            + "\\.("
            + methods.stream().collect(Collectors.joining("|"))
            + ")$";
    ChainedOptionsBuilder options =
        new OptionsBuilder()
            .include(include)
            .mode(mode)
            .timeUnit(isTime() ? TimeUnit.MICROSECONDS : TimeUnit.SECONDS)
            .threads(threadCount)
            .forks(FORKS)
            .warmupIterations(WARMUP)
            .warmupTime(TimeValue.fromString(TIME))
            .measurementIterations(ITERATIONS)
            .measurementTime(TimeValue.fromString(TIME))
            .shouldFailOnError(true)
            .jvmArgsAppend(jvmArgs());
    if (!PROFILER.isBlank()) {
      int colon = PROFILER.indexOf(':');
      if (colon < 0) {
        options.addProfiler(PROFILER.trim());
      } else {
        options.addProfiler(PROFILER.substring(0, colon), PROFILER.substring(colon + 1));
      }
    }
    Collection<RunResult> results = new Runner(options.build()).run();
    Map<String, Double> score = new LinkedHashMap<>();
    for (RunResult r : results) {
      String benchmark = r.getParams().getBenchmark();
      score.put(
          benchmark.substring(benchmark.lastIndexOf('.') + 1), r.getPrimaryResult().getScore());
    }
    for (String m : methods) {
      if (!score.containsKey(m)) {
        throw new IllegalStateException("JMH ran no benchmark " + m + " (include " + include + ")");
      }
    }
    return score;
  }

  private static String[] jvmArgs() {
    List<String> args = new ArrayList<>(List.of("-Xms512m", "-Xmx512m"));
    for (String a : JVM_ARGS.trim().split("\\s+")) {
      if (!a.isEmpty()) {
        args.add(a);
      }
    }
    for (String p : List.of("java.util.logging.config.file")) {
      if (System.getProperty(p) != null) {
        args.add("-D" + p + "=" + System.getProperty(p));
      }
    }
    return args.toArray(String[]::new);
  }

  static double median(List<Double> values) {
    List<Double> sorted = values.stream().sorted().toList();
    int n = sorted.size();
    return n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
  }

  private static double min(List<Double> values) {
    return values.stream().mapToDouble(Double::doubleValue).min().orElse(Double.NaN);
  }

  private static double max(List<Double> values) {
    return values.stream().mapToDouble(Double::doubleValue).max().orElse(Double.NaN);
  }
}
