package dev.deferred;

import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.regex.Pattern;

/**
 * Options of one iteration: queue, shard count, marker, transaction, time budget, batch size,
 * persistence unit, key ranges, attempts.
 *
 * <p>Immutable and thread-safe: every method returns a new instance. Start from {@link #defaults()}
 * or {@link #shards(int)}:
 *
 * <pre>{@code
 * iterations.iterate(query, Mailer.class, (m, o) -> m.remind(o), m -> m.done(),
 *     IterationOptions.shards(10).queue("batch").batchSize(200));
 * }</pre>
 *
 * <p>djangae's {@code defer_iteration_with_finalize} options map as: {@code _shards} to {@link
 * #shards(int)}, {@code _queue} to {@link #queue(String)}, {@code _delete_marker} to {@link
 * #deleteMarker(boolean)}, {@code _transactional} to {@link #transactional(boolean)}, {@code
 * _buffer_time} to {@link #timeBudget(Duration)}, {@code key_ranges_getter} to {@link
 * #keyRanges(Class)}.
 */
public final class IterationOptions {

  /** Default number of shards: {@value}. */
  public static final int DEFAULT_SHARDS = 5;

  /** Largest number of shards: {@value}. */
  public static final int MAX_SHARDS = 1000;

  /** Default rows per batch (one query, then a cleared persistence context): {@value}. */
  public static final int DEFAULT_BATCH_SIZE = 500;

  /**
   * Default time a shard task works before it defers its continuation: 9.5 minutes, under the 10
   * minute dispatch deadline of HTTP targets.
   */
  public static final Duration DEFAULT_TIME_BUDGET = Duration.ofSeconds(570);

  private static final Pattern QUEUE_ID = Pattern.compile("[A-Za-z0-9-]{1,100}");
  private static final IterationOptions DEFAULTS =
      new IterationOptions(
          DeferOptions.DEFAULT_QUEUE,
          DEFAULT_SHARDS,
          true,
          null,
          DEFAULT_TIME_BUDGET,
          DEFAULT_BATCH_SIZE,
          null,
          KeyRangeStrategy.Sampled.class,
          0);

  private final String queue;
  private final int shards;
  private final boolean deleteMarker;
  private final Boolean transactional;
  private final Duration timeBudget;
  private final int batchSize;
  private final String persistenceUnit;
  private final Class<? extends KeyRangeStrategy> keyRanges;
  private final int maxAttempts;

  private IterationOptions(
      String queue,
      int shards,
      boolean deleteMarker,
      Boolean transactional,
      Duration timeBudget,
      int batchSize,
      String persistenceUnit,
      Class<? extends KeyRangeStrategy> keyRanges,
      int maxAttempts) {
    this.queue = queue;
    this.shards = shards;
    this.deleteMarker = deleteMarker;
    this.transactional = transactional;
    this.timeBudget = timeBudget;
    this.batchSize = batchSize;
    this.persistenceUnit = persistenceUnit;
    this.keyRanges = keyRanges;
    this.maxAttempts = maxAttempts;
  }

  /**
   * The defaults: queue {@code default}, {@value #DEFAULT_SHARDS} shards, marker deleted after
   * finalize, transactional if a JTA transaction is active, a 9.5 minute time budget, batches of
   * {@value #DEFAULT_BATCH_SIZE} rows, the only persistence unit, {@link KeyRangeStrategy.Sampled}
   * ranges, attempts as the queue's retry configuration allows.
   *
   * @return the default options
   */
  public static IterationOptions defaults() {
    return DEFAULTS;
  }

  /**
   * The defaults with a number of shards.
   *
   * @param shards see {@link #withShards(int)}
   * @return new options
   */
  public static IterationOptions shards(int shards) {
    return DEFAULTS.withShards(shards);
  }

  /**
   * The queue of every task of the iteration (start, shards, continuations, finalize).
   *
   * @param queue a configured queue id
   * @return new options
   * @throws IllegalArgumentException if the id is not a valid Cloud Tasks queue id
   */
  public IterationOptions queue(String queue) {
    Objects.requireNonNull(queue, "queue");
    if (!QUEUE_ID.matcher(queue).matches()) {
      throw new IllegalArgumentException(
          "IterationOptions.queue: '"
              + queue
              + "' is not a queue id: use 1 to 100 letters, digits or hyphens");
    }
    return copy(
        queue,
        shards,
        deleteMarker,
        transactional,
        timeBudget,
        batchSize,
        persistenceUnit,
        keyRanges,
        maxAttempts);
  }

  /**
   * How many shards (parallel tasks) to split the rows into; fewer when there are fewer rows.
   *
   * @param shards 1 to {@value #MAX_SHARDS}
   * @return new options
   * @throws IllegalArgumentException if out of range
   */
  public IterationOptions withShards(int shards) {
    if (shards < 1 || shards > MAX_SHARDS) {
      throw new IllegalArgumentException(
          "IterationOptions.shards: "
              + shards
              + " is out of range: use 1 to "
              + MAX_SHARDS
              + " shards");
    }
    return copy(
        queue,
        shards,
        deleteMarker,
        transactional,
        timeBudget,
        batchSize,
        persistenceUnit,
        keyRanges,
        maxAttempts);
  }

  /**
   * Whether the iteration's marker is deleted once finalize succeeded (default {@code true}). Keep
   * it to read the iteration's {@link IterationService#progress(String) progress} afterwards; then
   * delete it yourself with {@link IterationService#deleteMarker(String)}.
   *
   * @param deleteMarker whether to delete the marker
   * @return new options
   */
  public IterationOptions deleteMarker(boolean deleteMarker) {
    return copy(
        queue,
        shards,
        deleteMarker,
        transactional,
        timeBudget,
        batchSize,
        persistenceUnit,
        keyRanges,
        maxAttempts);
  }

  /**
   * Whether the iteration starts only when the current JTA transaction commits (nothing happens if
   * it rolls back). Default: {@code true} inside an active transaction, as for {@link
   * DeferOptions#transactional(boolean)}.
   *
   * @param transactional whether to tie the start to the transaction
   * @return new options
   */
  public IterationOptions transactional(boolean transactional) {
    return copy(
        queue,
        shards,
        deleteMarker,
        transactional,
        timeBudget,
        batchSize,
        persistenceUnit,
        keyRanges,
        maxAttempts);
  }

  /**
   * How long one shard task processes rows before it defers its continuation from the next row
   * (djangae's {@code _buffer_time}). Keep it under the queue's dispatch deadline with room for one
   * batch and one slow row.
   *
   * @param budget positive
   * @return new options
   * @throws IllegalArgumentException if not positive
   */
  public IterationOptions timeBudget(Duration budget) {
    Objects.requireNonNull(budget, "budget");
    if (budget.isNegative() || budget.isZero()) {
      throw new IllegalArgumentException(
          "IterationOptions.timeBudget: " + budget + " is not positive");
    }
    return copy(
        queue,
        shards,
        deleteMarker,
        transactional,
        budget,
        batchSize,
        persistenceUnit,
        keyRanges,
        maxAttempts);
  }

  /**
   * Rows read per query; the persistence context is cleared after each batch, so memory depends on
   * the batch size, never on the table size.
   *
   * @param rows 1 to 10,000
   * @return new options
   * @throws IllegalArgumentException if out of range
   */
  public IterationOptions batchSize(int rows) {
    if (rows < 1 || rows > 10_000) {
      throw new IllegalArgumentException(
          "IterationOptions.batchSize: " + rows + " is out of range: use 1 to 10000 rows");
    }
    return copy(
        queue,
        shards,
        deleteMarker,
        transactional,
        timeBudget,
        rows,
        persistenceUnit,
        keyRanges,
        maxAttempts);
  }

  /**
   * The persistence unit of the entity, for an application with several: the iteration uses the
   * {@code EntityManager} bean qualified {@code @Named(unit)}. Without it, the configuration's
   * {@code deferred.iteration.persistence-unit} applies, else the application's only {@code
   * EntityManager} bean (or the only one whose unit manages the entity).
   *
   * @param unit the unit name
   * @return new options
   */
  public IterationOptions persistenceUnit(String unit) {
    Objects.requireNonNull(unit, "unit");
    if (unit.isBlank()) {
      throw new IllegalArgumentException("IterationOptions.persistenceUnit: the name is blank");
    }
    return copy(
        queue,
        shards,
        deleteMarker,
        transactional,
        timeBudget,
        batchSize,
        unit,
        keyRanges,
        maxAttempts);
  }

  /**
   * How the rows are split into shards; see {@link KeyRangeStrategy}.
   *
   * @param strategy a class with a public no-argument constructor
   * @return new options
   */
  public IterationOptions keyRanges(Class<? extends KeyRangeStrategy> strategy) {
    Objects.requireNonNull(strategy, "strategy");
    return copy(
        queue,
        shards,
        deleteMarker,
        transactional,
        timeBudget,
        batchSize,
        persistenceUnit,
        strategy,
        maxAttempts);
  }

  /**
   * How many attempts a shard task gets when its first row fails. On the last one the iteration is
   * marked {@link IterationProgress.State#FAILED}, the failure (with the row id) is recorded in the
   * failure store, and finalize never runs. Default: as many as the queue's retry configuration
   * allows. When the queue's configured {@code deferred.queues.<name>.retry-max-attempts} (without
   * a {@code retry-max-duration}) is lower, that is the last attempt. When the queue's limit is not
   * configured in Deferred (Cloud Tasks' own default, or one set outside the application), the last
   * attempt cannot be told: set this option, or the queue's {@code retry-max-attempts}, so that a
   * row failing for good fails the iteration; otherwise, once Cloud Tasks stops retrying, the
   * iteration stays {@code RUNNING} and the failures are only in the log.
   *
   * @param attempts at least 1
   * @return new options
   * @throws IllegalArgumentException if less than 1
   */
  public IterationOptions maxAttempts(int attempts) {
    if (attempts < 1) {
      throw new IllegalArgumentException(
          "IterationOptions.maxAttempts: " + attempts + " is less than 1");
    }
    return copy(
        queue,
        shards,
        deleteMarker,
        transactional,
        timeBudget,
        batchSize,
        persistenceUnit,
        keyRanges,
        attempts);
  }

  /**
   * The queue.
   *
   * @return the queue id
   */
  public String queue() {
    return queue;
  }

  /**
   * The number of shards asked for.
   *
   * @return the shard count
   */
  public int shardCount() {
    return shards;
  }

  /**
   * Whether the marker is deleted after finalize.
   *
   * @return {@code true} by default
   */
  public boolean isDeleteMarker() {
    return deleteMarker;
  }

  /**
   * Whether the start is tied to the transaction.
   *
   * @return empty for "if a transaction is active"
   */
  public Optional<Boolean> transactional() {
    return Optional.ofNullable(transactional);
  }

  /**
   * The time budget of a shard task.
   *
   * @return the budget
   */
  public Duration timeBudget() {
    return timeBudget;
  }

  /**
   * The batch size.
   *
   * @return rows per query
   */
  public int batchSize() {
    return batchSize;
  }

  /**
   * The persistence unit.
   *
   * @return the unit name; empty for the configured or only one
   */
  public Optional<String> persistenceUnit() {
    return Optional.ofNullable(persistenceUnit);
  }

  /**
   * The key range strategy.
   *
   * @return the strategy class
   */
  public Class<? extends KeyRangeStrategy> keyRanges() {
    return keyRanges;
  }

  /**
   * The attempts of a shard task whose first row fails.
   *
   * @return the limit; empty for the queue's
   */
  public OptionalInt maxAttempts() {
    return maxAttempts == 0 ? OptionalInt.empty() : OptionalInt.of(maxAttempts);
  }

  private static IterationOptions copy(
      String queue,
      int shards,
      boolean deleteMarker,
      Boolean transactional,
      Duration timeBudget,
      int batchSize,
      String persistenceUnit,
      Class<? extends KeyRangeStrategy> keyRanges,
      int maxAttempts) {
    return new IterationOptions(
        queue,
        shards,
        deleteMarker,
        transactional,
        timeBudget,
        batchSize,
        persistenceUnit,
        keyRanges,
        maxAttempts);
  }

  @Override
  public String toString() {
    return "IterationOptions[queue="
        + queue
        + ", shards="
        + shards
        + ", deleteMarker="
        + deleteMarker
        + ", transactional="
        + (transactional == null ? "if active" : transactional)
        + ", timeBudget="
        + timeBudget
        + ", batchSize="
        + batchSize
        + (persistenceUnit == null ? "" : ", persistenceUnit=" + persistenceUnit)
        + ", keyRanges="
        + keyRanges.getName()
        + (maxAttempts == 0 ? "" : ", maxAttempts=" + maxAttempts)
        + "]";
  }
}
