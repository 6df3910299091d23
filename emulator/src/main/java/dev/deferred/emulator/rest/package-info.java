/**
 * The Cloud Tasks v2 REST (HTTP/JSON) gateway of the emulator. Internal, may change without notice:
 * the emulator mounts it itself; use the REST surface through its URLs, not these classes.
 */
package dev.deferred.emulator.rest;
