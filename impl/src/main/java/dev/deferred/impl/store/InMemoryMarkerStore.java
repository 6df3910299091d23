package dev.deferred.impl.store;

import java.time.Clock;
import java.time.InstantSource;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.UnaryOperator;

/**
 * Marker store for embedded mode: a concurrent map whose per-key {@code compute} is the lock that
 * makes each update atomic.
 */
public final class InMemoryMarkerStore implements MarkerStore {

  private final ConcurrentHashMap<String, IterationMarker> markers = new ConcurrentHashMap<>();
  private final InstantSource clock;

  public InMemoryMarkerStore() {
    this(Clock.systemUTC());
  }

  /**
   * @param clock dates tombstones and decides when they expire
   */
  public InMemoryMarkerStore(InstantSource clock) {
    this.clock = clock;
  }

  @Override
  public IterationMarker createIfAbsent(IterationMarker marker) {
    markers.values().removeIf(m -> m.tombstoneExpired(clock.instant()));
    return markers.computeIfAbsent(marker.id(), id -> marker);
  }

  @Override
  public Optional<IterationMarker> get(String id) {
    return Optional.ofNullable(markers.get(id)).filter(m -> !m.isDeleted());
  }

  @Override
  public Optional<IterationMarker> update(String id, UnaryOperator<IterationMarker> change) {
    return Optional.ofNullable(
            markers.computeIfPresent(id, (k, m) -> m.isDeleted() ? m : change.apply(m)))
        .filter(m -> !m.isDeleted());
  }

  @Override
  public List<IterationMarker> newest(int limit) {
    if (limit < 1) {
      throw new IllegalArgumentException("limit must be at least 1, was " + limit);
    }
    return markers.values().stream()
        .filter(m -> !m.isDeleted())
        .sorted(
            Comparator.comparing(IterationMarker::startedAt)
                .reversed()
                .thenComparing(IterationMarker::id))
        .limit(limit)
        .toList();
  }

  @Override
  public boolean delete(String id) {
    AtomicBoolean deleted = new AtomicBoolean();
    markers.computeIfPresent(
        id,
        (k, m) -> {
          if (m.isDeleted()) {
            return m;
          }
          deleted.set(true);
          return m.tombstone(clock.instant());
        });
    return deleted.get();
  }
}
