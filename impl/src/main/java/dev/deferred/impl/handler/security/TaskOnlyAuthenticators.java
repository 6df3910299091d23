package dev.deferred.impl.handler.security;

/** The authenticator of requests to one route of the application ({@code @TaskOnly} endpoints). */
@FunctionalInterface
public interface TaskOnlyAuthenticators {

  /**
   * The authenticator for a requested route.
   *
   * @param route the requested raw path and, if any, {@code ?} and the raw query
   */
  CloudTasksAuthenticator forRoute(String route);
}
