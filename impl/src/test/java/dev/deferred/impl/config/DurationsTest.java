package dev.deferred.impl.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The duration forms the README documents are exactly the ones accepted. */
class DurationsTest {

  @Test
  void aNumberWithAUnitIsTheDocumentedForm() {
    assertThat(Durations.parse("500ms")).isEqualTo(Duration.ofMillis(500));
    assertThat(Durations.parse("30s")).isEqualTo(Duration.ofSeconds(30));
    assertThat(Durations.parse("5m")).isEqualTo(Duration.ofMinutes(5));
    assertThat(Durations.parse("1h")).isEqualTo(Duration.ofHours(1));
    assertThat(Durations.parse("2d")).isEqualTo(Duration.ofDays(2));
    assertThat(Durations.parse("1.5h")).isEqualTo(Duration.ofMinutes(90));
    assertThat(Durations.parse("0s")).isEqualTo(Duration.ZERO);
  }

  @Test
  void iso8601IsAcceptedToo() {
    assertThat(Durations.parse("PT5M")).isEqualTo(Durations.parse("5m"));
    assertThat(Durations.parse("P2D")).isEqualTo(Durations.parse("2d"));
    assertThat(Durations.parse("PT0.5S")).isEqualTo(Durations.parse("500ms"));
  }

  @Test
  void surroundingSpacesAreIgnored() {
    assertThat(Durations.parse(" 10s ")).isEqualTo(Duration.ofSeconds(10));
  }

  @Test
  void anythingElseIsRefusedNamingTheForms() {
    for (String text : new String[] {"5", "5 m", "5min", "5M", "1w", "-5s", "soon", ""}) {
      assertThatThrownBy(() -> Durations.parse(text))
          .as(text)
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessage(
              "'" + text + "' is not a duration: write e.g. 10s, 500ms, 5m, 1h, 2d or PT10S");
    }
  }
}
