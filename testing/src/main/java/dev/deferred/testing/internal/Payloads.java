package dev.deferred.testing.internal;

import com.google.cloud.tasks.v2.Task;
import com.google.protobuf.ByteString;
import dev.deferred.impl.codec.DecodedTask;
import dev.deferred.impl.codec.EntityReferences;
import dev.deferred.impl.codec.PayloadCodec;
import dev.deferred.impl.codec.PayloadException;
import dev.deferred.impl.codec.Signer;
import dev.deferred.impl.store.PayloadStore;
import dev.deferred.testing.PendingTask;
import jakarta.json.Json;
import jakarta.json.JsonObject;
import jakarta.json.JsonReader;
import jakarta.json.JsonValue;
import jakarta.json.bind.Jsonb;
import java.io.ByteArrayInputStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Reads the call a queued task will make, for listing it. */
final class Payloads {
  private Payloads() {}

  /** The task's request body. */
  static byte[] body(Task t) {
    ByteString body =
        t.hasHttpRequest() ? t.getHttpRequest().getBody() : t.getAppEngineHttpRequest().getBody();
    return body.toByteArray();
  }

  /** The task's request headers. */
  static Map<String, String> headers(Task t) {
    return t.hasHttpRequest()
        ? t.getHttpRequest().getHeadersMap()
        : t.getAppEngineHttpRequest().getHeadersMap();
  }

  /**
   * Decodes a task of the test's own process with the library's codec, after checking its
   * signature: only a signed payload is ever decoded. Entity arguments are listed as references,
   * not loaded. A payload that cannot be decoded is listed from its JSON.
   */
  static PendingTask local(
      String queue,
      Task t,
      Signer signer,
      Jsonb jsonb,
      Optional<PayloadStore> store,
      ClassLoader loader) {
    byte[] body = body(t);
    String signature = null;
    for (Map.Entry<String, String> h : headers(t).entrySet()) {
      if (h.getKey().equalsIgnoreCase(Signer.HEADER)) {
        signature = h.getValue();
      }
    }
    if (signer == null || !signer.verify(body, signature)) {
      return unreadable(queue, t, "(payload not signed with this test's key)");
    }
    try {
      byte[] payload = body;
      Optional<String> key = PayloadCodec.storedKey(body);
      if (key.isPresent()) {
        Optional<byte[]> stored = store.flatMap(s -> s.get(key.get()));
        if (stored.isEmpty()) {
          return unreadable(queue, t, "(stored payload " + key.get() + " missing)");
        }
        payload = stored.get();
      }
      PayloadCodec codec = new PayloadCodec(jsonb, new ListedEntities());
      DecodedTask decoded = codec.decode(payload, loader);
      return new PendingTask(
          queue,
          QueueDriver.shortName(t),
          decoded.beanType().getName(),
          decoded.method().getName(),
          // ListedEntities "loads" an entity argument as its reference.
          Arrays.asList(codec.arguments(decoded)),
          QueueDriver.eta(t),
          t.getDispatchCount());
    } catch (PayloadException | RuntimeException e) {
      return raw(queue, t);
    }
  }

  /** Lists a task from the JSON of its payload: bean, method and arguments as JSON values. */
  static PendingTask raw(String queue, Task t) {
    try (JsonReader r = Json.createReader(new ByteArrayInputStream(body(t)))) {
      JsonObject o = r.readObject();
      if (o.containsKey("stored")) {
        return unreadable(queue, t, "(stored payload " + o.getString("stored") + ")");
      }
      List<Object> args = new ArrayList<>();
      for (JsonValue a : o.getJsonArray("arguments")) {
        JsonObject arg = a.asJsonObject();
        if (arg.containsKey("entity")) {
          args.add(new PendingTask.EntityReference(arg.getString("entity"), arg.get("id")));
        } else {
          args.add(arg.get("value"));
        }
      }
      return new PendingTask(
          queue,
          QueueDriver.shortName(t),
          o.getString("bean"),
          o.getString("method"),
          args,
          QueueDriver.eta(t),
          t.getDispatchCount());
    } catch (RuntimeException e) {
      return unreadable(queue, t, "(not a Deferred payload)");
    }
  }

  private static PendingTask unreadable(String queue, Task t, String why) {
    return new PendingTask(
        queue,
        QueueDriver.shortName(t),
        why,
        "?",
        List.of(),
        QueueDriver.eta(t),
        t.getDispatchCount());
  }

  /** Entities as references: listing a task must not touch the database. */
  private static final class ListedEntities implements EntityReferences {
    @Override
    public boolean available() {
      return true;
    }

    @Override
    public Object idOf(Object entity) {
      throw new UnsupportedOperationException("listing only decodes");
    }

    @Override
    public Class<?> idType(Class<?> entityType) {
      return Object.class;
    }

    @Override
    public Object load(Class<?> entityType, Object id) {
      return new PendingTask.EntityReference(entityType.getName(), id);
    }
  }
}
