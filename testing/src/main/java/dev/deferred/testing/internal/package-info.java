/**
 * The parts behind {@code dev.deferred.testing}: the task HTTP server, the test configuration
 * source, the emulator's test clock and the two drivers of {@code TaskQueues}.
 *
 * <p>Internal, may change without notice.
 */
package dev.deferred.testing.internal;
