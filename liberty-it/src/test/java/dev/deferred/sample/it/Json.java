package dev.deferred.sample.it;

import jakarta.json.JsonArray;
import jakarta.json.JsonObject;
import jakarta.json.JsonReader;
import jakarta.json.spi.JsonProvider;
import java.io.StringReader;

/** Reads the sample app's JSON answers with JSON-P (Parsson). */
final class Json {

  private static final JsonProvider PROVIDER = JsonProvider.provider();

  private Json() {}

  static JsonObject parse(String body) {
    try (JsonReader reader = PROVIDER.createReader(new StringReader(body))) {
      return reader.readObject();
    }
  }

  static JsonArray parseArray(String body) {
    try (JsonReader reader = PROVIDER.createReader(new StringReader(body))) {
      return reader.readArray();
    }
  }
}
