package dev.deferred.impl.handler.security;

import dev.deferred.impl.codec.JsonP;
import jakarta.json.JsonArray;
import jakarta.json.JsonException;
import jakarta.json.JsonObject;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;
import java.io.IOException;
import java.io.InputStream;
import java.math.BigInteger;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.interfaces.RSAPublicKey;
import java.security.spec.RSAPublicKeySpec;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.logging.Level;
import java.util.logging.Logger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The RSA signing keys published as a JSON Web Key Set at a URL (Google's {@code
 * https://www.googleapis.com/oauth2/v3/certs}, or the Cloud Tasks emulator's).
 *
 * <p>Keys are cached for the {@code Cache-Control: max-age} the server sends (Google rotates its
 * keys with overlap and says how long a response stays valid), or {@link #DEFAULT_MAX_AGE} without
 * one. A token signed with a key id that is not in the cache triggers a refresh, because the issuer
 * may have rotated; such refreshes are rate-limited to one per {@code minRefreshInterval}, so a
 * stream of forged key ids cannot turn the handler into a load generator against the key server.
 * When a refresh fails the previous keys stay in use.
 *
 * <p>Thread-safe. One fetch at a time (single flight): requests that need new keys wait for the
 * fetch in flight rather than starting their own, and the fetch runs outside the lock, so requests
 * whose key is known never wait for it, even when a stream of unknown key ids keeps fetching.
 */
public final class JwksKeySource {

  /** Google's published keys for ID tokens, including those Cloud Tasks sends. */
  public static final URI GOOGLE_JWKS_URI =
      URI.create("https://www.googleapis.com/oauth2/v3/certs");

  /** Cache lifetime when the server sends no {@code max-age}. */
  public static final Duration DEFAULT_MAX_AGE = Duration.ofHours(1);

  /** Longest a key set is cached, whatever {@code max-age} says. */
  public static final Duration MAX_CACHE = Duration.ofDays(1);

  /** Least time between two refreshes caused by unknown key ids. */
  public static final Duration DEFAULT_MIN_REFRESH_INTERVAL = Duration.ofSeconds(30);

  /** Keys smaller than this are not trusted, whoever publishes them. */
  static final int MIN_RSA_BITS = 2048;

  private static final Logger LOG = Logger.getLogger(JwksKeySource.class.getName());
  private static final Pattern MAX_AGE = Pattern.compile("(?:^|[,\\s])max-age\\s*=\\s*(\\d+)");
  private static final Duration FETCH_TIMEOUT = Duration.ofSeconds(10);

  private final URI uri;
  private final HttpClient http;
  private final Clock clock;
  private final Duration minRefreshInterval;

  // All guarded by "this".
  private Map<String, RSAPublicKey> keys = Map.of();
  private Instant expiresAt = Instant.MIN;
  private Instant lastFetchAttempt = Instant.MIN;
  private String lastFailure;
  private long fetches;
  private CompletableFuture<Void> inFlight;

  /**
   * A key source with the default refresh interval and a new HTTP client.
   *
   * @param uri where the JWKS is published
   * @param clock the clock used for cache expiry and rate limiting
   */
  public JwksKeySource(URI uri, Clock clock) {
    this(
        uri,
        HttpClient.newBuilder()
            .connectTimeout(FETCH_TIMEOUT)
            .followRedirects(HttpClient.Redirect.NORMAL)
            .build(),
        clock,
        DEFAULT_MIN_REFRESH_INTERVAL);
  }

  /**
   * A key source.
   *
   * @param uri where the JWKS is published
   * @param http the client used to fetch it
   * @param clock the clock used for cache expiry and rate limiting
   * @param minRefreshInterval least time between two fetches caused by unknown key ids
   */
  public JwksKeySource(URI uri, HttpClient http, Clock clock, Duration minRefreshInterval) {
    this.uri = uri;
    this.http = http;
    this.clock = clock;
    this.minRefreshInterval = minRefreshInterval;
  }

  /** Where the keys come from. */
  public URI uri() {
    return uri;
  }

  /**
   * Looks up a key, refreshing the set when it expired or (rate-limited) when the id is unknown.
   *
   * @param kid the key id from the token header, or {@code null} if the token names none; then the
   *     only key of the set is returned, if the set holds exactly one
   * @return the key, or empty if the id is not published
   * @throws KeysUnavailableException if no keys could ever be fetched
   */
  Optional<RSAPublicKey> key(String kid) {
    Instant now = clock.instant();
    CompletableFuture<Void> fetch;
    boolean mine = false;
    synchronized (this) {
      Optional<RSAPublicKey> found = lookup(kid);
      boolean expired = !now.isBefore(expiresAt);
      if (found.isPresent() && (!expired || inFlight != null)) {
        // Known key: never wait, not even for a refresh in flight (its keys were good a moment
        // ago).
        return found;
      }
      if (inFlight != null) {
        fetch = inFlight;
      } else if (expired || !now.isBefore(lastFetchAttempt.plus(minRefreshInterval))) {
        fetch = new CompletableFuture<>();
        inFlight = fetch;
        lastFetchAttempt = now;
        fetches++;
        mine = true;
      } else {
        return orUnavailable(found);
      }
    }
    if (mine) {
      // The fetch runs outside the lock: requests with known keys go on meanwhile, and requests
      // waiting for keys wait for this one fetch (single flight), not for a fetch each.
      Fetched result = fetch(now);
      synchronized (this) {
        apply(result);
        inFlight = null;
      }
      fetch.complete(null);
    } else {
      try {
        fetch.get(FETCH_TIMEOUT.multipliedBy(2).toMillis(), TimeUnit.MILLISECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      } catch (ExecutionException | TimeoutException e) {
        // answered from what is known below
      }
    }
    synchronized (this) {
      return orUnavailable(lookup(kid));
    }
  }

  private Optional<RSAPublicKey> orUnavailable(Optional<RSAPublicKey> found) {
    if (found.isEmpty() && keys.isEmpty() && lastFailure != null) {
      throw new KeysUnavailableException(SecurityMessages.keysUnavailable(uri, lastFailure));
    }
    return found;
  }

  /** How many fetches were attempted, for tests and diagnostics. */
  synchronized long fetchCount() {
    return fetches;
  }

  private Optional<RSAPublicKey> lookup(String kid) {
    if (kid == null) {
      return keys.size() == 1 ? keys.values().stream().findFirst() : Optional.empty();
    }
    return Optional.ofNullable(keys.get(kid));
  }

  /** The outcome of one fetch: new keys and their lifetime, or why there are none. */
  private record Fetched(Map<String, RSAPublicKey> keys, Instant expiresAt, String failure) {}

  private Fetched fetch(Instant now) {
    try {
      HttpResponse<InputStream> response =
          http.send(
              HttpRequest.newBuilder(uri).timeout(FETCH_TIMEOUT).GET().build(),
              HttpResponse.BodyHandlers.ofInputStream());
      String body;
      try (InputStream in = response.body()) {
        // Key sets are a few KB; the bound keeps a hostile or broken server from filling memory.
        body = new String(in.readNBytes(1 << 20), StandardCharsets.UTF_8);
      }
      if (response.statusCode() != 200) {
        return failed(now, "HTTP " + response.statusCode());
      }
      return new Fetched(parse(body), now.plus(maxAge(response)), null);
    } catch (IOException | JsonException | IllegalArgumentException | ClassCastException e) {
      return failed(now, e.toString());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return failed(now, "interrupted");
    } catch (RuntimeException e) {
      // Whatever a broken key server provokes must not escape into the request that asked.
      return failed(now, e.toString());
    }
  }

  private Fetched failed(Instant now, String cause) {
    LOG.log(Level.WARNING, SecurityMessages.keysUnavailable(uri, cause));
    // Keep the old keys (and retry at the rate limit): a key server hiccup must not reject tasks
    // signed with keys we already know.
    return new Fetched(null, now.plus(minRefreshInterval), cause);
  }

  private void apply(Fetched result) {
    if (result.failure() == null) {
      keys = result.keys();
    }
    expiresAt = result.expiresAt();
    lastFailure = result.failure();
  }

  /** The response's {@code max-age}, at most {@link #MAX_CACHE}; unparsable means the default. */
  static Duration maxAge(HttpResponse<?> response) {
    return response
        .headers()
        .firstValue("Cache-Control")
        .map(MAX_AGE::matcher)
        .filter(Matcher::find)
        .map(m -> m.group(1))
        .map(
            digits -> {
              // A huge max-age would overflow the expiry instant; Google sends hours.
              if (digits.length() > 9) {
                return MAX_CACHE;
              }
              Duration d = Duration.ofSeconds(Long.parseLong(digits));
              return d.compareTo(MAX_CACHE) > 0 ? MAX_CACHE : d;
            })
        .orElse(DEFAULT_MAX_AGE);
  }

  static Map<String, RSAPublicKey> parse(String json) {
    JsonObject set;
    try (var reader = JsonP.reader(json)) {
      set = reader.readObject();
    }
    JsonArray array = set.getJsonArray("keys");
    if (array == null) {
      throw new IllegalArgumentException("no 'keys' array in the key set");
    }
    Map<String, RSAPublicKey> result = new LinkedHashMap<>();
    for (JsonValue value : array) {
      if (value.getValueType() != JsonValue.ValueType.OBJECT) {
        continue;
      }
      JsonObject jwk = value.asJsonObject();
      // Skip what we would never verify with rather than failing the whole set: a key server may
      // publish other key types next to the RSA keys.
      if (!"RSA".equals(string(jwk, "kty"))
          || !optional(jwk, "alg", "RS256")
          || !optional(jwk, "use", "sig")) {
        continue;
      }
      String kid = string(jwk, "kid");
      String n = string(jwk, "n");
      String e = string(jwk, "e");
      if (n == null || e == null) {
        continue;
      }
      try {
        Base64.Decoder b64 = Base64.getUrlDecoder();
        RSAPublicKey key =
            (RSAPublicKey)
                KeyFactory.getInstance("RSA")
                    .generatePublic(
                        new RSAPublicKeySpec(
                            new BigInteger(1, b64.decode(n)), new BigInteger(1, b64.decode(e))));
        if (key.getModulus().bitLength() < MIN_RSA_BITS) {
          LOG.warning(
              () ->
                  "DEFERRED-2027: ignoring key '%s': %d-bit RSA is below the %d-bit minimum"
                      .formatted(kid, key.getModulus().bitLength(), MIN_RSA_BITS));
          continue;
        }
        result.put(kid == null ? "" : kid, key);
      } catch (GeneralSecurityException | IllegalArgumentException ex) {
        LOG.warning(() -> "DEFERRED-2028: ignoring unreadable key '%s': %s".formatted(kid, ex));
      }
    }
    return Map.copyOf(result);
  }

  private static String string(JsonObject o, String name) {
    JsonValue v = o.get(name);
    return v instanceof JsonString s ? s.getString() : null;
  }

  private static boolean optional(JsonObject o, String name, String expected) {
    return !o.containsKey(name) || expected.equals(string(o, name));
  }

  /** No key set could be fetched at all, so no token can be verified. */
  static final class KeysUnavailableException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    KeysUnavailableException(String message) {
      super(message);
    }
  }
}
