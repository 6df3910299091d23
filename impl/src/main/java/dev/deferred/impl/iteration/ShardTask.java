package dev.deferred.impl.iteration;

/**
 * One shard task: a range of ids, where in it to resume, and how far the shard got before.
 *
 * @param spec the iteration
 * @param shard the shard index
 * @param lower the smallest id of the range, as JSON; {@code null} for no bound
 * @param upper the first id past the range, as JSON; {@code null} for no bound
 * @param after the id of the last row processed, as JSON; {@code null} at the start of the range
 * @param afterOrder with {@code orderBy}, the ordering value of that row, as JSON
 * @param generation 0 for the first task of the shard, then one more per continuation
 * @param rowsBefore rows the shard processed in earlier tasks
 */
public record ShardTask(
    IterationSpec spec,
    int shard,
    String lower,
    String upper,
    String after,
    String afterOrder,
    int generation,
    long rowsBefore) {}
