package dev.deferred.impl.store;

import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Payload store for embedded mode, where the emulator and the handler live in the same JVM.
 *
 * <p>Bounded by the total number of bytes held ({@link #DEFAULT_MAX_TOTAL_BYTES} unless configured
 * otherwise): payloads are deleted once their task succeeded or failed permanently, so only tasks
 * that are still queued or retrying hold memory, but a queue that retries forever must not exhaust
 * the heap. A put that would exceed the bound is refused with a {@link StoreException} that names
 * the bound; nothing is evicted, because evicting a payload would silently lose its task.
 */
public final class InMemoryPayloadStore implements PayloadStore {

  /** 64 MiB: far more than a development session queues, far less than a typical heap. */
  public static final long DEFAULT_MAX_TOTAL_BYTES = 64L * 1024 * 1024;

  private final ConcurrentHashMap<String, byte[]> payloads = new ConcurrentHashMap<>();
  private final AtomicLong totalBytes = new AtomicLong();
  private final long maxTotalBytes;

  /** A store bounded by {@link #DEFAULT_MAX_TOTAL_BYTES}. */
  public InMemoryPayloadStore() {
    this(DEFAULT_MAX_TOTAL_BYTES);
  }

  /**
   * A store bounded by {@code maxTotalBytes}.
   *
   * @param maxTotalBytes the most bytes held at once, over all payloads; at least 1
   */
  public InMemoryPayloadStore(long maxTotalBytes) {
    if (maxTotalBytes < 1) {
      throw new IllegalArgumentException(StoreMessages.invalidInMemoryBound(maxTotalBytes));
    }
    this.maxTotalBytes = maxTotalBytes;
  }

  @Override
  public String put(byte[] payload) {
    if (payload.length > maxTotalBytes) {
      throw new PayloadTooLargeException(
          StoreMessages.inMemoryPayloadTooLarge(payload.length, maxTotalBytes),
          payload.length,
          maxTotalBytes);
    }
    long after = totalBytes.addAndGet(payload.length);
    if (after > maxTotalBytes) {
      totalBytes.addAndGet(-payload.length);
      throw new StoreException(
          StoreMessages.inMemoryStoreFull(payload.length, after - payload.length, maxTotalBytes));
    }
    String key = UUID.randomUUID().toString();
    payloads.put(key, payload.clone());
    return key;
  }

  @Override
  public Optional<byte[]> get(String key) {
    byte[] payload = payloads.get(key);
    return payload == null ? Optional.empty() : Optional.of(payload.clone());
  }

  @Override
  public void delete(String key) {
    byte[] removed = payloads.remove(key);
    if (removed != null) {
      totalBytes.addAndGet(-removed.length);
    }
  }

  @Override
  public long maxPayloadBytes() {
    return maxTotalBytes;
  }

  /** The bytes currently held, over all payloads. */
  public long totalBytes() {
    return totalBytes.get();
  }
}
