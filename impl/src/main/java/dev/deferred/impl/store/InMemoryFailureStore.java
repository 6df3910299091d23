package dev.deferred.impl.store;

import java.util.ArrayDeque;
import java.util.Comparator;
import java.util.Deque;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Failure store for embedded mode. Keeps the most recent {@code capacity} failures and forgets the
 * oldest beyond that, since failures are diagnostics: losing an old one costs less than running out
 * of memory in a long development session. Ids are increasing decimal numbers.
 */
public final class InMemoryFailureStore implements FailureStore {

  /** The number of failures kept unless configured otherwise. */
  public static final int DEFAULT_CAPACITY = 1000;

  private final int capacity;
  private final AtomicLong nextId = new AtomicLong(1);
  // Guarded by itself; failures are rare, so one lock is simpler than a lock-free ring.
  private final Deque<TaskFailure> failures = new ArrayDeque<>();

  /** A store keeping the last {@link #DEFAULT_CAPACITY} failures. */
  public InMemoryFailureStore() {
    this(DEFAULT_CAPACITY);
  }

  /**
   * A store keeping the last {@code capacity} failures.
   *
   * @param capacity at least 1
   */
  public InMemoryFailureStore(int capacity) {
    if (capacity < 1) {
      throw new IllegalArgumentException(StoreMessages.invalidFailureCapacity(capacity));
    }
    this.capacity = capacity;
  }

  @Override
  public TaskFailure record(TaskFailure failure) {
    TaskFailure stored = failure.withId(Long.toString(nextId.getAndIncrement()));
    synchronized (failures) {
      failures.addFirst(stored);
      while (failures.size() > capacity) {
        failures.removeLast();
      }
    }
    return stored;
  }

  @Override
  public List<TaskFailure> recent(int limit) {
    if (limit < 1) {
      throw new IllegalArgumentException(StoreMessages.invalidLimit(limit));
    }
    synchronized (failures) {
      // Recorded order is nearly time order; sort anyway so a failure recorded with an earlier
      // timestamp (a slow thread) does not appear newer than it is.
      return failures.stream().sorted(NEWEST_FIRST).limit(limit).toList();
    }
  }

  @Override
  public FailurePage page(int limit, String cursor) {
    if (limit < 1) {
      throw new IllegalArgumentException(StoreMessages.invalidLimit(limit));
    }
    // The cursor is the position of the last failure shown, in the newest-first order; failures
    // recorded meanwhile sort before it and so never shift the pages that follow.
    Position after = cursor == null ? null : Position.parse(cursor);
    List<TaskFailure> page;
    synchronized (failures) {
      page =
          failures.stream()
              .sorted(NEWEST_FIRST)
              .filter(f -> after == null || after.isBefore(f))
              .limit(limit + 1L)
              .toList();
    }
    if (page.size() <= limit) {
      return new FailurePage(page, Optional.empty());
    }
    List<TaskFailure> shown = page.subList(0, limit);
    return new FailurePage(shown, Optional.of(Position.of(shown.get(limit - 1)).toString()));
  }

  private static final Comparator<TaskFailure> NEWEST_FIRST =
      Comparator.comparing(TaskFailure::failedAt)
          .thenComparing(f -> Long.parseLong(f.id()))
          .reversed();

  private record Position(java.time.Instant failedAt, long id) {
    static Position of(TaskFailure f) {
      return new Position(f.failedAt(), Long.parseLong(f.id()));
    }

    static Position parse(String cursor) {
      String[] parts = cursor.split(":");
      try {
        if (parts.length == 3) {
          return new Position(
              java.time.Instant.ofEpochSecond(Long.parseLong(parts[0]), Long.parseLong(parts[1])),
              Long.parseLong(parts[2]));
        }
      } catch (RuntimeException e) {
        // falls through to the error below
      }
      throw new IllegalArgumentException(StoreMessages.invalidCursor(cursor));
    }

    /** Whether {@code f} comes after this position in newest-first order. */
    boolean isBefore(TaskFailure f) {
      int byTime = f.failedAt().compareTo(failedAt);
      return byTime < 0 || (byTime == 0 && Long.parseLong(f.id()) < id);
    }

    @Override
    public String toString() {
      return failedAt.getEpochSecond() + ":" + failedAt.getNano() + ":" + id;
    }
  }

  @Override
  public Optional<TaskFailure> find(String id) {
    synchronized (failures) {
      return failures.stream().filter(f -> f.id().equals(id)).findFirst();
    }
  }

  @Override
  public Optional<TaskFailure> markRedeferred(String id, String taskName, java.time.Instant at) {
    synchronized (failures) {
      // The deque is newest first by recording; keep each failure where it is.
      Optional<TaskFailure> marked = Optional.empty();
      java.util.List<TaskFailure> all = new java.util.ArrayList<>(failures);
      for (int i = 0; i < all.size(); i++) {
        if (all.get(i).id().equals(id)) {
          marked = Optional.of(all.get(i).withRedeferral(taskName, at));
          all.set(i, marked.get());
        }
      }
      if (marked.isPresent()) {
        failures.clear();
        failures.addAll(all);
      }
      return marked;
    }
  }

  @Override
  public void delete(String id) {
    synchronized (failures) {
      failures.removeIf(f -> f.id().equals(id));
    }
  }
}
