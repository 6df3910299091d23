package dev.deferred.impl.handler.security;

import java.net.URI;
import java.time.Duration;

/**
 * Every message of this package, with its stable id (DEFERRED-2nnn). Never reuse a retired number.
 * Rejection reasons go to the server log only, never to the caller.
 */
final class SecurityMessages {
  private SecurityMessages() {}

  static String missingSetting(String name, String meaning) {
    return "DEFERRED-2001: OIDC verification needs %s (%s), but none was given"
        .formatted(name, meaning);
  }

  static String noIssuers() {
    return "DEFERRED-2002: OIDC verification needs at least one accepted issuer";
  }

  static String negativeSkew(Duration skew) {
    return "DEFERRED-2003: the OIDC clock skew must not be negative, was " + skew;
  }

  static String noAuthorization() {
    return "DEFERRED-2010: no Authorization header: Cloud Tasks sends 'Authorization: Bearer <OIDC"
        + " token>' when the task's HTTP target has an oidc_token";
  }

  static String notBearer() {
    return "DEFERRED-2011: the Authorization header is not a Bearer token";
  }

  static String malformed(String detail) {
    return "DEFERRED-2012: malformed token: " + detail;
  }

  static String badAlgorithm(String alg) {
    return "DEFERRED-2013: token algorithm %s is not accepted: only RS256 is".formatted(quote(alg));
  }

  static String unknownKey(String kid, URI jwks) {
    return "DEFERRED-2014: token key id %s is not among the keys published at %s"
        .formatted(quote(kid), jwks);
  }

  static String badSignature(String kid) {
    return "DEFERRED-2015: token signature does not verify with key %s".formatted(quote(kid));
  }

  static String badIssuer(Object iss, Object accepted) {
    return "DEFERRED-2016: token issuer %s is not one of %s".formatted(quote(iss), accepted);
  }

  static String badAudience(Object aud, String expected) {
    return "DEFERRED-2017: token audience %s is not the expected '%s'"
        .formatted(quote(aud), expected);
  }

  static String badEmail(Object email, String expected) {
    return "DEFERRED-2018: token email %s is not the expected service account '%s'"
        .formatted(quote(email), expected);
  }

  static String emailNotVerified(Object value) {
    return "DEFERRED-2019: token email_verified is %s, not true".formatted(quote(value));
  }

  static String expired(long exp, long now, Duration skew) {
    return "DEFERRED-2020: token expired at %d (now %d, clock skew %s)".formatted(exp, now, skew);
  }

  static String issuedInFuture(long iat, long now, Duration skew) {
    return "DEFERRED-2021: token issued in the future at %d (now %d, clock skew %s)"
        .formatted(iat, now, skew);
  }

  static String notYetValid(long nbf, long now, Duration skew) {
    return "DEFERRED-2022: token not valid before %d (now %d, clock skew %s)"
        .formatted(nbf, now, skew);
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
    return "DEFERRED-2024: the signing keys at %s could not be fetched (%s): check that the server"
            .formatted(jwks, cause)
        + " can reach it";
  }

  static String noAppEngineHeader() {
    return "DEFERRED-2030: no X-AppEngine-QueueName header: not an App Engine task request";
  }

  static String noCronHeader() {
    return "DEFERRED-2032: no X-Appengine-Cron: true header: not an App Engine cron request";
  }

  static String noneVerified(String reasons) {
    return "DEFERRED-2031: not a Cloud Tasks request: " + reasons;
  }

  static String unsupportedCritical(Object crit) {
    return "DEFERRED-2025: token header lists critical extensions %s, which are not supported"
        .formatted(quote(crit));
  }

  static String missingKeyId() {
    return "DEFERRED-2026: token header has no 'kid' and the key set does not hold exactly one key";
  }
}
