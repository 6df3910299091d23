package dev.deferred.impl.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.cloud.datastore.Blob;
import com.google.cloud.datastore.Datastore;
import com.google.cloud.datastore.Entity;
import com.google.cloud.datastore.Key;
import com.google.cloud.datastore.Query;
import dev.deferred.impl.testsupport.DatastoreEmulator;
import dev.deferred.impl.testsupport.DatastoreEmulatorInstance;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

@DatastoreEmulator
class DatastorePayloadStoreTest {
  private Datastore datastore;
  private DatastorePayloadStore store;

  @BeforeEach
  void connect(DatastoreEmulatorInstance emulator) {
    datastore =
        new DatastoreSettings(
                emulator.projectId(),
                Optional.of(emulator.newNamespace()),
                Optional.of(emulator.hostPort()))
            .createDatastore();
    store = new DatastorePayloadStore(datastore, 3 * DatastorePayloadStore.CHUNK_BYTES);
  }

  @AfterEach
  void close() throws Exception {
    datastore.close();
  }

  private static byte[] random(int size) {
    byte[] bytes = new byte[size];
    new Random(size).nextBytes(bytes);
    return bytes;
  }

  private List<Entity> all(String kind) {
    List<Entity> entities = new ArrayList<>();
    datastore
        .run(Query.newEntityQueryBuilder().setKind(kind).build())
        .forEachRemaining(entities::add);
    return entities;
  }

  @Test
  void smallPayloadIsOneUnindexedEntityAndReadsBack() {
    byte[] payload = random(5_000);
    String key = store.put(payload);
    assertThat(store.get(key)).hasValueSatisfying(p -> assertThat(p).isEqualTo(payload));
    assertThat(all(DatastorePayloadStore.CHUNK_KIND)).isEmpty();
    Entity head = datastore.get(datastore.newKeyFactory().setKind("DeferredPayload").newKey(key));
    assertThat(head.getValue("data").excludeFromIndexes()).isTrue();
    assertThat(head.getValue("sha256").excludeFromIndexes()).isTrue();
    assertThat(head.getValue("created").excludeFromIndexes()).isFalse();
  }

  @Test
  void payloadLargerThanAnEntityIsChunkedAndReassembled() {
    byte[] payload = random(2 * DatastorePayloadStore.CHUNK_BYTES + 12_345);
    String key = store.put(payload);
    assertThat(all(DatastorePayloadStore.CHUNK_KIND)).hasSize(3);
    assertThat(store.get(key)).hasValueSatisfying(p -> assertThat(p).isEqualTo(payload));
  }

  @Test
  void payloadOfExactlyOneChunkIsOneEntity() {
    byte[] payload = random(DatastorePayloadStore.CHUNK_BYTES);
    String key = store.put(payload);
    assertThat(all(DatastorePayloadStore.CHUNK_KIND)).isEmpty();
    assertThat(store.get(key)).hasValueSatisfying(p -> assertThat(p).isEqualTo(payload));
  }

  @Test
  void emptyPayloadRoundTrips() {
    String key = store.put(new byte[0]);
    assertThat(store.get(key)).hasValueSatisfying(p -> assertThat(p).isEmpty());
  }

  @Test
  void deleteRemovesHeadAndChunksAndIsRepeatable() {
    String key = store.put(random(DatastorePayloadStore.CHUNK_BYTES + 1));
    String other = store.put(random(10));
    store.delete(key);
    store.delete(key);
    assertThat(store.get(key)).isEmpty();
    assertThat(all(DatastorePayloadStore.CHUNK_KIND)).isEmpty();
    assertThat(all(DatastorePayloadStore.KIND))
        .extracting(e -> e.getKey().getName())
        .containsExactly(other);
  }

  @Test
  void unknownKeyReadsAsEmpty() {
    assertThat(store.get("0b6f8a8e-3c2a-4a7e-9d5e-1f2a3b4c5d6e")).isEmpty();
  }

  @Test
  void keyThatPutNeverReturnedIsRejected() {
    assertThatThrownBy(() -> store.get("__scatter__"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(
            "DEFERRED-3012: '__scatter__' is not a payload key of this store: keys are the UUIDs that"
                + " put() returns");
  }

  @Test
  void payloadOverTheLimitIsRejectedAndNothingIsWritten() {
    long limit = 3L * DatastorePayloadStore.CHUNK_BYTES;
    assertThatThrownBy(() -> store.put(new byte[(int) limit + 1]))
        .isInstanceOfSatisfying(
            PayloadTooLargeException.class, e -> assertThat(e.limit()).isEqualTo(limit))
        .hasMessage(
            "DEFERRED-3011: payload of 3000001 bytes exceeds the Datastore payload store's limit of"
                + " 3000000 bytes (deferred.datastore.max-payload-bytes): defer smaller arguments,"
                + " e.g. an id instead of the data, or raise the limit");
    assertThat(all(DatastorePayloadStore.KIND)).isEmpty();
    assertThat(all(DatastorePayloadStore.CHUNK_KIND)).isEmpty();
  }

  @Test
  void payloadWithAMissingChunkIsReportedNotReturned() {
    String key = store.put(random(DatastorePayloadStore.CHUNK_BYTES * 2));
    Key head = datastore.newKeyFactory().setKind(DatastorePayloadStore.KIND).newKey(key);
    datastore.delete(Key.newBuilder(head, DatastorePayloadStore.CHUNK_KIND, "000001").build());
    assertThatThrownBy(() -> store.get(key))
        .isInstanceOf(StoreException.class)
        .hasMessage(
            "DEFERRED-3013: payload '"
                + key
                + "' in Datastore is incomplete or damaged (1 of 2 chunks found): the task cannot"
                + " run; it was probably deleted while being read, or written by an interrupted"
                + " put");
  }

  @Test
  void payloadWithAlteredBytesIsReportedNotReturned() {
    byte[] payload = random(100);
    String key = store.put(payload);
    Key head = datastore.newKeyFactory().setKind(DatastorePayloadStore.KIND).newKey(key);
    byte[] altered = payload.clone();
    altered[0] ^= 1;
    datastore.put(
        Entity.newBuilder(datastore.get(head)).set("data", Blob.copyFrom(altered)).build());
    assertThatThrownBy(() -> store.get(key))
        .isInstanceOf(StoreException.class)
        .hasMessageContaining("is incomplete or damaged (SHA-256 mismatch)");
  }
}
