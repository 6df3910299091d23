package dev.deferred.impl.store;

import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.UnaryOperator;

/**
 * Marker store for embedded mode: a concurrent map whose per-key {@code compute} is the lock that
 * makes each update atomic.
 */
public final class InMemoryMarkerStore implements MarkerStore {

  private final ConcurrentHashMap<String, IterationMarker> markers = new ConcurrentHashMap<>();

  @Override
  public IterationMarker createIfAbsent(IterationMarker marker) {
    return markers.computeIfAbsent(marker.id(), id -> marker);
  }

  @Override
  public Optional<IterationMarker> get(String id) {
    return Optional.ofNullable(markers.get(id));
  }

  @Override
  public Optional<IterationMarker> update(String id, UnaryOperator<IterationMarker> change) {
    return Optional.ofNullable(markers.computeIfPresent(id, (k, m) -> change.apply(m)));
  }

  @Override
  public List<IterationMarker> newest(int limit) {
    if (limit < 1) {
      throw new IllegalArgumentException("limit must be at least 1, was " + limit);
    }
    return markers.values().stream()
        .sorted(
            Comparator.comparing(IterationMarker::startedAt)
                .reversed()
                .thenComparing(IterationMarker::id))
        .limit(limit)
        .toList();
  }

  @Override
  public boolean delete(String id) {
    return markers.remove(id) != null;
  }
}
