package dev.deferred.impl.iteration;

import java.util.List;

/**
 * Everything an iteration's tasks need, fixed at the call site; travels (signed) in the payload of
 * every task of the iteration.
 *
 * @param id the iteration id
 * @param entity the entity class name
 * @param condition the JPQL condition on {@code e}; {@code null} for every row
 * @param parameters the condition's parameters, encoded
 * @param orderBy the attribute rows are ordered by before the id; {@code null} for id order
 * @param callback the recorded callback call, a payload of the codec with {@code null} for the row
 * @param rowArgument which argument of the callback is the row
 * @param finalizer the recorded finalize call; {@code null} for none
 * @param queue the queue of every task
 * @param shards the shards asked for
 * @param batchSize rows per query
 * @param budgetMillis the time budget of a shard task
 * @param deleteMarker whether finalize deletes the marker
 * @param persistenceUnit the unit; {@code null} for the configured or only one
 * @param keyRanges the key range strategy class name
 * @param maxAttempts attempts of a shard task whose first row fails; 0 for the queue's
 */
public record IterationSpec(
    String id,
    String entity,
    String condition,
    List<EncodedValue> parameters,
    String orderBy,
    String callback,
    int rowArgument,
    String finalizer,
    String queue,
    int shards,
    int batchSize,
    long budgetMillis,
    boolean deleteMarker,
    String persistenceUnit,
    String keyRanges,
    int maxAttempts) {}
