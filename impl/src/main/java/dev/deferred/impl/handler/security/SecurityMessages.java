package dev.deferred.impl.handler.security;

import java.net.URI;
import java.time.Duration;

/**
 * Every message of this package, with its stable id ({@code DFRSEC} + number). Never reuse a
 * retired number. Rejection reasons go to the server log only, never to the caller.
 */
final class SecurityMessages {
  private SecurityMessages() {}

  static String missingSetting(String name, String meaning) {
    return "DFRSEC001: OIDC verification needs %s (%s), but none was given"
        .formatted(name, meaning);
  }

  static String noIssuers() {
    return "DFRSEC002: OIDC verification needs at least one accepted issuer";
  }

  static String negativeSkew(Duration skew) {
    return "DFRSEC003: the OIDC clock skew must not be negative, was " + skew;
  }

  static String noAuthorization() {
    return "DFRSEC010: no Authorization header: Cloud Tasks sends 'Authorization: Bearer <OIDC"
        + " token>' when the task's HTTP target has an oidc_token";
  }

  static String notBearer() {
    return "DFRSEC011: the Authorization header is not a Bearer token";
  }

  static String malformed(String detail) {
    return "DFRSEC012: malformed token: " + detail;
  }

  static String badAlgorithm(String alg) {
    return "DFRSEC013: token algorithm %s is not accepted: only RS256 is".formatted(quote(alg));
  }

  static String unknownKey(String kid, URI jwks) {
    return "DFRSEC014: token key id %s is not among the keys published at %s"
        .formatted(quote(kid), jwks);
  }

  static String badSignature(String kid) {
    return "DFRSEC015: token signature does not verify with key %s".formatted(quote(kid));
  }

  static String badIssuer(Object iss, Object accepted) {
    return "DFRSEC016: token issuer %s is not one of %s".formatted(quote(iss), accepted);
  }

  static String badAudience(Object aud, String expected) {
    return "DFRSEC017: token audience %s is not the expected '%s'".formatted(quote(aud), expected);
  }

  static String badEmail(Object email, String expected) {
    return "DFRSEC018: token email %s is not the expected service account '%s'"
        .formatted(quote(email), expected);
  }

  static String emailNotVerified(Object value) {
    return "DFRSEC019: token email_verified is %s, not true".formatted(quote(value));
  }

  static String expired(long exp, long now, Duration skew) {
    return "DFRSEC020: token expired at %d (now %d, clock skew %s)".formatted(exp, now, skew);
  }

  static String issuedInFuture(long iat, long now, Duration skew) {
    return "DFRSEC021: token issued in the future at %d (now %d, clock skew %s)"
        .formatted(iat, now, skew);
  }

  static String notYetValid(long nbf, long now, Duration skew) {
    return "DFRSEC022: token not valid before %d (now %d, clock skew %s)".formatted(nbf, now, skew);
  }

  static String missingClaim(String claim) {
    return "no numeric '%s' claim".formatted(claim);
  }

  /**
   * Makes attacker-controlled text safe to log: bounded length, no control characters (which could
   * forge log lines).
   */
  static String quote(Object value) {
    if (value == null) {
      return "(none)";
    }
    String text = value.toString();
    StringBuilder out = new StringBuilder("'");
    for (int i = 0; i < text.length() && i < 80; i++) {
      char c = text.charAt(i);
      out.append(Character.isISOControl(c) ? '?' : c);
    }
    return out.append(text.length() > 80 ? "...'" : "'").toString();
  }

  static String keysUnavailable(URI jwks, String cause) {
    return "DFRSEC024: the signing keys at %s could not be fetched (%s): check that the server"
            .formatted(jwks, cause)
        + " can reach it";
  }

  static String noAppEngineHeader() {
    return "DFRSEC030: no X-AppEngine-QueueName header: not an App Engine task request";
  }

  static String noneVerified(String reasons) {
    return "DFRSEC031: not a Cloud Tasks request: " + reasons;
  }

  static String unsupportedCritical(Object crit) {
    return "DFRSEC025: token header lists critical extensions %s, which are not supported"
        .formatted(quote(crit));
  }

  static String missingKeyId() {
    return "DFRSEC026: token header has no 'kid' and the key set does not hold exactly one key";
  }
}
