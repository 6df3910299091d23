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
 * and a payload over {@link #MAX_PAYLOAD_BYTES} is not kept: its size is recorded in {@code
 * payloadOmittedBytes} instead. Large payloads normally live in the payload store and are
 * referenced by {@code payloadKey}.
 */
public final class DatastoreFailureStore implements FailureStore {

  /** Kind of failure entities. */
  public static final String KIND = "DeferredFailure";

  /** Longest stack trace kept, in characters. */
  public static final int MAX_STACK_TRACE_CHARS = 100_000;

  /** Longest exception message kept, in characters. */
  public static final int MAX_MESSAGE_CHARS = 10_000;

  /** Largest task body kept with a failure, in bytes. */
  public static final int MAX_PAYLOAD_BYTES = 512 * 1024;

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
    IncompleteKey key = datastore.newKeyFactory().setKind(KIND).newKey();
    FullEntity.Builder<IncompleteKey> entity =
        FullEntity.newBuilder(key)
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
    byte[] payload = failure.payload();
    if (payload != null && payload.length > MAX_PAYLOAD_BYTES) {
      entity
          .set("payload", NullValue.newBuilder().setExcludeFromIndexes(true).build())
          .set(
              "payloadOmittedBytes",
              LongValue.newBuilder(payload.length).setExcludeFromIndexes(true).build());
    } else {
      entity.set(
          "payload",
          payload == null
              ? NullValue.newBuilder().setExcludeFromIndexes(true).build()
              : BlobValue.newBuilder(Blob.copyFrom(payload)).setExcludeFromIndexes(true).build());
    }
    try {
      return toFailure(datastore.add(entity.build()));
    } catch (DatastoreException e) {
      throw new StoreException(
          StoreMessages.datastoreFailed(
              "write",
              "the failure of task " + failure.taskName() + " on queue " + failure.queue(),
              e),
          e);
    }
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
      return Optional.ofNullable(datastore.get(key.get())).map(DatastoreFailureStore::toFailure);
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
      datastore.delete(key.get());
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

  private static TaskFailure toFailure(Entity e) {
    return withOperations(e, baseFailure(e));
  }

  private static TaskFailure baseFailure(Entity e) {
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
        e.contains("payload") && !e.isNull("payload") ? e.getBlob("payload").toByteArray() : null);
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
