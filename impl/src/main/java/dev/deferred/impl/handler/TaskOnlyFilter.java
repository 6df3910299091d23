package dev.deferred.impl.handler;

import dev.deferred.TaskOnly;
import dev.deferred.impl.Library;
import dev.deferred.impl.config.Messages;
import dev.deferred.impl.handler.security.AuthenticationResult;
import dev.deferred.impl.handler.security.TaskOnlyAuthenticators;
import jakarta.annotation.Priority;
import jakarta.enterprise.inject.spi.CDI;
import jakarta.ws.rs.Priorities;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerRequestFilter;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.ext.Provider;
import java.net.URI;
import java.util.logging.Logger;

/**
 * Rejects requests to {@link TaskOnly @TaskOnly} resources that do not come from Cloud Tasks (403),
 * and fills {@code TaskContext} for those that do. The OIDC audience expected is {@code
 * deferred.oidc.audience}, else the application's origin (from the handler URL) followed by the
 * requested path and query, Cloud Tasks' default audience for a task sent there. On App Engine, App
 * Engine cron requests ({@code X-Appengine-Cron: true}) are accepted as well unless {@code
 * deferred.task-only.accept-cron} is false. {@link TaskOnlyGuard} makes the annotation fail closed
 * where this filter is not registered.
 */
@TaskOnly
@Provider
@Priority(Priorities.AUTHENTICATION)
public class TaskOnlyFilter implements ContainerRequestFilter {
  private static final Logger LOG = Logger.getLogger(TaskOnlyFilter.class.getName());
  private static final RefusalLog REFUSALS = new RefusalLog(LOG, java.time.Clock.systemUTC());

  @Override
  public void filter(ContainerRequestContext request) {
    // Only the route comes from the request; scheme and host come from configuration, since
    // behind a TLS-terminating proxy the request's own scheme and Host are not the public ones.
    URI requested = request.getUriInfo().getRequestUri();
    String route =
        requested.getRawPath()
            + (requested.getRawQuery() == null ? "" : "?" + requested.getRawQuery());
    AuthenticationResult result =
        CDI.current()
            .select(TaskOnlyAuthenticators.class, Library.LITERAL)
            .get()
            .forRoute(route)
            .authenticate(request::getHeaderString);
    if (result instanceof AuthenticationResult.Rejected rejected) {
      REFUSALS.refused(Messages.rejected(rejected.reason() + " (@TaskOnly " + route + ")"));
      request.abortWith(Response.status(Response.Status.FORBIDDEN).build());
      return;
    }
    CDI.current().select(TaskState.class).get().fill(TaskHeaders.from(request::getHeaderString));
  }
}
