/**
 * The standalone emulator's command line ({@code java -jar cloud-tasks-emulator.jar}). Internal,
 * may change without notice: the documented interface is the command and its flags (see {@code
 * docs/emulator.md}), not these classes.
 */
package dev.deferred.emulator.cli;
