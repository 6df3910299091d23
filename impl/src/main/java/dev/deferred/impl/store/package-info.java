/**
 * Stores for task payloads that are too large to travel inside a task, and for tasks that failed
 * permanently. In-memory implementations serve embedded mode; Datastore implementations serve
 * emulator and cloud mode, where several application instances share the stores.
 *
 * <p>Internal, may change without notice.
 */
package dev.deferred.impl.store;
