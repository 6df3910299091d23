package dev.deferred.impl.handler.security;

import java.util.function.Function;

/**
 * Decides whether an HTTP request comes from Cloud Tasks. The task handler and {@code @TaskOnly}
 * endpoints call it before doing anything else and answer 403 on {@link
 * AuthenticationResult.Rejected}.
 *
 * <p>Implementations are thread-safe and never throw for bad input: every problem with the request
 * becomes a {@link AuthenticationResult.Rejected} whose reason is meant for the server log, not for
 * the caller.
 */
@FunctionalInterface
public interface CloudTasksAuthenticator {

  /**
   * Authenticates one request.
   *
   * @param header looks up a request header by name, case-insensitively (as JAX-RS {@code
   *     HttpHeaders.getHeaderString} does); returns {@code null} when the header is absent
   * @return {@link AuthenticationResult.Verified} or {@link AuthenticationResult.Rejected}
   */
  AuthenticationResult authenticate(Function<String, String> header);
}
