/**
 * The task handler: a plain core ({@code TaskHandler}) that verifies, decodes and runs a task and
 * maps the outcome to an HTTP status, the thin JAX-RS resource and application that expose it,
 * {@code TaskContext}, and the {@code @TaskOnly} filter.
 *
 * <p>Internal, may change without notice.
 */
package dev.deferred.impl.handler;
