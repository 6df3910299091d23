package dev.deferred.console;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;

/** HTML text: every value that reaches a page goes through {@link #text(String)}. */
final class Html {
  private Html() {}

  /** The value as HTML text or attribute value: {@code & < > " '} escaped; {@code null} as "". */
  static String text(String value) {
    if (value == null) {
      return "";
    }
    StringBuilder s = new StringBuilder(value.length() + 16);
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      switch (c) {
        case '&' -> s.append("&amp;");
        case '<' -> s.append("&lt;");
        case '>' -> s.append("&gt;");
        case '"' -> s.append("&quot;");
        case '\'' -> s.append("&#39;");
        default -> s.append(c);
      }
    }
    return s.toString();
  }

  /** The value as a query parameter value. */
  static String query(String value) {
    return URLEncoder.encode(value == null ? "" : value, StandardCharsets.UTF_8);
  }
}
