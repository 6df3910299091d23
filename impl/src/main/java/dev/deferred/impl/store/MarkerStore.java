package dev.deferred.impl.store;

import java.util.List;
import java.util.Optional;
import java.util.function.UnaryOperator;

/**
 * Keeps iteration markers. Every change is an atomic read-modify-write of one marker, so shards
 * finishing at the same moment on different instances never lose each other's update.
 *
 * <p>A deleted marker leaves a tombstone for {@link IterationMarker#TOMBSTONE_RETENTION}: {@link
 * #get} and {@link #update} see no marker, but {@link #createIfAbsent} returns the tombstone, so a
 * planning task delivered again after its iteration was deleted (finalize done with the marker
 * deleted, or deleted by the application) finds it deleted and does not start the iteration over.
 * Expired tombstones are removed when markers are created.
 *
 * <p>Implementations are thread-safe.
 */
public interface MarkerStore {

  /**
   * Writes a marker unless one with its id exists, or was deleted less than {@link
   * IterationMarker#TOMBSTONE_RETENTION} ago.
   *
   * @param marker the new marker
   * @return the marker now stored: {@code marker}, or the one that was there, or the tombstone of a
   *     deleted one ({@link IterationMarker#isDeleted()})
   * @throws StoreException if the store cannot be reached
   */
  IterationMarker createIfAbsent(IterationMarker marker);

  /**
   * Reads a marker.
   *
   * @param id the iteration id
   * @return the marker; empty if there is none, or it was deleted
   * @throws StoreException if the store cannot be reached
   */
  Optional<IterationMarker> get(String id);

  /**
   * Changes a marker atomically: {@code change} sees the current marker and returns the new one (or
   * the same instance for no change). It may be called more than once when writers collide, so it
   * must have no side effects.
   *
   * @param id the iteration id
   * @param change the change
   * @return the marker after the change; empty if there is none or it was deleted (nothing is
   *     created or changed)
   * @throws StoreException if the store cannot be reached, or the update keeps colliding
   */
  Optional<IterationMarker> update(String id, UnaryOperator<IterationMarker> change);

  /**
   * The newest markers, by start time, newest first: for an operator's list of iterations.
   * Tombstones are not markers: they are left out.
   *
   * @param limit the most markers returned, at least 1
   * @return at most {@code limit} markers
   * @throws IllegalArgumentException if {@code limit < 1}
   * @throws StoreException if the store cannot be reached
   */
  List<IterationMarker> newest(int limit);

  /**
   * Deletes a marker, leaving its tombstone.
   *
   * @param id the iteration id
   * @return whether a marker was there (not counting a tombstone)
   * @throws StoreException if the store cannot be reached
   */
  boolean delete(String id);
}
