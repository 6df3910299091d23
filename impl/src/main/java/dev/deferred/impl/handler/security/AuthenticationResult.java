package dev.deferred.impl.handler.security;

import java.util.Objects;

/** The outcome of {@link CloudTasksAuthenticator#authenticate}. */
public sealed interface AuthenticationResult {

  /** Whether the request was verified as coming from Cloud Tasks. */
  boolean verified();

  /**
   * The request comes from Cloud Tasks.
   *
   * @param method how it was verified, e.g. {@code "OIDC token of tasks@p.iam.gserviceaccount.com"}
   *     or {@code "App Engine queue header (queue mail)"}; for logs
   */
  record Verified(String method) implements AuthenticationResult {
    public Verified {
      Objects.requireNonNull(method, "method");
    }

    @Override
    public boolean verified() {
      return true;
    }
  }

  /**
   * The request was refused.
   *
   * @param reason why, for the server log only: never send it to the caller, it would tell an
   *     attacker what to fix
   */
  record Rejected(String reason) implements AuthenticationResult {
    public Rejected {
      Objects.requireNonNull(reason, "reason");
    }

    @Override
    public boolean verified() {
      return false;
    }
  }
}
