package dev.deferred;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * How an iteration splits its rows into shards: a list of id ranges (djangae's {@code
 * key_ranges_getter}).
 *
 * <p>It runs in the iteration's first task, not at the call site, and is named in {@link
 * IterationOptions#keyRanges(Class)} by its class, which needs a public no-argument constructor.
 * Two are built in:
 *
 * <ul>
 *   <li>{@link Sampled} (the default): boundaries are ids sampled from the query itself at even row
 *       counts, so shards hold about the same number of rows however the ids are spread;
 *   <li>{@link SequentialIntegers}: splits the span from the smallest to the largest id into equal
 *       value intervals, with no sampling (djangae's {@code sequential_int_key_ranges}); right for
 *       dense integer ids, unbalanced for sparse ones.
 * </ul>
 *
 * <p>The ranges returned must be in ascending order, must not overlap, and together must cover
 * every id the query can match; the first range should be open below and the last open above, so
 * that rows added while the iteration is planned are not lost. An empty list is an iteration with
 * no shard: finalize runs at once.
 */
public interface KeyRangeStrategy {

  /**
   * Computes the ranges.
   *
   * @param keys the ids the iteration's query matches, readable in id order
   * @param shards the number of shards asked for ({@link IterationOptions#shards(int)}); return at
   *     most that many ranges
   * @return the ranges, in ascending order
   */
  List<KeyRange> ranges(KeySource keys, int shards);

  /**
   * A half-open range of ids, {@code [lower, upper)}.
   *
   * @param lower the smallest id in the range; {@code null} for no lower bound
   * @param upper the first id past the range; {@code null} for no upper bound
   */
  record KeyRange(Comparable<?> lower, Comparable<?> upper) {

    /** The range of every id. */
    public static final KeyRange ALL = new KeyRange(null, null);
  }

  /** Read access to the ids of the rows an iteration's query matches, in ascending order. */
  interface KeySource {

    /**
     * The id type (a boxed type for primitive ids).
     *
     * @return the id class
     */
    Class<?> keyType();

    /**
     * How many rows the query matches.
     *
     * @return the row count
     */
    long count();

    /**
     * The id at a position in id order.
     *
     * @param position zero-based
     * @return the id; empty past the last row
     */
    Optional<Comparable<?>> keyAt(long position);

    /**
     * The smallest matching id.
     *
     * @return the id; empty when no row matches
     */
    Optional<Comparable<?>> min();

    /**
     * The largest matching id.
     *
     * @return the id; empty when no row matches
     */
    Optional<Comparable<?>> max();
  }

  /**
   * Ranges with about the same number of rows each: boundaries are the ids at positions {@code
   * count * i / shards}. Fewer rows than shards gives one shard per row; no row gives no shard.
   */
  final class Sampled implements KeyRangeStrategy {

    /** The strategy; stateless. */
    public Sampled() {}

    @Override
    public List<KeyRange> ranges(KeySource keys, int shards) {
      long count = keys.count();
      if (count == 0) {
        return List.of();
      }
      int n = (int) Math.min(shards, count);
      List<Comparable<?>> bounds = new ArrayList<>();
      for (int i = 1; i < n; i++) {
        keys.keyAt(count * i / n).ifPresent(bounds::add);
      }
      return fromBounds(bounds);
    }
  }

  /**
   * Equal value intervals between the smallest and the largest integer id, without sampling. For
   * ids of type {@code Long}, {@code Integer}, {@code Short} or {@code Byte}.
   */
  final class SequentialIntegers implements KeyRangeStrategy {

    /** The strategy; stateless. */
    public SequentialIntegers() {}

    @Override
    public List<KeyRange> ranges(KeySource keys, int shards) {
      Optional<Comparable<?>> min = keys.min();
      Optional<Comparable<?>> max = keys.max();
      if (min.isEmpty() || max.isEmpty()) {
        return List.of();
      }
      if (!(min.get() instanceof Number lo) || !(max.get() instanceof Number hi)) {
        throw new IllegalArgumentException(
            "KeyRangeStrategy.SequentialIntegers needs integer ids, but the ids are "
                + keys.keyType().getName()
                + ": use KeyRangeStrategy.Sampled");
      }
      long span = hi.longValue() - lo.longValue() + 1;
      int n = (int) Math.max(1, Math.min(shards, span));
      List<Comparable<?>> bounds = new ArrayList<>();
      for (int i = 1; i < n; i++) {
        long bound = lo.longValue() + span * i / n;
        bounds.add(box(bound, keys.keyType()));
      }
      return fromBounds(bounds);
    }

    private static Comparable<?> box(long value, Class<?> type) {
      if (type == Integer.class) {
        return (int) value;
      }
      if (type == Short.class) {
        return (short) value;
      }
      if (type == Byte.class) {
        return (byte) value;
      }
      return value;
    }
  }

  /**
   * Ranges split at the given boundaries: open below the first and above the last.
   *
   * @param bounds ascending boundaries; duplicates are dropped
   * @return {@code bounds.size() + 1} ranges or fewer
   */
  static List<KeyRange> fromBounds(List<Comparable<?>> bounds) {
    List<KeyRange> ranges = new ArrayList<>();
    Comparable<?> lower = null;
    for (Comparable<?> b : bounds) {
      if (lower != null && lower.equals(b)) {
        continue;
      }
      ranges.add(new KeyRange(lower, b));
      lower = b;
    }
    ranges.add(new KeyRange(lower, null));
    return ranges;
  }
}
