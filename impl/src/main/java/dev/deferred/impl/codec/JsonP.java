package dev.deferred.impl.codec;

import jakarta.json.JsonArrayBuilder;
import jakarta.json.JsonBuilderFactory;
import jakarta.json.JsonObject;
import jakarta.json.JsonObjectBuilder;
import jakarta.json.JsonReader;
import jakarta.json.JsonReaderFactory;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;
import jakarta.json.spi.JsonProvider;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/**
 * The one JSON-P provider, builder factory and reader factory of the library's codecs.
 *
 * <p>Every static method of {@link jakarta.json.Json} calls {@link JsonProvider#provider()}, which
 * the JSON-P API does not cache: each call runs a {@link java.util.ServiceLoader} lookup that scans
 * the {@code META-INF/services} of every jar visible to the thread's class loader (milliseconds on
 * a class path of a hundred jars, and about ten such calls per encoded task). The provider is
 * looked up once here, when the library first writes or reads a payload, and its factories are
 * reused; JSON-P providers and their factories are thread-safe.
 */
public final class JsonP {

  private static final JsonProvider PROVIDER = JsonProvider.provider();
  private static final JsonBuilderFactory BUILDERS = PROVIDER.createBuilderFactory(Map.of());
  private static final JsonReaderFactory READERS = PROVIDER.createReaderFactory(Map.of());

  private JsonP() {}

  /** A new object builder. */
  public static JsonObjectBuilder objectBuilder() {
    return BUILDERS.createObjectBuilder();
  }

  /** A new object builder holding the members of {@code object}. */
  public static JsonObjectBuilder objectBuilder(JsonObject object) {
    return BUILDERS.createObjectBuilder(object);
  }

  /** A new array builder. */
  public static JsonArrayBuilder arrayBuilder() {
    return BUILDERS.createArrayBuilder();
  }

  /**
   * A reader of UTF-8 JSON bytes (the library writes nothing else). Decoded to a string first: a
   * reader over an {@code InputStream} detects the encoding and allocates an 8 KB decoder buffer
   * per call, more than a whole payload.
   */
  public static JsonReader reader(byte[] json) {
    return READERS.createReader(new StringReader(new String(json, StandardCharsets.UTF_8)));
  }

  /** A reader of JSON text. */
  public static JsonReader reader(String json) {
    return READERS.createReader(new StringReader(json));
  }

  /** A JSON string. */
  public static JsonString value(String value) {
    return PROVIDER.createValue(value);
  }

  /** A JSON number. */
  public static JsonValue value(long value) {
    return PROVIDER.createValue(value);
  }

  /** A JSON number. */
  public static JsonValue value(double value) {
    return PROVIDER.createValue(value);
  }
}
