/**
 * MicroProfile Health checks of the task path, registered only when the server provides
 * MicroProfile Health: {@link dev.deferred.impl.health.TaskPathProbe} holds the checks and knows
 * nothing of MicroProfile Health; the two {@code HealthCheck} beans adapt it.
 *
 * <p>Internal, may change without notice.
 */
package dev.deferred.impl.health;
