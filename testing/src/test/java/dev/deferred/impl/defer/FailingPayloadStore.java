package dev.deferred.impl.defer;

import dev.deferred.impl.store.InMemoryPayloadStore;
import dev.deferred.impl.store.PayloadStore;
import dev.deferred.impl.store.StoreException;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Optional;

/**
 * An application's payload store that is down while {@link #down} is set: every write fails with
 * the {@link StoreException} a store that cannot be reached throws. Otherwise in memory.
 */
@ApplicationScoped
public class FailingPayloadStore implements PayloadStore {
  static volatile boolean down;

  private final InMemoryPayloadStore store = new InMemoryPayloadStore();

  @Override
  public String put(byte[] payload) {
    if (down) {
      throw new StoreException("the payload store is unreachable");
    }
    return store.put(payload);
  }

  @Override
  public Optional<byte[]> get(String key) {
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

  long storedBytes() {
    return store.totalBytes();
  }
}
