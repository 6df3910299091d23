package dev.deferred.impl.store;

import com.google.cloud.Timestamp;
import com.google.cloud.datastore.BaseEntity;
import com.google.cloud.datastore.Blob;
import com.google.cloud.datastore.BlobValue;
import com.google.cloud.datastore.Cursor;
import com.google.cloud.datastore.Datastore;
import com.google.cloud.datastore.DatastoreException;
import com.google.cloud.datastore.Entity;
import com.google.cloud.datastore.EntityQuery;
import com.google.cloud.datastore.FullEntity;
import com.google.cloud.datastore.IncompleteKey;
import com.google.cloud.datastore.Key;
import com.google.cloud.datastore.LongValue;
import com.google.cloud.datastore.NullValue;
import com.google.cloud.datastore.Query;
import com.google.cloud.datastore.QueryResults;
import com.google.cloud.datastore.StringValue;
import com.google.cloud.datastore.StructuredQuery.OrderBy;
import com.google.cloud.datastore.TimestampValue;
import com.google.cloud.datastore.Transaction;
import com.google.cloud.datastore.Value;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * Failure store in Cloud Datastore, kind {@value #KIND}, shared by every instance of the
 * application. Ids are the entities' numeric ids, allocated by Datastore.
 *
 * <p>{@code queue}, {@code exceptionClass} and {@code failedAt} are indexed so that failures can be
 * listed newest first (and filtered in the Datastore console); everything else is excluded from
 * indexes. To stay under the 1 MiB entity limit, a stack trace longer than {@link
 * #MAX_STACK_TRACE_CHARS} or a message longer than {@link #MAX_MESSAGE_CHARS} is cut (and says so),
 * and a payload over {@link #MAX_PAYLOAD_BYTES} is kept in {@value #CHUNK_KIND} entities of at most
 * {@link #CHUNK_BYTES} bytes under the failure, written before it: a failure record always holds
 * the whole payload, so that an operator can re-create the task from it.
 */
public final class DatastoreFailureStore implements FailureStore {

  /** Kind of failure entities. */
  public static final String KIND = "DeferredFailure";

  /** Longest stack trace kept, in characters. */
  public static final int MAX_STACK_TRACE_CHARS = 100_000;

  /** Longest exception message kept, in characters. */
  public static final int MAX_MESSAGE_CHARS = 10_000;

  /** Largest task payload kept in the failure entity itself, in bytes; larger ones are chunked. */
  public static final int MAX_PAYLOAD_BYTES = 512 * 1024;

  /** Kind of the chunks of a payload larger than {@link #MAX_PAYLOAD_BYTES}. */
  public static final String CHUNK_KIND = "DeferredFailureChunk";

  /** Bytes per chunk entity: under Datastore's 1,048,572-byte entity limit. */
  public static final int CHUNK_BYTES = 1_000_000;

  // A commit carries at most 10 MiB; eight chunks stay well below it.
  private static final int CHUNKS_PER_WRITE = 8;

  private final Datastore datastore;

  /**
   * A store.
   *
   * @param datastore the client, in the namespace to use; the caller owns and closes it
   */
  public DatastoreFailureStore(Datastore datastore) {
    this.datastore = datastore;
  }

  @Override
  public TaskFailure record(TaskFailure failure) {
    IncompleteKey incomplete = datastore.newKeyFactory().setKind(KIND).newKey();
    byte[] payload = failure.payload();
    String what = "the failure of task " + failure.taskName() + " on queue " + failure.queue();
    try {
      if (payload != null && payload.length > MAX_PAYLOAD_BYTES) {
        return recordChunked(failure, datastore.allocateId(incomplete), payload, what);
      }
      FullEntity.Builder<IncompleteKey> entity = FullEntity.newBuilder(incomplete);
      describe(entity, failure);
      entity.set(
          "payload",
          payload == null
              ? NullValue.newBuilder().setExcludeFromIndexes(true).build()
              : BlobValue.newBuilder(Blob.copyFrom(payload)).setExcludeFromIndexes(true).build());
      return toFailure(datastore.add(entity.build()));
    } catch (DatastoreException e) {
      throw new StoreException(StoreMessages.datastoreFailed("write", what, e), e);
    }
  }

  /** Chunks first, the failure last: a failure that exists has its whole payload. */
  private TaskFailure recordChunked(TaskFailure failure, Key key, byte[] payload, String what) {
    int chunks = (payload.length + CHUNK_BYTES - 1) / CHUNK_BYTES;
    List<Key> written = new ArrayList<>();
    try {
      List<Entity> batch = new ArrayList<>();
      for (int i = 0; i < chunks; i++) {
        int from = i * CHUNK_BYTES;
        byte[] part =
            Arrays.copyOfRange(payload, from, Math.min(payload.length, from + CHUNK_BYTES));
        batch.add(
            Entity.newBuilder(chunkKey(key, i))
                .set(
                    "data",
                    BlobValue.newBuilder(Blob.copyFrom(part)).setExcludeFromIndexes(true).build())
                .build());
        if (batch.size() == CHUNKS_PER_WRITE || i == chunks - 1) {
          datastore.put(batch.toArray(Entity[]::new));
          batch.forEach(e -> written.add(e.getKey()));
          batch = new ArrayList<>();
        }
      }
      Entity.Builder entity = Entity.newBuilder(key);
      describe(entity, failure);
      entity
          .set("payload", NullValue.newBuilder().setExcludeFromIndexes(true).build())
          .set("payloadChunks", LongValue.newBuilder(chunks).setExcludeFromIndexes(true).build())
          .set(
              "payloadBytes",
              LongValue.newBuilder(payload.length).setExcludeFromIndexes(true).build());
      return toFailure(datastore.put(entity.build()), payload);
    } catch (DatastoreException e) {
      try {
        if (!written.isEmpty()) {
          datastore.delete(written.toArray(Key[]::new));
        }
      } catch (DatastoreException cleanup) {
        e.addSuppressed(cleanup);
      }
      throw new StoreException(StoreMessages.datastoreFailed("write", what, e), e);
    }
  }

  /** Every property but the payload. */
  private static void describe(BaseEntity.Builder<?, ?> entity, TaskFailure failure) {
    entity
        .set("queue", failure.queue())
        .set("exceptionClass", failure.exceptionClass())
        .set(
            "failedAt",
            Timestamp.ofTimeSecondsAndNanos(
                failure.failedAt().getEpochSecond(), failure.failedAt().getNano()))
        .set("taskName", text(failure.taskName()))
        .set("beanType", text(failure.beanType()))
        .set("method", text(failure.method()))
        .set("message", text(cut(failure.message(), MAX_MESSAGE_CHARS)))
        .set("stackTrace", text(cut(failure.stackTrace(), MAX_STACK_TRACE_CHARS)))
        .set(
            "retryCount",
            LongValue.newBuilder(failure.retryCount()).setExcludeFromIndexes(true).build())
        .set("payloadKey", text(failure.payloadKey()));
    operations(entity, failure);
  }

  private static Key chunkKey(Key failure, int index) {
    return Key.newBuilder(failure, CHUNK_KIND, "%06d".formatted(index)).build();
  }

  /** The properties operators add to a failure: first attempt, signature, re-deferral. */
  private static void operations(BaseEntity.Builder<?, ?> entity, TaskFailure failure) {
    entity
        .set("firstAttemptAt", time(failure.firstAttemptAt()))
        .set("payloadSignature", text(failure.payloadSignature()))
        .set("redeferredAs", text(failure.redeferredAs()))
        .set("redeferredAt", time(failure.redeferredAt()));
  }

  private static TaskFailure withOperations(Entity e, TaskFailure failure) {
    return new TaskFailure(
        failure.id(),
        failure.queue(),
        failure.taskName(),
        failure.beanType(),
        failure.method(),
        failure.exceptionClass(),
        failure.message(),
        failure.stackTrace(),
        failure.failedAt(),
        failure.retryCount(),
        failure.payloadKey(),
        failure.payload(),
        instant(e, "firstAttemptAt"),
        string(e, "payloadSignature"),
        string(e, "redeferredAs"),
        instant(e, "redeferredAt"));
  }

  private static Value<?> time(java.time.Instant at) {
    return at == null
        ? NullValue.newBuilder().setExcludeFromIndexes(true).build()
        : TimestampValue.newBuilder(
                Timestamp.ofTimeSecondsAndNanos(at.getEpochSecond(), at.getNano()))
            .setExcludeFromIndexes(true)
            .build();
  }

  private static java.time.Instant instant(Entity e, String name) {
    if (!e.contains(name) || e.isNull(name)) {
      return null;
    }
    Timestamp at = e.getTimestamp(name);
    return java.time.Instant.ofEpochSecond(at.getSeconds(), at.getNanos());
  }

  @Override
  public Optional<TaskFailure> markRedeferred(String id, String taskName, java.time.Instant at) {
    Optional<Key> key = key(id);
    if (key.isEmpty()) {
      return Optional.empty();
    }
    try {
      Transaction tx = datastore.newTransaction();
      try {
        Entity current = tx.get(key.get());
        if (current == null) {
          return Optional.empty();
        }
        Entity updated =
            Entity.newBuilder(current)
                .set("redeferredAs", text(taskName))
                .set("redeferredAt", time(at))
                .build();
        tx.put(updated);
        tx.commit();
        return Optional.of(toFailure(updated));
      } finally {
        if (tx.isActive()) {
          tx.rollback();
        }
      }
    } catch (DatastoreException e) {
      throw new StoreException(StoreMessages.datastoreFailed("update", "failure " + id, e), e);
    }
  }

  @Override
  public List<TaskFailure> recent(int limit) {
    if (limit < 1) {
      throw new IllegalArgumentException(StoreMessages.invalidLimit(limit));
    }
    EntityQuery query =
        Query.newEntityQueryBuilder()
            .setKind(KIND)
            .setOrderBy(OrderBy.desc("failedAt"))
            .setLimit(limit)
            .build();
    try {
      List<TaskFailure> failures = new ArrayList<>();
      QueryResults<Entity> results = datastore.run(query);
      results.forEachRemaining(e -> failures.add(toFailure(e)));
      return failures;
    } catch (DatastoreException e) {
      throw new StoreException(StoreMessages.datastoreFailed("query", "recent failures", e), e);
    }
  }

  @Override
  public FailurePage page(int limit, String cursor) {
    if (limit < 1) {
      throw new IllegalArgumentException(StoreMessages.invalidLimit(limit));
    }
    EntityQuery.Builder query =
        Query.newEntityQueryBuilder()
            .setKind(KIND)
            .setOrderBy(OrderBy.desc("failedAt"))
            .setLimit(limit);
    if (cursor != null) {
      try {
        query.setStartCursor(Cursor.fromUrlSafe(cursor));
      } catch (RuntimeException e) {
        throw new IllegalArgumentException(StoreMessages.invalidCursor(cursor), e);
      }
    }
    try {
      List<TaskFailure> failures = new ArrayList<>();
      QueryResults<Entity> results = datastore.run(query.build());
      results.forEachRemaining(e -> failures.add(toFailure(e)));
      return new FailurePage(
          failures,
          failures.size() < limit
              ? Optional.empty()
              : Optional.of(results.getCursorAfter().toUrlSafe()));
    } catch (DatastoreException e) {
      if ("INVALID_ARGUMENT".equals(e.getReason()) && cursor != null) {
        throw new IllegalArgumentException(StoreMessages.invalidCursor(cursor), e);
      }
      throw new StoreException(StoreMessages.datastoreFailed("query", "failures", e), e);
    }
  }

  @Override
  public Optional<TaskFailure> find(String id) {
    Optional<Key> key = key(id);
    if (key.isEmpty()) {
      return Optional.empty();
    }
    try {
      return Optional.ofNullable(datastore.get(key.get())).map(this::toFailure);
    } catch (DatastoreException e) {
      throw new StoreException(StoreMessages.datastoreFailed("read", "failure " + id, e), e);
    }
  }

  @Override
  public void delete(String id) {
    Optional<Key> key = key(id);
    if (key.isEmpty()) {
      return;
    }
    try {
      Entity entity = datastore.get(key.get());
      if (entity == null) {
        return;
      }
      // The failure first: once it is gone, nothing reads its chunks.
      datastore.delete(key.get());
      if (entity.contains("payloadChunks")) {
        int chunks = (int) entity.getLong("payloadChunks");
        for (int from = 0; from < chunks; from += CHUNKS_PER_WRITE) {
          List<Key> keys = new ArrayList<>();
          for (int i = from; i < Math.min(chunks, from + CHUNKS_PER_WRITE); i++) {
            keys.add(chunkKey(key.get(), i));
          }
          datastore.delete(keys.toArray(Key[]::new));
        }
      }
    } catch (DatastoreException e) {
      throw new StoreException(StoreMessages.datastoreFailed("delete", "failure " + id, e), e);
    }
  }

  private Optional<Key> key(String id) {
    // Ids come from record(); anything that is not one cannot name a failure.
    try {
      long numeric = Long.parseLong(id);
      return numeric > 0
          ? Optional.of(datastore.newKeyFactory().setKind(KIND).newKey(numeric))
          : Optional.empty();
    } catch (NumberFormatException | NullPointerException e) {
      return Optional.empty();
    }
  }

  private TaskFailure toFailure(Entity e) {
    return toFailure(e, payload(e));
  }

  private static TaskFailure toFailure(Entity e, byte[] payload) {
    return withOperations(e, baseFailure(e, payload));
  }

  private byte[] payload(Entity e) {
    if (e.contains("payload") && !e.isNull("payload")) {
      return e.getBlob("payload").toByteArray();
    }
    if (!e.contains("payloadChunks")) {
      return null;
    }
    int chunks = (int) e.getLong("payloadChunks");
    byte[] payload = new byte[(int) e.getLong("payloadBytes")];
    int offset = 0;
    for (int from = 0; from < chunks; from += CHUNKS_PER_WRITE) {
      List<Key> keys = new ArrayList<>();
      for (int i = from; i < Math.min(chunks, from + CHUNKS_PER_WRITE); i++) {
        keys.add(chunkKey(e.getKey(), i));
      }
      // fetch answers in the order asked, null for a missing entity.
      for (Entity part : datastore.fetch(keys.toArray(Key[]::new))) {
        if (part == null) {
          throw new StoreException(
              StoreMessages.datastoreFailed(
                  "read",
                  "failure " + e.getKey().getId(),
                  new IllegalStateException("a chunk of its payload is missing")));
        }
        byte[] data = part.getBlob("data").toByteArray();
        System.arraycopy(data, 0, payload, offset, data.length);
        offset += data.length;
      }
    }
    return payload;
  }

  private static TaskFailure baseFailure(Entity e, byte[] payload) {
    Timestamp at = e.getTimestamp("failedAt");
    return new TaskFailure(
        Long.toString(e.getKey().getId()),
        e.getString("queue"),
        string(e, "taskName"),
        string(e, "beanType"),
        string(e, "method"),
        e.getString("exceptionClass"),
        string(e, "message"),
        string(e, "stackTrace"),
        java.time.Instant.ofEpochSecond(at.getSeconds(), at.getNanos()),
        (int) e.getLong("retryCount"),
        string(e, "payloadKey"),
        payload);
  }

  private static String string(Entity e, String name) {
    return e.contains(name) && !e.isNull(name) ? e.getString(name) : null;
  }

  private static Value<?> text(String value) {
    return value == null
        ? NullValue.newBuilder().setExcludeFromIndexes(true).build()
        : StringValue.newBuilder(value).setExcludeFromIndexes(true).build();
  }

  private static String cut(String text, int max) {
    if (text == null || text.length() <= max) {
      return text;
    }
    return text.substring(0, max) + "\n... cut: " + (text.length() - max) + " more characters";
  }
}
