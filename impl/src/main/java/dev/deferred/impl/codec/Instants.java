package dev.deferred.impl.codec;

import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;

/**
 * The payload's timestamps, written and read as {@link Instant#toString()} and {@link
 * Instant#parse} do, without their {@code DateTimeFormatter} (about a tenth of a whole encode and
 * decode of a payload). Only the shape {@code Instant.toString()} writes for the years 0 to 9999 is
 * handled here; anything else (other years, other shapes, invalid dates) goes to the JDK, so the
 * results and the errors are the JDK's.
 */
final class Instants {

  private Instants() {}

  /** {@code instant.toString()}. */
  static String format(Instant instant) {
    LocalDateTime t;
    try {
      t = LocalDateTime.ofEpochSecond(instant.getEpochSecond(), instant.getNano(), ZoneOffset.UTC);
    } catch (DateTimeException e) {
      return instant.toString();
    }
    int year = t.getYear();
    if (year < 0 || year > 9999) {
      return instant.toString();
    }
    StringBuilder s = new StringBuilder(30);
    digits(s, year, 4).append('-');
    digits(s, t.getMonthValue(), 2).append('-');
    digits(s, t.getDayOfMonth(), 2).append('T');
    digits(s, t.getHour(), 2).append(':');
    digits(s, t.getMinute(), 2).append(':');
    digits(s, t.getSecond(), 2);
    int nano = t.getNano();
    if (nano != 0) {
      s.append('.');
      if (nano % 1_000_000 == 0) {
        digits(s, nano / 1_000_000, 3);
      } else if (nano % 1_000 == 0) {
        digits(s, nano / 1_000, 6);
      } else {
        digits(s, nano, 9);
      }
    }
    return s.append('Z').toString();
  }

  /**
   * {@code Instant.parse(text)}.
   *
   * @throws java.time.format.DateTimeParseException as {@link Instant#parse} does
   */
  static Instant parse(String text) {
    Instant fast = parseToStringShape(text);
    return fast != null ? fast : Instant.parse(text);
  }

  /** {@code yyyy-MM-ddTHH:mm:ss[.fff|.ffffff|.fffffffff]Z}, or null for anything else. */
  private static Instant parseToStringShape(String s) {
    int n = s.length();
    if (n != 20 && n != 24 && n != 27 && n != 30) {
      return null;
    }
    if (s.charAt(4) != '-'
        || s.charAt(7) != '-'
        || s.charAt(10) != 'T'
        || s.charAt(13) != ':'
        || s.charAt(16) != ':'
        || s.charAt(n - 1) != 'Z'
        || (n > 20 && s.charAt(19) != '.')) {
      return null;
    }
    int year = number(s, 0, 4);
    int month = number(s, 5, 7);
    int day = number(s, 8, 10);
    int hour = number(s, 11, 13);
    int minute = number(s, 14, 16);
    int second = number(s, 17, 19);
    int nano = 0;
    if (n > 20) {
      int fraction = number(s, 20, n - 1);
      if (fraction < 0) {
        return null;
      }
      nano = fraction * (n == 24 ? 1_000_000 : n == 27 ? 1_000 : 1);
    }
    if (year < 0 || month < 0 || day < 0 || hour < 0 || minute < 0 || second < 0) {
      return null;
    }
    try {
      return LocalDateTime.of(year, month, day, hour, minute, second, nano)
          .toInstant(ZoneOffset.UTC);
    } catch (DateTimeException e) {
      return null; // e.g. a 31st of April, or a leap second: the JDK decides
    }
  }

  /** The decimal number of ASCII digits in [from, to), or -1 if any is not a digit. */
  private static int number(String s, int from, int to) {
    int value = 0;
    for (int i = from; i < to; i++) {
      char c = s.charAt(i);
      if (c < '0' || c > '9') {
        return -1;
      }
      value = value * 10 + (c - '0');
    }
    return value;
  }

  private static StringBuilder digits(StringBuilder s, int value, int width) {
    String d = Integer.toString(value);
    for (int i = d.length(); i < width; i++) {
      s.append('0');
    }
    return s.append(d);
  }
}
