package dev.deferred;

import jakarta.ws.rs.NameBinding;
import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Restricts a JAX-RS resource class or method of the application to requests made by Cloud Tasks,
 * as djangae's {@code task_only} decorator does. Any other request gets {@code 403 Forbidden} and
 * the method does not run.
 *
 * <pre>{@code
 * @Path("/cron/cleanup")
 * public class CleanupResource {
 *   @POST @TaskOnly
 *   public void cleanup() { ... }
 * }
 * }</pre>
 *
 * <p>A request counts as coming from Cloud Tasks under the same rules as the library's own task
 * handler: the App Engine queue headers on App Engine (which the platform strips from outside
 * requests), or a verified OIDC token from Cloud Tasks (or from the emulator in embedded and
 * emulator mode) for HTTP targets. The payload signature is not required here, since the body is
 * the application's own. Inside such a request, {@link TaskContext} is filled from the task
 * headers.
 *
 * <p>On App Engine, requests of App Engine cron ({@code X-Appengine-Cron: true}) are accepted too,
 * unless {@code deferred.task-only.accept-cron} is {@code false}. The OIDC audience expected is
 * {@code deferred.oidc.audience}, else the application's origin from its handler URL followed by
 * the requested path: never the request's own {@code Host}.
 *
 * <p>It is a JAX-RS {@link NameBinding}: the library's filter ({@code
 * dev.deferred.impl.handler.TaskOnlyFilter}) checks the request, and is registered automatically
 * when the application's {@code Application} lists no classes; otherwise add it to {@code
 * getClasses()}. It fails closed: the annotation is also a CDI interceptor binding, and on a CDI
 * bean a {@code @TaskOnly} method that is called without the filter having verified the request is
 * refused with {@code 403}, and the log names the missing registration.
 */
@NameBinding
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target({ElementType.TYPE, ElementType.METHOD})
public @interface TaskOnly {}
