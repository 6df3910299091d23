/**
 * Reads and validates every {@code deferred.*} configuration key, resolves the mode (embedded,
 * emulator, cloud), and holds every message of the library with its stable id.
 *
 * <p>Internal, may change without notice.
 */
package dev.deferred.impl.config;
