/**
 * The CDI portable extension that wires Deferred into an application: registers the library's beans
 * and interceptors and validates @Deferred methods, queues and configuration at deployment.
 *
 * <p>Internal, may change without notice.
 */
package dev.deferred.impl;
