/**
 * Transactional enqueue: an interposed JTA synchronization that creates the tasks after commit and
 * drops them on rollback.
 *
 * <p>Internal, may change without notice.
 */
package dev.deferred.impl.transaction;
