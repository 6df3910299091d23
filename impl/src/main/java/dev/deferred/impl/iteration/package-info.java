/**
 * The iteration engine behind {@link dev.deferred.IterationService}: the call site ({@link
 * dev.deferred.impl.iteration.IterationServiceImpl}), the planning, shard and finalize tasks
 * ({@link dev.deferred.impl.iteration.IterationTasks}, deferred through the ordinary defer path),
 * keyset pagination over JPA, and the marker bookkeeping that makes finalize run once.
 *
 * <p>Internal, may change without notice.
 */
package dev.deferred.impl.iteration;
