package dev.deferred.benchmarks;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/**
 * Runs the library's JMH figures at toy sizes (in this JVM, iterations of 100 ms, set by surefire
 * in this module's POM) so that a change that breaks a benchmark is caught by the build. It checks
 * that each figure completes and reports its medians and ratios; it never judges the figures.
 */
class LibraryBenchmarksHarnessTest {

  private static String run(String figure) throws Exception {
    ByteArrayOutputStream captured = new ByteArrayOutputStream();
    PrintStream original = System.out;
    System.setOut(new PrintStream(captured, true, StandardCharsets.UTF_8));
    try {
      Benchmarks.main(new String[] {figure});
    } finally {
      System.setOut(original);
    }
    String report = captured.toString(StandardCharsets.UTF_8);
    original.print(report);
    return report;
  }

  @Test
  void codecFigureComparesTheEnvelopeWithPlainJsonb() throws Exception {
    assertThat(run("codec"))
        .containsPattern("codec, 1 caller: envelope median \\d+\\.\\d\\d µs/op \\(range")
        .containsPattern("codec, 1 caller: plainJsonb median \\d+\\.\\d\\d µs/op")
        .containsPattern("codec, 1 caller: encode median")
        .containsPattern("codec, 1 caller: signAndVerify median")
        .containsPattern("codec, 1 caller: verifyAndDecode median")
        .containsPattern(
            "codec, 1 caller: ratio envelope/plainJsonb median \\d+\\.\\d\\d \\(range \\d+\\.\\d\\d"
                + " to \\d+\\.\\d\\d\\), aim at most 1\\.50 (met|missed)")
        .containsPattern("round 1: plainJsonb \\d+\\.\\d µs; envelope \\d+\\.\\d µs")
        .containsPattern(
            "codec in CPU time: ratio envelope/plainJsonb median \\d+\\.\\d\\d \\(range"
                + " \\d+\\.\\d\\d to \\d+\\.\\d\\d\\), aim at most 1\\.50 (met|missed)");
  }

  @Test
  void callSiteFigureComparesBothCallStylesWithTheRawClientAtOneAndSixteenCallers()
      throws Exception {
    String report = run("callsite");
    for (String callers : new String[] {"1 caller", "16 callers"}) {
      assertThat(report)
          .containsPattern("call site, " + callers + ": rawCreateTask median \\d+\\.\\d\\d ops/s")
          .containsPattern("call site, " + callers + ": recordingStandIn median")
          .containsPattern(
              "call site, "
                  + callers
                  + ": ratio deferrer/rawCreateTask median \\d+\\.\\d\\d .*aim at least 0\\.80")
          .containsPattern(
              "call site, "
                  + callers
                  + ": ratio deferredMethod/rawCreateTask median \\d+\\.\\d\\d");
    }
  }

  @Test
  void transactionalFigureComparesACommittedDeferWithAPlainOne() throws Exception {
    String report = run("transaction");
    for (String callers : new String[] {"1 caller", "16 callers"}) {
      assertThat(report)
          .containsPattern("transactional defer, " + callers + ": emptyTransaction median")
          .containsPattern(
              "transactional defer, "
                  + callers
                  + ": ratio transactional/nonTransactional median \\d+\\.\\d\\d .*no aim");
    }
  }

  @Test
  void anUnknownFigureIsRefusedWithTheKnownOnes() {
    assertThatThrownBy(() -> Benchmarks.main(new String[] {"codex"}))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(
            "Unknown benchmark 'codex': use one of all, codec, callsite, transaction, dispatch,"
                + " memory, embedded, inflight, iteration, handler, endtoend");
  }
}
