package dev.deferred.impl.handler;

import jakarta.ws.rs.ApplicationPath;
import jakarta.ws.rs.core.Application;
import java.util.Set;

/**
 * The library's own JAX-RS application. Open Liberty serves a resource from a library jar only
 * through an {@code Application} that lists it (or one that lists nothing), so the library brings
 * its own, which lists only the task handler: the handler URL is then {@code
 * CONTEXT_ROOT/_ah/queue/deferred} whatever the application's own JAX-RS setup. To move it, map
 * this class in web.xml (servlet name {@code dev.deferred.impl.handler.DeferredApplication}) and
 * set {@code deferred.handler.path} to match.
 */
@ApplicationPath("/_ah")
public class DeferredApplication extends Application {

  /** The resource path under the application path. */
  public static final String RESOURCE_PATH = "queue/deferred";

  @Override
  public Set<Class<?>> getClasses() {
    return Set.of(TaskResource.class);
  }
}
