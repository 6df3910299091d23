/**
 * The parts behind {@code dev.deferred.testing}: the test class's environment (task HTTP server,
 * emulator, configuration source), the emulator's test clock, the host environment without
 * variables that the library sees, the CDI extension and the two drivers of {@code TaskQueues}.
 *
 * <p>Internal, may change without notice.
 */
package dev.deferred.testing.internal;
