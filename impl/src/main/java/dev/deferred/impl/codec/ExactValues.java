package dev.deferred.impl.codec;

import jakarta.json.JsonNumber;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;
import java.lang.reflect.Type;

/**
 * Arguments whose JSON round trip is exact by construction, written and read without JSON-B and
 * without the read-back check: a {@code String}, a {@code boolean}, an integral number ({@code
 * byte}, {@code short}, {@code int}, {@code long}) and a finite {@code float} or {@code double},
 * each declared as its own type (primitive or boxed). Their JSON is what JSON-B writes for them (a
 * JSON string, {@code true}/{@code false}, the decimal number, {@code Double.toString}/{@code
 * Float.toString}), so a payload written here reads back the same with JSON-B, and the reverse.
 * Negative zero is not exact (a JSON-P number has no sign of zero) and goes through JSON-B.
 *
 * <p>Anything else, among them a value of an exact type declared as a wider type ({@code Object},
 * {@code Number}, {@code CharSequence}: JSON-B would read back another type), {@code char}, records
 * and every other class, goes through JSON-B and the round-trip check.
 */
final class ExactValues {

  private ExactValues() {}

  /** The JSON of {@code value} for a parameter declared as {@code declared}, or null. */
  static String json(Object value, Class<?> declared) {
    Class<?> c = value.getClass();
    if (c == String.class) {
      return declared == String.class
          ? JsonText.string(new StringBuilder(((String) value).length() + 2), (String) value)
              .toString()
          : null;
    }
    if (!declares(declared, c)) {
      return null;
    }
    if (c == Long.class || c == Integer.class || c == Short.class || c == Byte.class) {
      return value.toString();
    }
    if (c == Boolean.class) {
      return value.toString();
    }
    if (c == Double.class) {
      double d = (Double) value;
      // -0.0 reads back as 0.0 through a JSON-P number: left to JSON-B and its check
      return Double.isFinite(d) && d != 0 ? Double.toString(d) : d == 0 && 1 / d > 0 ? "0.0" : null;
    }
    if (c == Float.class) {
      float f = (Float) value;
      return Float.isFinite(f) && f != 0 ? Float.toString(f) : f == 0 && 1 / f > 0 ? "0.0" : null;
    }
    return null;
  }

  /**
   * The value of {@code json} for a parameter of type {@code type} when it is an exact type and the
   * JSON has the shape this class writes for it; null to leave it to JSON-B (which then reads it,
   * or reports why it cannot).
   */
  static Object read(JsonValue json, Type type) {
    if (!(type instanceof Class<?> c)) {
      return null;
    }
    switch (json.getValueType()) {
      case STRING:
        return c == String.class ? ((JsonString) json).getString() : null;
      case TRUE:
        return c == boolean.class || c == Boolean.class ? Boolean.TRUE : null;
      case FALSE:
        return c == boolean.class || c == Boolean.class ? Boolean.FALSE : null;
      case NUMBER:
        return number((JsonNumber) json, c);
      default:
        return null;
    }
  }

  private static Object number(JsonNumber n, Class<?> c) {
    try {
      if (c == long.class || c == Long.class) {
        return n.longValueExact();
      }
      if (c == int.class || c == Integer.class) {
        return n.intValueExact();
      }
      if (c == short.class || c == Short.class) {
        int v = n.intValueExact();
        return v == (short) v ? (Object) (short) v : null;
      }
      if (c == byte.class || c == Byte.class) {
        int v = n.intValueExact();
        return v == (byte) v ? (Object) (byte) v : null;
      }
    } catch (ArithmeticException e) {
      return null; // not integral, or out of range: JSON-B reports it
    }
    if (c == double.class || c == Double.class) {
      double d = Double.parseDouble(n.toString());
      return Double.isFinite(d) ? d : null;
    }
    if (c == float.class || c == Float.class) {
      float f = Float.parseFloat(n.toString());
      return Float.isFinite(f) ? f : null;
    }
    return null;
  }

  /**
   * Whether a parameter declared as {@code declared} takes a value of class {@code boxed} as is.
   */
  private static boolean declares(Class<?> declared, Class<?> boxed) {
    if (declared == boxed) {
      return true;
    }
    return declared.isPrimitive()
        && ((declared == long.class && boxed == Long.class)
            || (declared == int.class && boxed == Integer.class)
            || (declared == short.class && boxed == Short.class)
            || (declared == byte.class && boxed == Byte.class)
            || (declared == boolean.class && boxed == Boolean.class)
            || (declared == double.class && boxed == Double.class)
            || (declared == float.class && boxed == Float.class));
  }
}
