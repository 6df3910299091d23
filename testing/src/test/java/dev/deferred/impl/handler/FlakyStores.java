package dev.deferred.impl.handler;

import dev.deferred.impl.store.FailurePage;
import dev.deferred.impl.store.FailureStore;
import dev.deferred.impl.store.InMemoryFailureStore;
import dev.deferred.impl.store.InMemoryPayloadStore;
import dev.deferred.impl.store.PayloadStore;
import dev.deferred.impl.store.StoreException;
import dev.deferred.impl.store.TaskFailure;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The in-memory stores, as the application's own store beans (which the runtime prefers), with a
 * switch that makes them fail the way an unreachable store does: with a {@link StoreException}.
 */
final class FlakyStores {
  private FlakyStores() {}

  /** When set, every payload store read fails. */
  static final AtomicBoolean FAIL_READS = new AtomicBoolean();

  /** When set, every failure store write fails. */
  static final AtomicBoolean FAIL_WRITES = new AtomicBoolean();

  /** A payload store whose reads can fail. */
  @ApplicationScoped
  public static class Payloads implements PayloadStore {
    private final InMemoryPayloadStore store = new InMemoryPayloadStore();

    @Override
    public String put(byte[] payload) {
      return store.put(payload);
    }

    @Override
    public Optional<byte[]> get(String key) {
      if (FAIL_READS.get()) {
        throw new StoreException("payload store unreachable (test)");
      }
      return store.get(key);
    }

    @Override
    public void delete(String key) {
      store.delete(key);
    }

    @Override
    public long maxPayloadBytes() {
      return store.maxPayloadBytes();
    }

    /** Bytes of payloads held: 0 when every stored payload was deleted. */
    public long held() {
      return store.totalBytes();
    }
  }

  /** A failure store whose writes can fail. */
  @ApplicationScoped
  public static class Failures implements FailureStore {
    private final InMemoryFailureStore store = new InMemoryFailureStore();

    @Override
    public TaskFailure record(TaskFailure failure) {
      if (FAIL_WRITES.get()) {
        throw new StoreException("failure store unreachable (test)");
      }
      return store.record(failure);
    }

    @Override
    public List<TaskFailure> recent(int limit) {
      return store.recent(limit);
    }

    @Override
    public FailurePage page(int limit, String cursor) {
      return store.page(limit, cursor);
    }

    @Override
    public Optional<TaskFailure> find(String id) {
      return store.find(id);
    }

    @Override
    public void delete(String id) {
      store.delete(id);
    }
  }
}
