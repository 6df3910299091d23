package dev.deferred.impl.store;

import com.google.cloud.Timestamp;
import com.google.cloud.datastore.Blob;
import com.google.cloud.datastore.BlobValue;
import com.google.cloud.datastore.Datastore;
import com.google.cloud.datastore.DatastoreException;
import com.google.cloud.datastore.Entity;
import com.google.cloud.datastore.Key;
import com.google.cloud.datastore.LongValue;
import dev.deferred.impl.codec.Sha256;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.regex.Pattern;

/**
 * Payload store in Cloud Datastore (or Firestore in Datastore mode), shared by every instance of
 * the application.
 *
 * <p>An entity is limited to about 1 MiB, so a payload larger than {@link #CHUNK_BYTES} is split:
 * its chunks are written first as {@value #CHUNK_KIND} entities under the payload's key, then the
 * {@value #KIND} entity that records the size, chunk count and SHA-256. Because the head is written
 * last, a payload whose head exists is complete, and a put that fails midway leaves no head (its
 * chunks are deleted, best effort). Reads check size and hash, so a payload damaged by a concurrent
 * delete is reported rather than handed to the codec. Payloads up to {@link #CHUNK_BYTES} are a
 * single entity.
 *
 * <p>Every property is excluded from indexes (Datastore refuses indexed values over 1,500 bytes,
 * and payloads are only read by key) except {@code created}, which lets an operator find payloads
 * orphaned by tasks deleted outside the library.
 */
public final class DatastorePayloadStore implements PayloadStore {

  /** Kind of the entity that heads each payload. */
  public static final String KIND = "DeferredPayload";

  /** Kind of the chunks of a payload larger than {@link #CHUNK_BYTES}, children of the head. */
  public static final String CHUNK_KIND = "DeferredPayloadChunk";

  /** Bytes per entity: under Datastore's 1,048,572-byte entity limit, with room for the key. */
  public static final int CHUNK_BYTES = 1_000_000;

  /** Default {@link #maxPayloadBytes()}: 32 MiB, far above what a task should carry. */
  public static final long DEFAULT_MAX_PAYLOAD_BYTES = 32L * 1024 * 1024;

  // A commit carries at most 10 MiB; eight chunks stay well below it.
  private static final int CHUNKS_PER_WRITE = 8;
  // Datastore allows 500 keys per lookup or commit.
  private static final int KEYS_PER_BATCH = 500;
  private static final Pattern KEY = Pattern.compile("[0-9a-f]{8}(-[0-9a-f]{4}){3}-[0-9a-f]{12}");

  private final Datastore datastore;
  private final long maxPayloadBytes;

  /**
   * A store with the {@link #DEFAULT_MAX_PAYLOAD_BYTES} limit.
   *
   * @param datastore the client, in the namespace to use; the caller owns and closes it
   */
  public DatastorePayloadStore(Datastore datastore) {
    this(datastore, DEFAULT_MAX_PAYLOAD_BYTES);
  }

  /**
   * A store.
   *
   * @param datastore the client, in the namespace to use; the caller owns and closes it
   * @param maxPayloadBytes the largest payload accepted, at least {@link #CHUNK_BYTES}
   */
  public DatastorePayloadStore(Datastore datastore, long maxPayloadBytes) {
    if (maxPayloadBytes < CHUNK_BYTES) {
      throw new IllegalArgumentException(
          StoreMessages.invalidMaxPayload(maxPayloadBytes, CHUNK_BYTES));
    }
    this.datastore = datastore;
    this.maxPayloadBytes = maxPayloadBytes;
  }

  @Override
  public String put(byte[] payload) {
    if (payload.length > maxPayloadBytes) {
      throw new PayloadTooLargeException(
          StoreMessages.datastorePayloadTooLarge(payload.length, maxPayloadBytes),
          payload.length,
          maxPayloadBytes);
    }
    String name = UUID.randomUUID().toString();
    Key head = headKey(name);
    Entity.Builder entity =
        Entity.newBuilder(head)
            .set("size", unindexed(payload.length))
            .set("sha256", unindexed(Sha256.of(payload)))
            .set("created", Timestamp.now());
    if (payload.length <= CHUNK_BYTES) {
      entity.set("chunks", unindexed(0)).set("data", unindexed(payload));
      write(List.of(entity.build()), name);
      return name;
    }
    int chunks = (payload.length + CHUNK_BYTES - 1) / CHUNK_BYTES;
    List<Key> written = new ArrayList<>();
    try {
      List<Entity> batch = new ArrayList<>();
      for (int i = 0; i < chunks; i++) {
        int from = i * CHUNK_BYTES;
        byte[] part =
            Arrays.copyOfRange(payload, from, Math.min(payload.length, from + CHUNK_BYTES));
        batch.add(Entity.newBuilder(chunkKey(head, i)).set("data", unindexed(part)).build());
        if (batch.size() == CHUNKS_PER_WRITE || i == chunks - 1) {
          write(batch, name);
          batch.forEach(e -> written.add(e.getKey()));
          batch = new ArrayList<>();
        }
      }
      write(List.of(entity.set("chunks", unindexed(chunks)).build()), name);
      return name;
    } catch (StoreException e) {
      deleteQuietly(written, e);
      throw e;
    }
  }

  @Override
  public Optional<byte[]> get(String key) {
    Key head = headKey(checked(key));
    Entity entity;
    try {
      entity = datastore.get(head);
    } catch (DatastoreException e) {
      throw new StoreException(StoreMessages.datastoreFailed("read", "payload " + key, e), e);
    }
    if (entity == null) {
      return Optional.empty();
    }
    long size = entity.getLong("size");
    long chunks = entity.getLong("chunks");
    byte[] payload;
    if (chunks == 0) {
      payload = entity.getBlob("data").toByteArray();
    } else {
      payload = readChunks(key, head, (int) chunks, size);
    }
    if (payload.length != size) {
      throw new StoreException(
          StoreMessages.incompletePayload(key, payload.length + " bytes instead of " + size));
    }
    if (!Arrays.equals(Sha256.of(payload), entity.getBlob("sha256").toByteArray())) {
      throw new StoreException(StoreMessages.incompletePayload(key, "SHA-256 mismatch"));
    }
    return Optional.of(payload);
  }

  private byte[] readChunks(String key, Key head, int chunks, long size) {
    Map<String, byte[]> parts = new HashMap<>();
    List<Key> keys = chunkKeys(head, chunks);
    try {
      for (int from = 0; from < keys.size(); from += CHUNKS_PER_WRITE) {
        // Small batches keep each lookup response far below the API's response size limit.
        List<Key> batch = keys.subList(from, Math.min(keys.size(), from + CHUNKS_PER_WRITE));
        datastore
            .get(batch)
            .forEachRemaining(
                e -> parts.put(e.getKey().getName(), e.getBlob("data").toByteArray()));
      }
    } catch (DatastoreException e) {
      throw new StoreException(StoreMessages.datastoreFailed("read", "payload " + key, e), e);
    }
    if (parts.size() != chunks) {
      throw new StoreException(
          StoreMessages.incompletePayload(key, parts.size() + " of " + chunks + " chunks found"));
    }
    if (size > Integer.MAX_VALUE) {
      throw new StoreException(StoreMessages.incompletePayload(key, "size " + size));
    }
    byte[] payload = new byte[(int) size];
    int offset = 0;
    for (Key k : keys) {
      byte[] part = parts.get(k.getName());
      if (offset + part.length > payload.length) {
        throw new StoreException(StoreMessages.incompletePayload(key, "chunks exceed the size"));
      }
      System.arraycopy(part, 0, payload, offset, part.length);
      offset += part.length;
    }
    return offset == size ? payload : Arrays.copyOf(payload, offset);
  }

  @Override
  public void delete(String key) {
    Key head = headKey(checked(key));
    try {
      Entity entity = datastore.get(head);
      if (entity == null) {
        return;
      }
      List<Key> keys = new ArrayList<>();
      // Head first: once it is gone, readers see "no payload" rather than a partial one.
      keys.add(head);
      keys.addAll(chunkKeys(head, (int) entity.getLong("chunks")));
      for (int from = 0; from < keys.size(); from += KEYS_PER_BATCH) {
        datastore.delete(
            keys.subList(from, Math.min(keys.size(), from + KEYS_PER_BATCH)).toArray(Key[]::new));
      }
    } catch (DatastoreException e) {
      throw new StoreException(StoreMessages.datastoreFailed("delete", "payload " + key, e), e);
    }
  }

  @Override
  public long maxPayloadBytes() {
    return maxPayloadBytes;
  }

  private void write(List<Entity> entities, String name) {
    try {
      datastore.put(entities.toArray(Entity[]::new));
    } catch (DatastoreException e) {
      throw new StoreException(StoreMessages.datastoreFailed("write", "payload " + name, e), e);
    }
  }

  private void deleteQuietly(List<Key> keys, StoreException failure) {
    try {
      for (int from = 0; from < keys.size(); from += KEYS_PER_BATCH) {
        datastore.delete(
            keys.subList(from, Math.min(keys.size(), from + KEYS_PER_BATCH)).toArray(Key[]::new));
      }
    } catch (DatastoreException e) {
      // Orphaned chunks without a head are never read; the indexed 'created' of a head does not
      // find them, but they are harmless apart from their storage.
      failure.addSuppressed(e);
    }
  }

  private Key headKey(String name) {
    return datastore.newKeyFactory().setKind(KIND).newKey(name);
  }

  private static Key chunkKey(Key head, int index) {
    // Zero-padded names sort like the indexes, which keeps the Datastore console readable.
    return Key.newBuilder(head, CHUNK_KIND, "%06d".formatted(index)).build();
  }

  private static List<Key> chunkKeys(Key head, int chunks) {
    List<Key> keys = new ArrayList<>(chunks);
    for (int i = 0; i < chunks; i++) {
      keys.add(chunkKey(head, i));
    }
    return keys;
  }

  private static String checked(String key) {
    if (key == null || !KEY.matcher(key).matches()) {
      throw new IllegalArgumentException(StoreMessages.invalidKey(key));
    }
    return key;
  }

  private static LongValue unindexed(long value) {
    return LongValue.newBuilder(value).setExcludeFromIndexes(true).build();
  }

  private static BlobValue unindexed(byte[] value) {
    return BlobValue.newBuilder(Blob.copyFrom(value)).setExcludeFromIndexes(true).build();
  }
}
