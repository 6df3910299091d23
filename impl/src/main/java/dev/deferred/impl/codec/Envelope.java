package dev.deferred.impl.codec;

import dev.deferred.DeferOptions;
import dev.deferred.impl.codec.PayloadException.Kind;
import jakarta.json.JsonException;
import jakarta.json.JsonObject;
import jakarta.json.JsonObjectBuilder;
import jakarta.json.JsonReader;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.DateTimeException;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Base64;
import java.util.Optional;

/**
 * The signed fields that bind a task body to its delivery, read before anything else of the body.
 *
 * <ul>
 *   <li>{@code queue}: the queue the task was created on. A body delivered by another queue (copied
 *       into a task there by someone who can create tasks but does not hold the signing key) is
 *       refused.
 *   <li>{@code expiresAt}: the schedule time plus the signature lifetime ({@code
 *       deferred.signing.lifetime}, by default {@link #DEFAULT_LIFETIME}, longer than Cloud Tasks
 *       keeps a task). A body delivered later is refused, so a body seen once (in a log, a capture)
 *       cannot be replayed forever.
 *   <li>{@code stored} and {@code sha256}, for a payload in the payload store: the store key and
 *       the SHA-256 of the stored bytes. Whoever can write the store cannot change what the task
 *       runs: bytes with another hash are refused.
 * </ul>
 *
 * Since version 2 of the format; version 1 bodies carried none of these and are refused.
 *
 * @param queue the queue id the body was signed for
 * @param expiresAt the last instant at which the body may run
 * @param storedKey the payload store key, for a stored payload
 * @param storedSha256 the SHA-256 of the stored payload, when {@code storedKey} is present
 */
public record Envelope(
    String queue, Instant expiresAt, Optional<String> storedKey, Optional<byte[]> storedSha256) {

  /**
   * Default signature lifetime after the schedule time: Cloud Tasks deletes a task 31 days after it
   * was created whatever its retries, so no genuine delivery comes later; one day of margin.
   */
  public static final Duration DEFAULT_LIFETIME = Duration.ofDays(32);

  /** The shortest lifetime accepted from configuration. */
  public static final Duration MIN_LIFETIME = Duration.ofHours(1);

  /**
   * The expiry of a task deferred at {@code now} with {@code options}: its schedule time plus
   * {@code lifetime}, saturating at {@link Instant#MAX}.
   */
  static Instant expiry(DeferOptions options, Instant now, Duration lifetime) {
    try {
      Instant scheduled = now;
      if (options.countdown().isPresent()) {
        scheduled = now.plus(options.countdown().get());
      } else if (options.eta().isPresent() && options.eta().get().isAfter(now)) {
        scheduled = options.eta().get();
      }
      return scheduled.plus(lifetime);
    } catch (DateTimeException | ArithmeticException e) {
      return Instant.MAX;
    }
  }

  /** Adds the envelope fields of a task deferred at {@code now} to a payload being built. */
  static void write(JsonObjectBuilder payload, DeferOptions options, Instant now, Duration life) {
    payload
        .add("queue", options.queue())
        .add("expiresAt", Instants.format(expiry(options, now, life)));
  }

  /**
   * Appends the envelope fields of a task deferred at {@code now}, each after a comma, to a payload
   * being written as text.
   */
  static void write(StringBuilder payload, DeferOptions options, Instant now, Duration life) {
    JsonText.string(payload.append(",\"queue\":"), options.queue());
    JsonText.string(payload.append(",\"expiresAt\":"), Instants.format(expiry(options, now, life)));
  }

  /**
   * The body of a task whose payload went to the store: the payload's own envelope, the key and the
   * payload's SHA-256, all covered by the body's signature.
   *
   * @param key the payload store key
   * @param payload the stored payload, as written by {@link PayloadCodec#encode}
   */
  public static byte[] storedReference(String key, byte[] payload) {
    Envelope own;
    try {
      own = read(payload);
    } catch (PayloadException e) {
      throw new IllegalArgumentException("not a payload of this version: " + e.getMessage(), e);
    }
    return storedReference(key, payload, own.queue(), own.expiresAt());
  }

  /**
   * The body of a task whose payload went to the store, with the given envelope: for a payload that
   * has none of its own.
   */
  public static byte[] storedReference(
      String key, byte[] payload, String queue, Instant expiresAt) {
    return JsonP.objectBuilder()
        .add("v", PayloadCodec.VERSION)
        .add("queue", queue)
        .add("expiresAt", expiresAt.toString())
        .add("stored", key)
        .add("sha256", Base64.getUrlEncoder().withoutPadding().encodeToString(Sha256.of(payload)))
        .build()
        .toString()
        .getBytes(StandardCharsets.UTF_8);
  }

  /**
   * Reads the envelope of a signed body.
   *
   * @throws PayloadException ({@link Kind#MALFORMED}) if the body is not JSON, is of another
   *     version, or lacks an envelope field
   */
  public static Envelope read(byte[] body) throws PayloadException {
    JsonObject o;
    try (JsonReader r = JsonP.reader(body)) {
      o = r.readObject();
    } catch (JsonException | IllegalStateException | ClassCastException e) {
      throw malformed("not JSON: " + e.getMessage());
    }
    JsonValue v = o.get("v");
    if (v == null || v.getValueType() != JsonValue.ValueType.NUMBER) {
      throw malformed("no payload version");
    }
    if (!v.toString().equals(String.valueOf(PayloadCodec.VERSION))) {
      throw malformed(
          "payload version "
              + v
              + " is not the version "
              + PayloadCodec.VERSION
              + " this library reads"
              + (v.toString().equals("1")
                  ? " (version 1 bodies, written before 0.1.0, sign neither queue nor expiry and"
                      + " are refused: defer the call again)"
                  : ""));
    }
    String queue = string(o, "queue");
    Instant expiresAt;
    try {
      expiresAt = Instants.parse(string(o, "expiresAt"));
    } catch (DateTimeParseException e) {
      throw malformed("'expiresAt' is not an instant");
    }
    if (!o.containsKey("stored")) {
      return new Envelope(queue, expiresAt, Optional.empty(), Optional.empty());
    }
    String key = string(o, "stored");
    byte[] hash;
    try {
      hash = Base64.getUrlDecoder().decode(string(o, "sha256"));
    } catch (IllegalArgumentException e) {
      throw malformed("'sha256' is not base64url");
    }
    if (hash.length != 32) {
      throw malformed("'sha256' is not a SHA-256");
    }
    return new Envelope(queue, expiresAt, Optional.of(key), Optional.of(hash));
  }

  /** Whether {@code stored} are the bytes this envelope was signed for. */
  public boolean matchesStored(byte[] stored) {
    return storedSha256.isPresent() && MessageDigest.isEqual(storedSha256.get(), Sha256.of(stored));
  }

  private static String string(JsonObject o, String name) throws PayloadException {
    JsonValue value = o.get(name);
    if (!(value instanceof JsonString s)) {
      throw malformed("no string '" + name + "'");
    }
    return s.getString();
  }

  private static PayloadException malformed(String reason) {
    return new PayloadException(Kind.MALFORMED, reason, null, null, null);
  }

  @Override
  public String toString() {
    return "Envelope[queue="
        + queue
        + ", expiresAt="
        + expiresAt
        + ", stored="
        + storedKey.orElse("no")
        + "]";
  }
}
