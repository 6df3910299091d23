package dev.deferred.impl.handler.security;

import java.time.Duration;
import java.util.Objects;
import java.util.Set;

/**
 * What an OIDC token must say for {@link OidcTokenAuthenticator} to accept it.
 *
 * @param audience the exact {@code aud} claim required; Cloud Tasks uses the task's URL when the
 *     task names no audience, so this is usually the handler URL
 * @param serviceAccountEmail the exact {@code email} claim required: the service account that the
 *     tasks are created with. Without this check any Google account could mint a token for our
 *     audience, so it is mandatory.
 * @param issuers accepted {@code iss} values
 * @param clockSkew tolerance applied to {@code exp}, {@code iat} and {@code nbf}
 */
public record OidcSettings(
    String audience, String serviceAccountEmail, Set<String> issuers, Duration clockSkew) {

  /** The issuers of Google-signed ID tokens. Both forms occur in practice. */
  public static final Set<String> GOOGLE_ISSUERS =
      Set.of("https://accounts.google.com", "accounts.google.com");

  /** Default clock skew: enough for unsynchronised clocks, short next to a token's hour. */
  public static final Duration DEFAULT_CLOCK_SKEW = Duration.ofSeconds(60);

  public OidcSettings {
    requireText(audience, "audience", "the handler URL that tasks are sent to");
    requireText(
        serviceAccountEmail,
        "serviceAccountEmail",
        "the service account email that the tasks' OIDC token is created with");
    Objects.requireNonNull(issuers, "issuers");
    if (issuers.isEmpty()) {
      throw new IllegalArgumentException(SecurityMessages.noIssuers());
    }
    issuers = Set.copyOf(issuers);
    Objects.requireNonNull(clockSkew, "clockSkew");
    if (clockSkew.isNegative()) {
      throw new IllegalArgumentException(SecurityMessages.negativeSkew(clockSkew));
    }
  }

  /**
   * Settings for Google-issued tokens with the default clock skew.
   *
   * @param audience the required audience, usually the handler URL
   * @param serviceAccountEmail the service account the tasks' tokens are created with
   * @return settings accepting {@link #GOOGLE_ISSUERS}
   */
  public static OidcSettings google(String audience, String serviceAccountEmail) {
    return new OidcSettings(audience, serviceAccountEmail, GOOGLE_ISSUERS, DEFAULT_CLOCK_SKEW);
  }

  private static void requireText(String value, String name, String meaning) {
    if (value == null || value.isBlank()) {
      throw new IllegalArgumentException(SecurityMessages.missingSetting(name, meaning));
    }
  }
}
