package dev.deferred.impl.config;

import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Parses durations as written in configuration and in {@code @Deferred} members, the one format the
 * README's "Durations" section documents: as in Cloud Tasks' queue.yaml, a number with a unit
 * ({@code 100ms}, {@code 10s}, {@code 5m}, {@code 1.5h}, {@code 2d}), or ISO-8601 ({@code PT10S}).
 */
public final class Durations {
  private static final Pattern SHORT = Pattern.compile("(\\d+(?:\\.\\d+)?)(ms|s|m|h|d)");

  private Durations() {}

  /**
   * Parses a duration.
   *
   * @throws IllegalArgumentException naming the accepted forms
   */
  public static Duration parse(String text) {
    String t = text.trim();
    Matcher m = SHORT.matcher(t);
    if (m.matches()) {
      double n = Double.parseDouble(m.group(1));
      double millis =
          switch (m.group(2)) {
            case "ms" -> n;
            case "s" -> n * 1_000;
            case "m" -> n * 60_000;
            case "h" -> n * 3_600_000;
            default -> n * 86_400_000;
          };
      return Duration.ofMillis(Math.round(millis));
    }
    try {
      return Duration.parse(t);
    } catch (DateTimeParseException e) {
      throw new IllegalArgumentException(
          "'" + text + "' is not a duration: write e.g. 10s, 500ms, 5m, 1h, 2d or PT10S", e);
    }
  }
}
