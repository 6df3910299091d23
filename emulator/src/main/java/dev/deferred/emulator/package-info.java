/**
 * A Cloud Tasks v2 emulator that can run inside a Java process: start it with {@link
 * dev.deferred.emulator.CloudTasksEmulator#builder()}, point any Cloud Tasks client at {@link
 * dev.deferred.emulator.CloudTasksEmulator#grpcTarget()}, and let it deliver tasks over HTTP.
 *
 * <p>Public API: {@link dev.deferred.emulator.CloudTasksEmulator}, {@link
 * dev.deferred.emulator.EmulatorClock} and {@link dev.deferred.emulator.ManualClock}. Everything
 * under {@code dev.deferred.emulator.internal} may change without notice.
 */
package dev.deferred.emulator;
