package dev.deferred.impl.store;

import java.util.ArrayDeque;
import java.util.Comparator;
import java.util.Deque;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Failure store for embedded mode. Keeps the most recent {@code capacity} failures, holding at most
 * {@code maxBytes} of payloads, messages and stack traces together (the newest failure is always
 * kept), and forgets the oldest beyond that, since failures are diagnostics: losing an old one
 * costs less than running out of memory in a long development session, or to a stream of refused
 * requests with large bodies. Ids are increasing decimal numbers.
 */
public final class InMemoryFailureStore implements FailureStore {

  /** The number of failures kept unless configured otherwise. */
  public static final int DEFAULT_CAPACITY = 1000;

  /** The bytes of failures kept unless configured otherwise: 16 MiB. */
  public static final long DEFAULT_MAX_BYTES = 16L * 1024 * 1024;

  private final int capacity;
  private final long maxBytes;
  // Guarded by failures.
  private long totalBytes;
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
    this(capacity, DEFAULT_MAX_BYTES);
  }

  /**
   * A store keeping the last {@code capacity} failures, at most {@code maxBytes} of them.
   *
   * @param capacity at least 1
   * @param maxBytes at least 1; the newest failure is kept even if it alone is larger
   */
  public InMemoryFailureStore(int capacity, long maxBytes) {
    if (capacity < 1) {
      throw new IllegalArgumentException(StoreMessages.invalidFailureCapacity(capacity));
    }
    if (maxBytes < 1) {
      throw new IllegalArgumentException(StoreMessages.invalidInMemoryBound(maxBytes));
    }
    this.capacity = capacity;
    this.maxBytes = maxBytes;
  }

  /** What a failure costs in memory, roughly: its bytes and its text at two bytes a character. */
  static long bytes(TaskFailure f) {
    long chars = 0;
    for (String s :
        new String[] {
          f.queue(),
          f.taskName(),
          f.beanType(),
          f.method(),
          f.exceptionClass(),
          f.message(),
          f.stackTrace(),
          f.payloadKey()
        }) {
      chars += s == null ? 0 : s.length();
    }
    byte[] payload = f.payload();
    return 2 * chars + (payload == null ? 0 : payload.length) + 200;
  }

  /** The bytes held now, as {@link #bytes} counts them. */
  public long totalBytes() {
    synchronized (failures) {
      return totalBytes;
    }
  }

  @Override
  public TaskFailure record(TaskFailure failure) {
    TaskFailure stored = failure.withId(Long.toString(nextId.getAndIncrement()));
    synchronized (failures) {
      failures.addFirst(stored);
      totalBytes += bytes(stored);
      while (failures.size() > 1 && (failures.size() > capacity || totalBytes > maxBytes)) {
        totalBytes -= bytes(failures.removeLast());
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
        totalBytes = failures.stream().mapToLong(InMemoryFailureStore::bytes).sum();
      }
      return marked;
    }
  }

  @Override
  public void delete(String id) {
    synchronized (failures) {
      failures.removeIf(f -> f.id().equals(id));
      totalBytes = failures.stream().mapToLong(InMemoryFailureStore::bytes).sum();
    }
  }
}
