/**
 * The Cloud Tasks client of the application (one per application, closed at shutdown), task
 * targets, queue creation at startup, and the in-process emulator of embedded mode.
 *
 * <p>Internal, may change without notice.
 */
package dev.deferred.impl.client;
