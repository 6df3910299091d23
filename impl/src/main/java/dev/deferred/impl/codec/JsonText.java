package dev.deferred.impl.codec;

/**
 * Writes the payload's JSON text directly, so that each argument's JSON, as JSON-B wrote it, is
 * spliced in instead of being parsed into a JSON-P tree and written again.
 */
final class JsonText {

  private static final char[] HEX = "0123456789abcdef".toCharArray();

  private JsonText() {}

  /**
   * Appends {@code value} as a JSON string. Escapes the quote, the backslash and the control
   * characters as JSON requires, and unpaired surrogates as {@code \\uXXXX}, so that the string
   * reads back exactly even after the payload is encoded as UTF-8 (which would replace an unpaired
   * surrogate by {@code ?}).
   */
  static StringBuilder string(StringBuilder out, String value) {
    out.append('"');
    int n = value.length();
    int plain = 0;
    for (int i = 0; i < n; i++) {
      char c = value.charAt(i);
      boolean escape;
      if (c == '"' || c == '\\' || c < 0x20) {
        escape = true;
      } else if (Character.isHighSurrogate(c)) {
        escape = i + 1 >= n || !Character.isLowSurrogate(value.charAt(i + 1));
        if (!escape) {
          i++; // a valid pair: both chars stay as they are
          continue;
        }
      } else {
        escape = Character.isLowSurrogate(c);
      }
      if (!escape) {
        continue;
      }
      out.append(value, plain, i);
      switch (c) {
        case '"' -> out.append("\\\"");
        case '\\' -> out.append("\\\\");
        case '\n' -> out.append("\\n");
        case '\r' -> out.append("\\r");
        case '\t' -> out.append("\\t");
        case '\b' -> out.append("\\b");
        case '\f' -> out.append("\\f");
        default ->
            out.append("\\u")
                .append(HEX[(c >> 12) & 0xf])
                .append(HEX[(c >> 8) & 0xf])
                .append(HEX[(c >> 4) & 0xf])
                .append(HEX[c & 0xf]);
      }
      plain = i + 1;
    }
    return out.append(value, plain, n).append('"');
  }

  /** Appends {@code ,"name":} (or without the comma for the first member). */
  static StringBuilder name(StringBuilder out, String name, boolean first) {
    if (!first) {
      out.append(',');
    }
    return string(out, name).append(':');
  }
}
