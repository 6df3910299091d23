package dev.deferred.benchmarks;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/**
 * Runs the iteration benchmark at toy sizes (set by surefire in this module's POM), in a JVM of its
 * own: the benchmark ends the JVM when done. It checks that every measurement completes and reports
 * its figure, never the figures themselves.
 */
class IterationBenchmarkHarnessTest {

  @Test
  void harnessCompletesEveryMeasurementAndReportsItsFigures() throws Exception {
    ProcessBuilder java =
        new ProcessBuilder(
                ProcessHandle.current().info().command().orElse("java"),
                "-Xmx256m",
                "-Dbench.iteration.rows=" + System.getProperty("bench.iteration.rows"),
                "-Dbench.iteration.small-rows=" + System.getProperty("bench.iteration.small-rows"),
                "-Dbench.iteration.rounds=" + System.getProperty("bench.iteration.rounds"),
                "-cp",
                System.getProperty("java.class.path"),
                IterationBenchmark.class.getName())
            .redirectErrorStream(true);
    Process process = java.start();
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    process.getInputStream().transferTo(out);
    int exit = process.waitFor();
    String report = out.toString(StandardCharsets.UTF_8);
    System.out.print(report);

    assertThat(exit).as(report).isZero();
    assertThat(report)
        .contains("machine:")
        .contains("populated 3000 rows")
        .containsPattern("round 1: 3000 rows, load average -?\\d+\\.\\d to -?\\d+\\.\\d")
        .containsPattern("plain JDBC keyset scan: \\d+ rows/s")
        .containsPattern("JPA keyset loop, batches only: \\d+ rows/s \\(ratio \\d+\\.\\d{3}\\)")
        .containsPattern(
            "JPA keyset loop, a transaction per row: \\d+ rows/s \\(ratio \\d+\\.\\d{3}\\)")
        .containsPattern(
            "iteration, 1 shard: \\d+ rows/s \\(ratio \\d+\\.\\d{3}; \\d+\\.\\d\\d of the loop"
                + " with a transaction per row\\)")
        .containsPattern(
            "iteration, 2 shards: \\d+ rows/s \\(ratio \\d+\\.\\d{3}; speed-up over 1 shard"
                + " \\d+\\.\\d\\d\\)")
        .containsPattern(
            "median of 1 rounds: iteration, 1 shard / JDBC scan \\d+\\.\\d{3} \\(\\d+\\.\\d{3} to"
                + " \\d+\\.\\d{3}\\)")
        .containsPattern("retained heap while iterating 1000 rows: peak \\d+\\.\\d MB after GC")
        .containsPattern("retained heap while iterating 3000 rows: peak \\d+\\.\\d MB after GC");
  }
}
