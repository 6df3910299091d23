package dev.deferred.impl.codec;

import dev.deferred.DeferOptions;
import jakarta.json.JsonNumber;
import jakarta.json.JsonObject;
import jakarta.json.JsonObjectBuilder;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;
import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;

/**
 * The options of a defer that shape how Cloud Tasks delivers the task but that the handler cannot
 * see in the request it receives: per-call headers (among the ones Cloud Tasks adds), App Engine
 * routing, the handler URL and the dispatch deadline. They travel in the payload, under {@code
 * "delivery"} and covered by its signature, so that a failed task re-deferred from its record is
 * delivered as the original was:
 *
 * <pre>{@code
 * "delivery":{"headers":{"X-Tenant":"acme"},"service":"worker","version":"v2","instance":"1",
 *             "handlerUrl":"https://worker.example.com/_deferred","dispatchDeadlineMillis":60000}
 * }</pre>
 *
 * Only the options that were set are written; without any, there is no {@code "delivery"} field.
 * Reading applies each one through {@link DeferOptions}, which checks it again (a reserved header
 * name, a handler URL that is neither an http(s) URL nor a path, a deadline out of range are
 * refused).
 */
public final class DeliveryOptions {

  /** The payload field. */
  public static final String FIELD = "delivery";

  private DeliveryOptions() {}

  /**
   * The delivery options of {@code options}, for the payload.
   *
   * @return the object to write; empty when none is set
   */
  static Optional<JsonObject> write(DeferOptions options) {
    JsonObjectBuilder d = JsonP.objectBuilder();
    boolean any = false;
    if (!options.headers().isEmpty()) {
      JsonObjectBuilder h = JsonP.objectBuilder();
      options.headers().forEach(h::add);
      d.add("headers", h);
      any = true;
    }
    if (options.service().isPresent()) {
      d.add("service", options.service().get());
      any = true;
    }
    if (options.version().isPresent()) {
      d.add("version", options.version().get());
      any = true;
    }
    if (options.instance().isPresent()) {
      d.add("instance", options.instance().get());
      any = true;
    }
    if (options.handlerUrl().isPresent()) {
      d.add("handlerUrl", options.handlerUrl().get().toString());
      any = true;
    }
    if (options.dispatchDeadline().isPresent()) {
      d.add("dispatchDeadlineMillis", options.dispatchDeadline().get().toMillis());
      any = true;
    }
    return any ? Optional.of(d.build()) : Optional.empty();
  }

  /**
   * {@code base} with the delivery options recorded in a payload.
   *
   * @param payload a decoded payload object
   * @param base the options to add them to (queue and the like)
   * @return the options; {@code base} when the payload has none
   * @throws IllegalArgumentException naming the field, if one is malformed or refused by {@link
   *     DeferOptions}
   */
  public static DeferOptions read(JsonObject payload, DeferOptions base) {
    JsonValue value = payload.get(FIELD);
    if (value == null) {
      return base;
    }
    if (!(value instanceof JsonObject d)) {
      throw new IllegalArgumentException("'" + FIELD + "' is not an object");
    }
    DeferOptions o = base;
    try {
      JsonValue headers = d.get("headers");
      if (headers != null) {
        if (!(headers instanceof JsonObject h)) {
          throw new IllegalArgumentException("'" + FIELD + ".headers' is not an object");
        }
        for (Map.Entry<String, JsonValue> e : h.entrySet()) {
          o = o.header(e.getKey(), string(e.getValue(), "headers." + e.getKey()));
        }
      }
      if (d.containsKey("service")) {
        o = o.service(string(d.get("service"), "service"));
      }
      if (d.containsKey("version")) {
        o = o.version(string(d.get("version"), "version"));
      }
      if (d.containsKey("instance")) {
        o = o.instance(string(d.get("instance"), "instance"));
      }
      if (d.containsKey("handlerUrl")) {
        o = o.handlerUrl(new URI(string(d.get("handlerUrl"), "handlerUrl")));
      }
      if (d.containsKey("dispatchDeadlineMillis")) {
        if (!(d.get("dispatchDeadlineMillis") instanceof JsonNumber n) || !n.isIntegral()) {
          throw new IllegalArgumentException(
              "'" + FIELD + ".dispatchDeadlineMillis' is not a whole number");
        }
        o = o.dispatchDeadline(Duration.ofMillis(n.longValueExact()));
      }
    } catch (URISyntaxException e) {
      throw new IllegalArgumentException(
          "'" + FIELD + ".handlerUrl' is not a URI: " + e.getMessage(), e);
    } catch (ArithmeticException e) {
      throw new IllegalArgumentException(
          "'" + FIELD + ".dispatchDeadlineMillis' is out of range", e);
    }
    return o;
  }

  private static String string(JsonValue v, String name) {
    if (!(v instanceof JsonString s)) {
      throw new IllegalArgumentException("'" + FIELD + "." + name + "' is not a string");
    }
    return s.getString();
  }
}
