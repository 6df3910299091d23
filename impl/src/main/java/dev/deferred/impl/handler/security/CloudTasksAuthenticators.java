package dev.deferred.impl.handler.security;

import dev.deferred.impl.handler.security.AuthenticationResult.Rejected;
import java.net.URI;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * Builds the authenticator the handler uses in each mode.
 *
 * <p>When several authenticators are needed (one per audience, e.g. for {@code @TaskOnly} endpoints
 * at other URLs), build them with the overloads that take a {@link JwksKeySource} and share one
 * source: its cache and its refresh rate limit then hold for the whole application. A source per
 * audience would let requests with ever new {@code Host} headers multiply key fetches.
 */
public final class CloudTasksAuthenticators {
  private CloudTasksAuthenticators() {}

  /**
   * Accepts a request if any of {@code authenticators} does; otherwise rejects it with every
   * reason, so the log tells why each way of proving the request's origin failed.
   *
   * @param authenticators tried in order
   * @return the combined authenticator
   */
  public static CloudTasksAuthenticator anyOf(List<CloudTasksAuthenticator> authenticators) {
    List<CloudTasksAuthenticator> all = List.copyOf(authenticators);
    if (all.isEmpty()) {
      throw new IllegalArgumentException("anyOf needs at least one authenticator");
    }
    return header -> {
      List<String> reasons = new ArrayList<>();
      for (CloudTasksAuthenticator authenticator : all) {
        AuthenticationResult result = authenticator.authenticate(header);
        if (result.verified()) {
          return result;
        }
        reasons.add(((Rejected) result).reason());
      }
      return all.size() == 1
          ? new Rejected(reasons.get(0))
          : new Rejected(SecurityMessages.noneVerified(String.join("; ", reasons)));
    };
  }

  /**
   * Cloud mode: Google-signed OIDC tokens for HTTP targets and, on App Engine only, the App Engine
   * queue header for App Engine targets.
   *
   * @param settings the audience and service account the tokens must name
   * @param env the process environment, to detect App Engine
   * @param clock the clock for token validity and key caching
   * @return the authenticator
   */
  public static CloudTasksAuthenticator cloud(
      OidcSettings settings, Function<String, String> env, Clock clock) {
    return cloud(settings, env, new JwksKeySource(JwksKeySource.GOOGLE_JWKS_URI, clock), clock);
  }

  /**
   * Cloud mode with a shared key source, normally {@code new
   * JwksKeySource(JwksKeySource.GOOGLE_JWKS_URI, clock)}; see {@link #cloud(OidcSettings, Function,
   * Clock)}.
   *
   * @param settings the audience and service account the tokens must name
   * @param env the process environment, to detect App Engine
   * @param keys Google's signing keys, shared by every authenticator of the application
   * @param clock the clock for token validity
   * @return the authenticator
   */
  public static CloudTasksAuthenticator cloud(
      OidcSettings settings, Function<String, String> env, JwksKeySource keys, Clock clock) {
    return cloud(settings, env, keys, clock, false);
  }

  /**
   * Cloud mode with a shared key source, accepting App Engine cron requests too when {@code
   * acceptCron} (for {@code @TaskOnly} endpoints, never for the task handler, whose bodies are
   * signed tasks); see {@link #cloud(OidcSettings, Function, Clock)}.
   *
   * @param acceptCron whether {@code X-Appengine-Cron: true} proves the origin, on App Engine only
   */
  public static CloudTasksAuthenticator cloud(
      OidcSettings settings,
      Function<String, String> env,
      JwksKeySource keys,
      Clock clock,
      boolean acceptCron) {
    OidcTokenAuthenticator oidc = new OidcTokenAuthenticator(settings, keys, clock);
    if (!AppEngineQueueHeaderAuthenticator.isAppEngine(env)) {
      return oidc;
    }
    return acceptCron
        ? anyOf(
            List.of(
                new AppEngineQueueHeaderAuthenticator(),
                AppEngineQueueHeaderAuthenticator.cron(),
                oidc))
        : anyOf(List.of(new AppEngineQueueHeaderAuthenticator(), oidc));
  }

  /**
   * Embedded and emulator mode: OIDC tokens signed by the emulator's keys. App Engine headers are
   * never trusted here, since nothing strips them.
   *
   * @param settings the audience and service account the tokens must name, and the emulator's
   *     issuer(s)
   * @param jwksUri the emulator's key set, {@code CloudTasksEmulator.jwksUri()}
   * @param clock the clock for token validity and key caching
   * @return the authenticator
   */
  public static CloudTasksAuthenticator emulator(OidcSettings settings, URI jwksUri, Clock clock) {
    return emulator(settings, new JwksKeySource(jwksUri, clock), clock);
  }

  /**
   * Embedded and emulator mode with a shared key source, {@code new JwksKeySource(jwksUri, clock)};
   * see {@link #emulator(OidcSettings, URI, Clock)}.
   *
   * @param settings the audience and service account the tokens must name
   * @param keys the emulator's signing keys, shared by every authenticator of the application
   * @param clock the clock for token validity
   * @return the authenticator
   */
  public static CloudTasksAuthenticator emulator(
      OidcSettings settings, JwksKeySource keys, Clock clock) {
    return new OidcTokenAuthenticator(settings, keys, clock);
  }
}
