package dev.deferred.benchmarks;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/**
 * Runs the embedded-mode benchmark (the library and JobRunr side by side, and the heap per task in
 * flight) at toy sizes in a JVM of its own, as the {@code bench} profile does. It checks that every
 * measurement completes and reports its figure, never the figures themselves.
 */
class EmbeddedBenchmarkHarnessTest {

  @Test
  void harnessCompletesEveryMeasurementAndReportsItsFigures() throws Exception {
    ProcessBuilder java =
        new ProcessBuilder(
                ProcessHandle.current().info().command().orElse("java"),
                "-Xmx256m",
                "-Dbench.embedded.tasks=40",
                "-Dbench.embedded.rounds=1",
                "-Dbench.inflight.tasks=200",
                "-cp",
                System.getProperty("java.class.path"),
                EmbeddedBenchmark.class.getName())
            .redirectErrorStream(true);
    Process process = java.start();
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    process.getInputStream().transferTo(out);
    int exit = process.waitFor();
    String report = out.toString(StandardCharsets.UTF_8);
    System.out.print(report);

    assertThat(exit).as(report).isZero();
    assertThat(report)
        .containsPattern(
            "round 1: Deferred embedded \\d+\\.\\d tasks/s; JobRunr in-memory \\d+\\.\\d jobs/s"
                + " \\(ours/theirs \\d+\\.\\d\\d\\); JobRunr H2 \\d+\\.\\d jobs/s \\(ours/theirs"
                + " \\d+\\.\\d\\d\\)")
        .containsPattern("embedded: JobRunr H2 median .*Deferred embedded / JobRunr H2 median")
        .containsPattern("retained per 10,000 tasks in flight: -?\\d+\\.\\d MB");
  }
}
