package dev.deferred.console;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;

/** How the iterations page writes a duration. */
class DurationTextTest {

  @Test
  void secondsMinutesAndHoursAreWrittenAtTheirScale() {
    assertThat(ConsoleServlet.duration(Duration.ofMillis(400))).isEqualTo("0 s");
    assertThat(ConsoleServlet.duration(Duration.ofSeconds(59))).isEqualTo("59 s");
    assertThat(ConsoleServlet.duration(Duration.ofSeconds(185))).isEqualTo("3 min 05 s");
    assertThat(ConsoleServlet.duration(Duration.ofMinutes(127))).isEqualTo("2 h 07 min");
    assertThat(ConsoleServlet.duration(Duration.ofSeconds(-3))).as("clock skew").isEqualTo("0 s");
  }
}
