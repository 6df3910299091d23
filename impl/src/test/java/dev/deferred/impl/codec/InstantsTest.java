package dev.deferred.impl.codec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The payload's timestamps are written and read exactly as the JDK writes and reads them. */
class InstantsTest {

  @Test
  void writesAndReadsWhatTheJdkWritesAndReads() {
    Random random = new Random(20261203);
    for (int i = 0; i < 20_000; i++) {
      long seconds = random.nextLong() % 400_000_000_000L; // years about -10,700 to 14,600
      int nano =
          switch (i % 4) {
            case 0 -> 0;
            case 1 -> random.nextInt(1000) * 1_000_000;
            case 2 -> random.nextInt(1_000_000) * 1_000;
            default -> random.nextInt(1_000_000_000);
          };
      Instant t = Instant.ofEpochSecond(seconds, nano);
      String text = Instants.format(t);
      assertThat(text).isEqualTo(t.toString());
      assertThat(Instants.parse(text)).isEqualTo(t);
    }
    for (Instant t :
        List.of(
            Instant.EPOCH,
            Instant.MAX,
            Instant.MIN,
            Instant.parse("0000-01-01T00:00:00Z"),
            Instant.parse("9999-12-31T23:59:59.999999999Z"),
            Instant.parse("2026-11-29T12:00:00.100Z"),
            Instant.parse("2024-02-29T00:00:00.000001Z"))) {
      assertThat(Instants.format(t)).isEqualTo(t.toString());
      assertThat(Instants.parse(t.toString())).isEqualTo(t);
    }
  }

  @Test
  void readsOtherShapesAndRefusesWhatTheJdkRefuses() {
    for (String text :
        List.of(
            "2026-11-29T12:00:00.5Z",
            "2026-11-29T12:00:00.12345Z",
            "2026-12-31T23:59:60Z",
            "2026-11-29T24:00:00Z",
            "+10000-01-01T00:00:00Z")) {
      assertThat(Instants.parse(text)).isEqualTo(Instant.parse(text));
    }
    for (String text :
        List.of(
            "2026-04-31T00:00:00Z",
            "2026-13-01T00:00:00Z",
            "2026-11-29 12:00:00Z",
            "2026-11-29T12:00:00",
            "20x6-11-29T12:00:00Z",
            "2026-11-29T12:00:00.12xZ",
            "")) {
      assertThatThrownBy(() -> Instant.parse(text)).isInstanceOf(DateTimeParseException.class);
      assertThatThrownBy(() -> Instants.parse(text)).isInstanceOf(DateTimeParseException.class);
    }
  }
}
