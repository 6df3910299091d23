/**
 * The call site: {@code Deferrer}, the {@code @Deferred} interceptor and the recording interceptor
 * that captures a method call from a lambda.
 *
 * <p>Internal, may change without notice.
 */
package dev.deferred.impl.defer;
