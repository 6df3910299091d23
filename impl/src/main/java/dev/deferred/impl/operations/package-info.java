/**
 * What operators of an application need: the failed-task API ({@code dev.deferred.FailedTasks})
 * over the failure store, and the optional health and telemetry integrations.
 *
 * <p>Internal, may change without notice.
 */
package dev.deferred.impl.operations;
