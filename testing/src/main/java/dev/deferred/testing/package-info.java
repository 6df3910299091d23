/**
 * JUnit 5 support for applications that use Deferred.
 *
 * <p>{@link dev.deferred.testing.DeferredTest @DeferredTest} boots an application's beans on Weld
 * with the library pointed at a Cloud Tasks emulator started in the test's own process, whose
 * queues are paused: deferred tasks wait until the test runs them through {@link
 * dev.deferred.testing.TaskQueues}, which also counts, lists and asserts them and moves the
 * emulator's clock. {@link dev.deferred.testing.TaskQueues#remote} drives the emulator of a running
 * server the same way, for integration tests.
 *
 * <p>Public API of the {@code deferred-testing} artifact; {@code dev.deferred.testing.internal} is
 * not.
 */
package dev.deferred.testing;
