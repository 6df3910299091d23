/**
 * The emulator's implementation: the gRPC service, the in-memory store, the dispatcher, the OIDC
 * signer and the console. Internal, may change without notice; use {@link
 * dev.deferred.emulator.CloudTasksEmulator}.
 */
package dev.deferred.emulator.internal;
