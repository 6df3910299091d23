package dev.deferred.impl.handler.security;

import dev.deferred.impl.codec.JsonP;
import dev.deferred.impl.handler.security.AuthenticationResult.Rejected;
import dev.deferred.impl.handler.security.AuthenticationResult.Verified;
import jakarta.json.JsonArray;
import jakarta.json.JsonException;
import jakarta.json.JsonNumber;
import jakarta.json.JsonObject;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.Signature;
import java.security.interfaces.RSAPublicKey;
import java.time.Clock;
import java.util.Base64;
import java.util.Optional;
import java.util.function.Function;
import java.util.regex.Pattern;

/**
 * Accepts a request that carries {@code Authorization: Bearer <token>} where the token is an
 * RS256-signed OIDC ID token, signed by a key from the configured {@link JwksKeySource}, from an
 * accepted issuer, for the configured audience and service account, and currently valid.
 *
 * <p>This is what Cloud Tasks sends to HTTP targets whose task has an {@code oidc_token}. The
 * algorithm is fixed to RS256 rather than read from the token, which rules out {@code alg: none}
 * and the HMAC-with-the-public-key confusion by construction.
 *
 * <p>A token that passed every check is remembered by the SHA-256 of its exact text ({@link
 * VerifiedTokens}, at most {@value #MAX_VERIFIED_TOKENS}), and the same text again is checked only
 * against the clock ({@code exp}, {@code iat}, {@code nbf}, with the same skew): Cloud Tasks'
 * emulator, and possibly Cloud Tasks, sends one token with many tasks. A remembered token is
 * accepted until it expires even if its key leaves the key set meanwhile, as a key in the cached
 * key set keeps verifying new tokens until the set is fetched again.
 */
public final class OidcTokenAuthenticator implements CloudTasksAuthenticator {

  // Base64url without padding, as JWS compact serialization requires; checked before decoding
  // because Java's decoder also accepts padding.
  private static final Pattern B64URL = Pattern.compile("[A-Za-z0-9_-]*");
  // ID tokens are about 1 KB; anything huge is not a token and is not worth parsing.
  private static final int MAX_TOKEN_CHARS = 16 * 1024;
  // Cloud Tasks and the emulator send the same token with many tasks; a few hundred cover every
  // service account and audience an application has, with room for reissued tokens.
  static final int MAX_VERIFIED_TOKENS = 256;

  private final OidcSettings settings;
  private final JwksKeySource keys;
  private final Clock clock;
  private final VerifiedTokens verified = new VerifiedTokens(MAX_VERIFIED_TOKENS);

  /**
   * An authenticator.
   *
   * @param settings the claims a token must carry
   * @param keys where the signing keys come from
   * @param clock the clock that {@code exp}, {@code iat} and {@code nbf} are checked against
   */
  public OidcTokenAuthenticator(OidcSettings settings, JwksKeySource keys, Clock clock) {
    this.settings = settings;
    this.keys = keys;
    this.clock = clock;
  }

  @Override
  public AuthenticationResult authenticate(Function<String, String> header) {
    String authorization = header.apply("Authorization");
    if (authorization == null || authorization.isBlank()) {
      return new Rejected(SecurityMessages.noAuthorization());
    }
    String[] scheme = authorization.strip().split("\\s+", 2);
    if (scheme.length != 2 || !scheme[0].equalsIgnoreCase("Bearer")) {
      return new Rejected(SecurityMessages.notBearer());
    }
    try {
      return verify(scheme[1]);
    } catch (JwksKeySource.KeysUnavailableException e) {
      return new Rejected(e.getMessage());
    } catch (MalformedTokenException e) {
      return new Rejected(SecurityMessages.malformed(e.getMessage()));
    }
  }

  private AuthenticationResult verify(String token) {
    if (token.length() > MAX_TOKEN_CHARS) {
      throw new MalformedTokenException("longer than " + MAX_TOKEN_CHARS + " characters");
    }
    byte[] digest = VerifiedTokens.digest(token);
    VerifiedTokens.Validity known = verified.get(digest);
    if (known != null) {
      // The same text verified before: same key, same claims. Only time has moved on.
      AuthenticationResult result = checkTimes(known);
      if (result instanceof Rejected) {
        verified.remove(digest);
      }
      return result;
    }
    String[] parts = token.split("\\.", -1);
    if (parts.length != 3) {
      throw new MalformedTokenException(
          "expected 3 dot-separated parts (JWS compact form), found " + parts.length);
    }
    JsonObject header = json(parts[0], "header");
    JsonObject claims = json(parts[1], "payload");
    byte[] signature = decode(parts[2], "signature");

    String alg = stringOrNull(header.get("alg"));
    if (!"RS256".equals(alg)) {
      return new Rejected(SecurityMessages.badAlgorithm(alg));
    }
    if (header.containsKey("crit")) {
      return new Rejected(SecurityMessages.unsupportedCritical(header.get("crit")));
    }
    JsonValue kidValue = header.get("kid");
    if (kidValue != null && !(kidValue instanceof JsonString)) {
      throw new MalformedTokenException("'kid' is not a string");
    }
    String kid = stringOrNull(kidValue);
    Optional<RSAPublicKey> key = keys.key(kid);
    if (key.isEmpty()) {
      return new Rejected(
          kid == null
              ? SecurityMessages.missingKeyId()
              : SecurityMessages.unknownKey(kid, keys.uri()));
    }
    if (!signatureVerifies(key.get(), parts[0] + "." + parts[1], signature)) {
      return new Rejected(SecurityMessages.badSignature(kid));
    }
    // Claims are checked only after the signature: before it they are attacker-controlled text,
    // and a reason that quoted them would let forged tokens write into the log.
    return checkClaims(claims, digest);
  }

  private AuthenticationResult checkClaims(JsonObject claims, byte[] digest) {
    JsonValue iss = claims.get("iss");
    if (!(iss instanceof JsonString s && settings.issuers().contains(s.getString()))) {
      return new Rejected(SecurityMessages.badIssuer(iss, settings.issuers()));
    }
    JsonValue aud = claims.get("aud");
    if (!audienceMatches(aud)) {
      return new Rejected(SecurityMessages.badAudience(aud, settings.audience()));
    }
    JsonValue email = claims.get("email");
    if (!(email instanceof JsonString e && e.getString().equals(settings.serviceAccountEmail()))) {
      return new Rejected(SecurityMessages.badEmail(email, settings.serviceAccountEmail()));
    }
    JsonValue emailVerified = claims.get("email_verified");
    if (!(emailVerified == JsonValue.TRUE
        || (emailVerified instanceof JsonString v && v.getString().equals("true")))) {
      return new Rejected(SecurityMessages.emailNotVerified(emailVerified));
    }
    long exp = seconds(claims, "exp", true);
    long iat = seconds(claims, "iat", true);
    long nbf = seconds(claims, "nbf", false);
    VerifiedTokens.Validity validity = new VerifiedTokens.Validity(iat, exp, nbf);
    AuthenticationResult result = checkTimes(validity);
    if (result instanceof Verified) {
      verified.put(digest, validity);
    }
    return result;
  }

  /** The time checks, made on every request: also for a token verified before. */
  private AuthenticationResult checkTimes(VerifiedTokens.Validity validity) {
    long now = clock.instant().getEpochSecond();
    long skew = settings.clockSkew().toSeconds();
    if (now >= validity.expires() + skew) {
      return new Rejected(SecurityMessages.expired(validity.expires(), now, settings.clockSkew()));
    }
    if (validity.issuedAt() > now + skew) {
      return new Rejected(
          SecurityMessages.issuedInFuture(validity.issuedAt(), now, settings.clockSkew()));
    }
    long nbf = validity.notBefore();
    if (nbf != VerifiedTokens.Validity.NO_NOT_BEFORE && now + skew < nbf) {
      return new Rejected(SecurityMessages.notYetValid(nbf, now, settings.clockSkew()));
    }
    return new Verified("OIDC token of " + settings.serviceAccountEmail());
  }

  /** How many verified tokens are kept (for tests). */
  int verifiedTokens() {
    return verified.size();
  }

  private boolean audienceMatches(JsonValue aud) {
    if (aud instanceof JsonString s) {
      return s.getString().equals(settings.audience());
    }
    // RFC 7519 allows a list; Google sends a single string, but a list naming us is as valid.
    if (aud instanceof JsonArray list) {
      return list.stream()
          .anyMatch(v -> v instanceof JsonString s && s.getString().equals(settings.audience()));
    }
    return false;
  }

  private static long seconds(JsonObject claims, String name, boolean required) {
    JsonValue value = claims.get(name);
    if (value instanceof JsonNumber n) {
      try {
        // Fractions are allowed by RFC 7519 NumericDate; whole seconds are precise enough here.
        return n.bigDecimalValue().longValue();
      } catch (ArithmeticException e) {
        throw new MalformedTokenException("'" + name + "' is not a usable number");
      }
    }
    if (value == null && !required) {
      return VerifiedTokens.Validity.NO_NOT_BEFORE;
    }
    throw new MalformedTokenException(SecurityMessages.missingClaim(name));
  }

  private static boolean signatureVerifies(RSAPublicKey key, String signingInput, byte[] sig) {
    // RSASSA-PKCS1-v1_5 signatures are exactly as long as the modulus.
    if (sig.length != (key.getModulus().bitLength() + 7) / 8) {
      return false;
    }
    try {
      Signature verifier = Signature.getInstance("SHA256withRSA");
      verifier.initVerify(key);
      verifier.update(signingInput.getBytes(StandardCharsets.US_ASCII));
      return verifier.verify(sig);
    } catch (GeneralSecurityException e) {
      return false;
    }
  }

  private static JsonObject json(String part, String name) {
    byte[] bytes = decode(part, name);
    try (var reader = JsonP.reader(new String(bytes, StandardCharsets.UTF_8))) {
      return reader.readObject();
    } catch (JsonException | IllegalStateException | ClassCastException e) {
      throw new MalformedTokenException("the " + name + " is not a JSON object");
    }
  }

  private static byte[] decode(String part, String name) {
    if (part.isEmpty() || !B64URL.matcher(part).matches()) {
      throw new MalformedTokenException("the " + name + " is not unpadded base64url");
    }
    try {
      return Base64.getUrlDecoder().decode(part);
    } catch (IllegalArgumentException e) {
      throw new MalformedTokenException("the " + name + " is not valid base64url");
    }
  }

  private static String stringOrNull(JsonValue value) {
    return value instanceof JsonString s ? s.getString() : null;
  }

  private static final class MalformedTokenException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    MalformedTokenException(String message) {
      super(message, null, false, false);
    }
  }
}
