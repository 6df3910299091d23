package dev.deferred.benchmarks;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/**
 * Runs the whole harness at toy sizes (set by surefire in this module's POM) so that a change that
 * breaks a measurement is caught by the build. It checks that each measurement completes and
 * reports its figure; it never judges the figures, which are only meaningful at full size.
 */
class EmulatorBenchmarkHarnessTest {

  @Test
  void harnessCompletesEveryMeasurementAndReportsItsFigures() throws Exception {
    ByteArrayOutputStream captured = new ByteArrayOutputStream();
    PrintStream original = System.out;
    System.setOut(new PrintStream(captured, true, StandardCharsets.UTF_8));
    try {
      EmulatorBenchmark.main(new String[] {"all"});
    } finally {
      System.setOut(original);
    }
    String report = captured.toString(StandardCharsets.UTF_8);
    original.print(report);

    assertThat(report)
        .contains("machine:")
        .containsPattern("round 1: emulator \\d+ deliveries/s, plain HttpClient \\d+ requests/s")
        .containsPattern("median ratio: \\d+\\.\\d\\d")
        .contains("created 300 tasks over gRPC")
        .contains("retained heap after GC:")
        .contains("ListTasks BASIC, 3 pages of 100")
        .contains("ListTasks FULL, 3 pages of 100");
  }
}
