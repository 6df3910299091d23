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
        .containsPattern(
            "round 1: 3000 rows; plain JDBC keyset scan \\d+ rows/s; iteration 1 shard \\d+ rows/s"
                + " \\(ratio \\d+\\.\\d\\d\\), 2 shards \\d+ rows/s \\(ratio \\d+\\.\\d\\d,"
                + " speed-up \\d+\\.\\d\\d\\)")
        .containsPattern("retained heap while iterating 1000 rows: peak \\d+\\.\\d MB after GC")
        .containsPattern("retained heap while iterating 3000 rows: peak \\d+\\.\\d MB after GC");
  }
}
