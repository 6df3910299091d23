package dev.deferred.impl.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class InMemoryPayloadStoreTest {

  @Test
  void storedPayloadIsReadBackUntilDeleted() {
    InMemoryPayloadStore store = new InMemoryPayloadStore();
    byte[] payload = "{\"v\":1}".getBytes(StandardCharsets.UTF_8);
    String key = store.put(payload);
    assertThat(store.get(key)).hasValueSatisfying(p -> assertThat(p).isEqualTo(payload));
    store.delete(key);
    assertThat(store.get(key)).isEmpty();
    store.delete(key);
    assertThat(store.totalBytes()).isZero();
  }

  @Test
  void callersCannotChangeAStoredPayload() {
    InMemoryPayloadStore store = new InMemoryPayloadStore();
    byte[] payload = {1, 2, 3};
    String key = store.put(payload);
    payload[0] = 9;
    store.get(key).orElseThrow()[1] = 9;
    assertThat(store.get(key)).hasValueSatisfying(p -> assertThat(p).containsExactly(1, 2, 3));
  }

  @Test
  void payloadLargerThanTheBoundIsRejectedWithSizeAndLimit() {
    InMemoryPayloadStore store = new InMemoryPayloadStore(10);
    assertThatThrownBy(() -> store.put(new byte[11]))
        .isInstanceOfSatisfying(
            PayloadTooLargeException.class,
            e -> {
              assertThat(e.size()).isEqualTo(11);
              assertThat(e.limit()).isEqualTo(10);
            })
        .hasMessage(
            "DEFERRED-3002: payload of 11 bytes exceeds the in-memory payload store's limit of 10"
                + " bytes: make the task's arguments smaller, e.g. pass an id instead of the data");
  }

  @Test
  void fullStoreRefusesWithoutEvictingAndAcceptsAgainAfterDelete() {
    InMemoryPayloadStore store = new InMemoryPayloadStore(10);
    String first = store.put(new byte[6]);
    assertThatThrownBy(() -> store.put(new byte[5]))
        .isInstanceOf(StoreException.class)
        .hasMessageStartingWith(
            "DEFERRED-3003: the in-memory payload store is full: it holds 6 bytes");
    assertThat(store.get(first)).isPresent();
    assertThat(store.totalBytes()).isEqualTo(6);
    store.delete(first);
    assertThat(store.get(store.put(new byte[10]))).isPresent();
  }
}
