/**
 * Decides whether a request to the task handler (or to a {@code @TaskOnly} endpoint) really comes
 * from Cloud Tasks: a verified OIDC token for HTTP targets, the App Engine queue headers for App
 * Engine targets on App Engine.
 *
 * <p>Internal, may change without notice.
 */
package dev.deferred.impl.handler.security;
