package dev.deferred.impl.handler;

import dev.deferred.TaskOnly;
import dev.deferred.impl.config.Messages;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ContextNotActiveException;
import jakarta.enterprise.inject.Instance;
import jakarta.inject.Inject;
import jakarta.interceptor.AroundInvoke;
import jakarta.interceptor.Interceptor;
import jakarta.interceptor.InvocationContext;
import jakarta.ws.rs.ForbiddenException;
import jakarta.ws.rs.container.ContainerRequestFilter;
import jakarta.ws.rs.container.ContainerResponseFilter;
import jakarta.ws.rs.ext.ReaderInterceptor;
import jakarta.ws.rs.ext.WriterInterceptor;
import java.util.logging.Logger;

/**
 * Makes {@link TaskOnly @TaskOnly} fail closed. The JAX-RS filter ({@link TaskOnlyFilter}) is what
 * checks a request's origin, but it runs only where the application's JAX-RS setup registered it;
 * an {@code Application} that lists its classes without it would leave {@code @TaskOnly} endpoints
 * open. This CDI interceptor, bound to the same annotation by the library's extension, lets a
 * {@code @TaskOnly} method run only inside a request that the filter (or the task handler) verified
 * as coming from Cloud Tasks; anything else gets 403 and an error in the log naming the fix.
 *
 * <p>JAX-RS providers carrying {@code @TaskOnly} (name-bound filters, the library's own included)
 * are not guarded: the annotation there means "apply to task-only endpoints", not "is one".
 */
@TaskOnly
@Interceptor
// After the library's recording and @Deferred interceptors, which capture a call without running
// it:
// deferring a @TaskOnly method is allowed, running it outside a verified request is not.
@Priority(Interceptor.Priority.PLATFORM_BEFORE + 20)
public class TaskOnlyGuard {
  private static final Logger LOG = Logger.getLogger(TaskOnlyGuard.class.getName());

  @Inject Instance<TaskState> state;

  @AroundInvoke
  Object guard(InvocationContext invocation) throws Exception {
    Object target = invocation.getTarget();
    if (target instanceof ContainerRequestFilter
        || target instanceof ContainerResponseFilter
        || target instanceof ReaderInterceptor
        || target instanceof WriterInterceptor
        || verified()) {
      return invocation.proceed();
    }
    String message =
        Messages.taskOnlyUnverified(
            invocation.getMethod().getDeclaringClass().getName()
                + "."
                + invocation.getMethod().getName());
    LOG.severe(message);
    throw forbidden(message);
  }

  /**
   * 403 in a JAX-RS request; outside one (no JAX-RS runtime to build a response), a plain error.
   */
  private static RuntimeException forbidden(String message) {
    try {
      return new ForbiddenException();
    } catch (RuntimeException | LinkageError noJaxRsRuntime) {
      return new SecurityException(message);
    }
  }

  private boolean verified() {
    try {
      return state.get().headers() != null;
    } catch (ContextNotActiveException e) {
      return false;
    }
  }
}
