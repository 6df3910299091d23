package dev.deferred.impl.handler;

import dev.deferred.TaskOnly;
import dev.deferred.impl.DeferredRuntime;
import dev.deferred.impl.config.Messages;
import dev.deferred.impl.handler.security.AuthenticationResult;
import jakarta.annotation.Priority;
import jakarta.enterprise.inject.spi.CDI;
import jakarta.ws.rs.Priorities;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerRequestFilter;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.ext.Provider;
import java.util.logging.Logger;

/**
 * Rejects requests to {@link TaskOnly @TaskOnly} resources that do not come from Cloud Tasks (403),
 * and fills {@code TaskContext} for those that do. The OIDC audience expected is the request URL
 * (Cloud Tasks' default for tokens) unless {@code deferred.oidc.audience} is set.
 */
@TaskOnly
@Provider
@Priority(Priorities.AUTHENTICATION)
public class TaskOnlyFilter implements ContainerRequestFilter {
  private static final Logger LOG = Logger.getLogger(TaskOnlyFilter.class.getName());

  @Override
  public void filter(ContainerRequestContext request) {
    DeferredRuntime runtime = CDI.current().select(DeferredRuntime.class).get();
    String url = request.getUriInfo().getAbsolutePath().toString();
    AuthenticationResult result =
        runtime.authenticatorFor(url).authenticate(request::getHeaderString);
    if (result instanceof AuthenticationResult.Rejected rejected) {
      LOG.warning(Messages.rejected(rejected.reason() + " (@TaskOnly " + url + ")"));
      request.abortWith(Response.status(Response.Status.FORBIDDEN).build());
      return;
    }
    CDI.current().select(TaskState.class).get().fill(TaskHeaders.from(request::getHeaderString));
  }
}
