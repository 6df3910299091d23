/**
 * OpenTelemetry metrics and traces of the task path (MicroProfile Telemetry on Open Liberty), used
 * only when the application has an {@code OpenTelemetry} bean; otherwise the defer path and the
 * handler call {@link dev.deferred.impl.operations.TaskObserver#NONE}.
 *
 * <p>Internal, may change without notice.
 */
package dev.deferred.impl.telemetry;
