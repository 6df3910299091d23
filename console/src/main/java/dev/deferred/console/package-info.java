/**
 * The application console: optional pages for operators that show the failed tasks and re-defer or
 * delete them, the progress of iterations, and per-queue counts. An application adds the {@code
 * dev.deferred:deferred-console} jar; the pages appear under {@code deferred.console.path} and
 * answer only users in {@code deferred.console.role}. Internal: nothing here is API.
 */
package dev.deferred.console;
