package dev.deferred.impl.codec;

import dev.deferred.DeferOptions;
import dev.deferred.EntityArguments;
import dev.deferred.TaskEncodingException;
import dev.deferred.impl.codec.PayloadException.Kind;
import dev.deferred.impl.config.Messages;
import jakarta.json.JsonArray;
import jakarta.json.JsonException;
import jakarta.json.JsonNumber;
import jakarta.json.JsonObject;
import jakarta.json.JsonObjectBuilder;
import jakarta.json.JsonReader;
import jakarta.json.JsonValue;
import jakarta.json.bind.Jsonb;
import jakarta.json.bind.JsonbException;
import java.lang.annotation.Annotation;
import java.lang.reflect.Array;
import java.lang.reflect.Method;
import java.lang.reflect.Parameter;
import java.lang.reflect.Type;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

/**
 * Turns a captured call into the task payload and back.
 *
 * <p>Format, version 2 (a JSON object, UTF-8):
 *
 * <pre>{@code
 * {"v":2, "queue":"reports", "expiresAt":"2026-02-02T00:05:00Z",
 *  "bean":"com.example.ReportService",
 *  "qualifiers":[{"type":"com.example.Fast","members":{}}],
 *  "method":"generate", "parameterTypes":["long","java.time.YearMonth"],
 *  "arguments":[{"value":42}, {"entity":"com.example.Customer","id":7}],
 *  "deferredAt":"2026-01-01T00:00:00Z", "scheduledAt":"2026-01-01T00:05:00Z",
 *  "maxAttempts":5, "maxAgeMillis":3600000,
 *  "delivery":{"headers":{"X-Tenant":"acme"},"service":"worker"}}
 * }</pre>
 *
 * A payload that went to the payload store is replaced in the task by {@code {"v":2, "queue":...,
 * "expiresAt":..., "stored":"KEY", "sha256":"..."}}. The {@code queue}, {@code expiresAt} and
 * {@code sha256} fields are the {@link Envelope} that the handler checks before decoding. Arguments
 * are JSON-B values decoded with the method's generic parameter types; entities (when {@link
 * EntityArguments#REFERENCE}) are references reloaded at run time, inside the task's transaction
 * (see {@link #arguments(DecodedTask)}). {@code delivery} holds the options that shape the delivery
 * ({@link DeliveryOptions}), for re-deferring a failed task as it was deferred; the handler does
 * not read it.
 */
public final class PayloadCodec {

  static final int VERSION = 2;

  private final Jsonb jsonb;
  private final EntityReferences entities;
  private final Duration lifetime;

  /** Resolved task targets kept at most; past it, each payload's target is resolved again. */
  static final int MAX_TARGETS = 1024;

  /**
   * Task targets resolved once and allowed ({@link TaskTargets}), by class loader and the names a
   * payload gives: loading the classes, finding the method and checking it are the same for every
   * payload that names them. Failures are not kept.
   */
  private final ConcurrentMap<Target, Resolved> targets = new ConcurrentHashMap<>();

  private record Target(
      ClassLoader loader, String bean, String method, List<String> parameterTypes) {}

  private record Resolved(Class<?> beanType, Method method, Type[] types) {}

  /** A codec whose payloads expire {@link Envelope#DEFAULT_LIFETIME} after their schedule time. */
  public PayloadCodec(Jsonb jsonb, EntityReferences entities) {
    this(jsonb, entities, Envelope.DEFAULT_LIFETIME);
  }

  /**
   * A codec.
   *
   * @param lifetime how long after its schedule time a payload may run ({@code
   *     deferred.signing.lifetime})
   */
  public PayloadCodec(Jsonb jsonb, EntityReferences entities, Duration lifetime) {
    this.jsonb = jsonb;
    this.entities = entities;
    this.lifetime = lifetime;
  }

  /**
   * Encodes a call, checking that every argument survives the round trip.
   *
   * @throws TaskEncodingException naming the parameter and the reason
   */
  public byte[] encode(DeferredInvocation call, Instant now) {
    Method method = call.method();
    String refusal = TaskTargets.refusal(call.beanType(), method);
    if (refusal != null) {
      String message =
          Messages.notATaskTarget(call.beanType().getName(), method.getName(), refusal);
      throw new TaskEncodingException(message, call.describe(), -1, null, message, null);
    }
    Parameter[] params = method.getParameters();
    Type[] types = method.getGenericParameterTypes();
    String[] args = new String[params.length];
    for (int i = 0; i < params.length; i++) {
      args[i] = encodeArgument(call, i, params[i], types[i], call.arguments()[i]);
    }
    String[] qualifiers = new String[call.qualifiers().size()];
    for (int i = 0; i < qualifiers.length; i++) {
      try {
        qualifiers[i] = QualifierCodec.encode(call.qualifiers().get(i)).toString();
      } catch (IllegalArgumentException e) {
        throw new TaskEncodingException(
            e.getMessage(), call.describe(), -1, null, e.getMessage(), e.getCause());
      }
    }
    // Written as text, in the order a JSON-P object builder wrote it before; each argument's
    // JSON is spliced in as JSON-B wrote it (or as this class wrote an exact value).
    StringBuilder out = new StringBuilder(256).append("{\"v\":").append(VERSION);
    Envelope.write(out, call.options(), now, lifetime);
    JsonText.string(out.append(",\"bean\":"), call.beanType().getName());
    out.append(",\"qualifiers\":[");
    for (int i = 0; i < qualifiers.length; i++) {
      out.append(i == 0 ? "" : ",").append(qualifiers[i]);
    }
    JsonText.string(out.append("],\"method\":"), method.getName());
    out.append(",\"parameterTypes\":[");
    Class<?>[] paramTypes = method.getParameterTypes();
    for (int i = 0; i < paramTypes.length; i++) {
      JsonText.string(out.append(i == 0 ? "" : ","), paramTypes[i].getName());
    }
    out.append("],\"arguments\":[");
    for (int i = 0; i < args.length; i++) {
      out.append(i == 0 ? "" : ",").append(args[i]);
    }
    JsonText.string(out.append("],\"deferredAt\":"), Instants.format(now));
    // maxAge counts from the planned start, so that a countdown longer than maxAge still runs.
    call.options()
        .countdown()
        .map(now::plus)
        .or(() -> call.options().eta().filter(now::isBefore))
        .ifPresent(t -> JsonText.string(out.append(",\"scheduledAt\":"), Instants.format(t)));
    call.options().maxAttempts().ifPresent(n -> out.append(",\"maxAttempts\":").append(n));
    call.options().maxAge().ifPresent(d -> out.append(",\"maxAgeMillis\":").append(d.toMillis()));
    DeliveryOptions.write(call.options())
        .ifPresent(
            d -> JsonText.string(out.append(','), DeliveryOptions.FIELD).append(':').append(d));
    return out.append('}').toString().getBytes(StandardCharsets.UTF_8);
  }

  /** The argument's JSON object: {@code {"value":...}} or an entity reference. */
  private String encodeArgument(
      DeferredInvocation call, int index, Parameter param, Type type, Object value) {
    String name = param.isNamePresent() ? param.getName() : null;
    if (value != null
        && call.options().entityArguments() == EntityArguments.REFERENCE
        && EntityReferences.isEntity(value.getClass())) {
      return encodeEntity(call, index, name, value);
    }
    if (value == null) {
      if (param.getType().isPrimitive()) {
        throw encodingError(call, index, name, param.getType(), "is null", null);
      }
      return "{\"value\":null}";
    }
    String exact = ExactValues.json(value, param.getType());
    if (exact != null) {
      // A string, boolean or integral number of its declared type, or a finite floating-point
      // one: JSON-B writes and reads it exactly, so the round trip is not checked.
      return "{\"value\":" + exact + "}";
    }
    String json;
    Object decoded;
    try {
      json = jsonb.toJson(value, type);
    } catch (JsonbException | UnsupportedOperationException e) {
      throw encodingError(
          call, index, name, value.getClass(), "cannot be written as JSON: " + rootMessage(e), e);
    }
    try {
      decoded = jsonb.fromJson(json, type);
    } catch (JsonbException | UnsupportedOperationException | ClassCastException e) {
      throw encodingError(
          call,
          index,
          name,
          value.getClass(),
          "cannot be read back from its JSON "
              + abbreviate(json)
              + ": "
              + rootMessage(e)
              + ". Use a type JSON-B can create: a record, or a class with a public no-argument"
              + " constructor and getters/setters, declared as the parameter type",
          e);
    }
    if (!survives(value, decoded, json)) {
      throw encodingError(
          call,
          index,
          name,
          value.getClass(),
          "does not survive the JSON round trip: "
              + abbreviate(String.valueOf(value))
              + " came back as "
              + abbreviate(String.valueOf(decoded))
              + ". Make every property readable and writable by JSON-B (getters and setters, or a"
              + " record), and give the class an equals method",
          null);
    }
    // JSON-B wrote it with a JSON-P generator and has just read it back: one well-formed value.
    return "{\"value\":" + json + "}";
  }

  private String encodeEntity(DeferredInvocation call, int index, String name, Object entity) {
    if (!entities.available()) {
      throw new TaskEncodingException(
          Messages.entityWithoutEntityManager(call.describe(), index, entity.getClass().getName()),
          call.describe(),
          index,
          name,
          "no EntityManager bean to read the entity id",
          null);
    }
    Object id = entities.idOf(entity);
    if (id == null) {
      throw encodingError(
          call,
          index,
          name,
          entity.getClass(),
          "is an entity without an id (not persisted yet): persist and flush it first, so the"
              + " task can load it, or defer after the transaction with transactional(true)",
          null);
    }
    Class<?> entityType = entityClass(entity.getClass());
    String idJson = jsonb.toJson(id, entities.idType(entityType));
    StringBuilder out = JsonText.string(new StringBuilder("{\"entity\":"), entityType.getName());
    return out.append(",\"id\":").append(parse(idJson)).append('}').toString();
  }

  /** The entity class itself, not a provider's generated subclass. */
  private static Class<?> entityClass(Class<?> c) {
    Class<?> result = c;
    for (Class<?> k = c; k != null && k != Object.class; k = k.getSuperclass()) {
      for (Annotation a : k.getDeclaredAnnotations()) {
        if (a.annotationType().getName().equals("jakarta.persistence.Entity")) {
          result = k;
        }
      }
      if (result == k) {
        break;
      }
    }
    return result;
  }

  /**
   * Equality where the type defines it; otherwise (plain beans without equals) the best available
   * check: the decoded value writes the same JSON.
   */
  private boolean survives(Object original, Object decoded, String json) {
    if (Objects.deepEquals(original, decoded)) {
      return true;
    }
    if (!(original instanceof Collection<?>)
        && !(original instanceof Map<?, ?>)
        && !(original instanceof Enum<?>)
        && (decoded == null || decoded.getClass() != original.getClass())) {
      // e.g. a parameter declared as Object or an interface: JSON gives back a map, not the value
      return false;
    }
    if (hasValueEquality(original, 0)) {
      return false;
    }
    try {
      return json.equals(jsonb.toJson(decoded));
    } catch (JsonbException e) {
      return false;
    }
  }

  private static boolean hasValueEquality(Object v, int depth) {
    if (v == null || depth > 8) {
      return true;
    }
    if (v instanceof Collection<?> c) {
      for (Object e : c) {
        if (!hasValueEquality(e, depth + 1)) {
          return false;
        }
      }
      return true;
    }
    if (v instanceof Map<?, ?> m) {
      for (Map.Entry<?, ?> e : m.entrySet()) {
        if (!hasValueEquality(e.getKey(), depth + 1)
            || !hasValueEquality(e.getValue(), depth + 1)) {
          return false;
        }
      }
      return true;
    }
    if (v instanceof Optional<?> o) {
      return o.isEmpty() || hasValueEquality(o.get(), depth + 1);
    }
    if (v.getClass().isArray()) {
      if (v.getClass().getComponentType().isPrimitive()) {
        return true;
      }
      for (int i = 0; i < Array.getLength(v); i++) {
        if (!hasValueEquality(Array.get(v, i), depth + 1)) {
          return false;
        }
      }
      return true;
    }
    try {
      return v.getClass().getMethod("equals", Object.class).getDeclaringClass() != Object.class;
    } catch (NoSuchMethodException e) {
      return false;
    }
  }

  /**
   * A payload bound anew to the queue and schedule of {@code options}, with a fresh expiry: for
   * re-deferring the payload of a failed task, whose envelope may name another queue or have
   * expired. The caller has verified the payload.
   *
   * @throws IllegalArgumentException if the payload is not a JSON object
   */
  public byte[] rebind(byte[] payload, DeferOptions options, Instant now) {
    JsonObject o;
    try (JsonReader r = JsonP.reader(payload)) {
      o = r.readObject();
    } catch (JsonException | IllegalStateException e) {
      throw new IllegalArgumentException("not a payload: " + e.getMessage(), e);
    }
    JsonObjectBuilder rebound = JsonP.objectBuilder(o).add("v", VERSION);
    Envelope.write(rebound, options, now, lifetime);
    return rebound.build().toString().getBytes(StandardCharsets.UTF_8);
  }

  /** The payload store key if {@code body} is a stored reference. */
  public static Optional<String> storedKey(byte[] body) throws PayloadException {
    JsonObject o = read(body);
    JsonValue stored = o.get("stored");
    if (stored == null) {
      return Optional.empty();
    }
    if (stored.getValueType() != JsonValue.ValueType.STRING) {
      throw new PayloadException(Kind.MALFORMED, "'stored' is not a string", null, null, null);
    }
    return Optional.of(o.getString("stored"));
  }

  /**
   * Decodes a payload and resolves it against this deployment's classes. Reads nothing but the
   * payload and the class loader: entity arguments come back as {@link EntityReference}s, loaded by
   * {@link #arguments(DecodedTask)} when the task runs.
   *
   * @param loader the application's class loader
   * @throws PayloadException if it is malformed or needs code this deployment lacks; see {@link
   *     PayloadException} for what each kind means for the task
   */
  public DecodedTask decode(byte[] body, ClassLoader loader) throws PayloadException {
    JsonObject o = read(body);
    String beanName = null;
    String methodName = null;
    try {
      beanName = o.getString("bean");
      methodName = o.getString("method");
      JsonArray paramTypes = o.getJsonArray("parameterTypes");
      JsonArray args = o.getJsonArray("arguments");
      JsonArray qualifierJson = o.getJsonArray("qualifiers");
      Instant deferredAt = Instants.parse(o.getString("deferredAt"));
      Instant scheduledAt =
          o.containsKey("scheduledAt") ? Instants.parse(o.getString("scheduledAt")) : deferredAt;
      if (paramTypes.size() != args.size()) {
        throw new PayloadException(
            Kind.MALFORMED,
            paramTypes.size() + " parameter types but " + args.size() + " arguments",
            beanName,
            methodName,
            null);
      }
      OptionalInt maxAttempts =
          o.containsKey("maxAttempts")
              ? OptionalInt.of(o.getInt("maxAttempts"))
              : OptionalInt.empty();
      Optional<Duration> maxAge =
          o.containsKey("maxAgeMillis")
              ? Optional.of(Duration.ofMillis(o.getJsonNumber("maxAgeMillis").longValue()))
              : Optional.empty();

      List<String> paramNames = new ArrayList<>(paramTypes.size());
      for (int i = 0; i < paramTypes.size(); i++) {
        paramNames.add(paramTypes.getString(i));
      }
      Target key = new Target(loader, beanName, methodName, paramNames);
      Resolved target = targets.get(key);
      Class<?> beanType;
      Annotation[] qualifiers = new Annotation[qualifierJson.size()];
      Method method;
      try {
        Class<?>[] params = null;
        if (target == null) {
          beanType = Class.forName(beanName, false, loader);
          params = new Class<?>[paramNames.size()];
          for (int i = 0; i < params.length; i++) {
            params[i] = ClassNames.load(paramNames.get(i), loader);
          }
        } else {
          beanType = target.beanType();
        }
        for (int i = 0; i < qualifiers.length; i++) {
          qualifiers[i] = QualifierCodec.decode(qualifierJson.getJsonObject(i), loader);
        }
        method = target == null ? findMethod(beanType, methodName, params) : target.method();
      } catch (ClassNotFoundException | NoSuchMethodException | LinkageError e) {
        throw new PayloadException(
            Kind.UNKNOWN_CODE, beanName + "." + methodName + ": " + e, beanName, methodName, e);
      }
      if (target == null) {
        String refusal = TaskTargets.refusal(beanType, method);
        if (refusal != null) {
          // Signed, so ours or made with a leaked key: no version of the application runs it.
          throw new PayloadException(
              Kind.MALFORMED,
              Messages.notATaskTarget(beanName, methodName, refusal),
              beanName,
              methodName,
              null);
        }
        target = new Resolved(beanType, method, method.getGenericParameterTypes());
        if (targets.size() < MAX_TARGETS) {
          targets.putIfAbsent(key, target);
        }
      }

      Type[] types = target.types();
      Object[] values = new Object[types.length];
      for (int i = 0; i < types.length; i++) {
        values[i] =
            decodeArgument(args.getJsonObject(i), i, types[i], loader, beanName, methodName);
      }
      return new DecodedTask(
          beanType, qualifiers, method, values, maxAttempts, maxAge, deferredAt, scheduledAt);
    } catch (ClassCastException
        | NullPointerException
        | JsonException
        | java.time.format.DateTimeParseException e) {
      throw new PayloadException(
          Kind.MALFORMED, "not a Deferred payload: " + e, beanName, methodName, e);
    }
  }

  /**
   * The arguments to invoke the task's method with: the decoded values, with every {@link
   * EntityReference} loaded now through the application's entity manager. Called inside the
   * transaction the task runs in, if any, so that the entities are managed by it.
   *
   * @throws EntityGoneException if a referenced entity no longer exists (retrying cannot help)
   * @throws RuntimeException whatever the entity manager raises (database unreachable, no active
   *     context, a class that is not an entity of the persistence unit): retrying may help
   */
  public Object[] arguments(DecodedTask task) {
    Object[] values = task.arguments().clone();
    for (int i = 0; i < values.length; i++) {
      if (values[i] instanceof EntityReference ref) {
        Object id = jsonb.fromJson(ref.id().toString(), entities.idType(ref.entityType()));
        Object entity = entities.load(ref.entityType(), id);
        if (entity == null) {
          throw new EntityGoneException(ref.entityType(), id);
        }
        values[i] = entity;
      }
    }
    return values;
  }

  private Object decodeArgument(
      JsonObject arg, int index, Type type, ClassLoader loader, String beanName, String methodName)
      throws PayloadException {
    if (arg.containsKey("entity")) {
      String entityName = arg.getString("entity");
      JsonValue id = arg.get("id");
      if (id == null || id.getValueType() == JsonValue.ValueType.NULL) {
        throw new PayloadException(
            Kind.MALFORMED,
            "argument " + index + " refers to a " + entityName + " without an id",
            beanName,
            methodName,
            null);
      }
      try {
        return new EntityReference(Class.forName(entityName, false, loader), id);
      } catch (ClassNotFoundException | LinkageError e) {
        throw new PayloadException(
            Kind.UNKNOWN_CODE, "entity " + entityName + ": " + e, beanName, methodName, e);
      }
    }
    JsonValue value = arg.get("value");
    if (value == null) {
      throw new PayloadException(
          Kind.MALFORMED, "argument " + index + " without value", beanName, methodName, null);
    }
    if (value.getValueType() == JsonValue.ValueType.NULL) {
      return null;
    }
    Object exact = ExactValues.read(value, type);
    if (exact != null) {
      return exact;
    }
    try {
      return jsonb.fromJson(value.toString(), type);
    } catch (JsonbException e) {
      // The version that signed it wrote this JSON from a value it checked could be read back: if
      // it does not fit here, this deployment's class differs, and another version may read it.
      throw new PayloadException(
          Kind.UNKNOWN_CODE,
          "argument "
              + index
              + " of type "
              + type.getTypeName()
              + " cannot be read from its JSON: "
              + rootMessage(e),
          beanName,
          methodName,
          e);
    }
  }

  static Method findMethod(Class<?> type, String name, Class<?>[] params)
      throws NoSuchMethodException {
    try {
      return type.getMethod(name, params);
    } catch (NoSuchMethodException e) {
      for (Class<?> c = type; c != null && c != Object.class; c = c.getSuperclass()) {
        try {
          Method m = c.getDeclaredMethod(name, params);
          if (TaskTargets.refusal(type, m) == null) {
            // Package-private and protected methods can be deferred (CDI intercepts them).
            m.setAccessible(true);
          }
          return m;
        } catch (NoSuchMethodException ignored) {
          // try the superclass
        }
      }
      throw e;
    }
  }

  private static JsonObject read(byte[] body) throws PayloadException {
    JsonObject o;
    try (JsonReader r = JsonP.reader(body)) {
      o = r.readObject();
    } catch (JsonException | IllegalStateException | ClassCastException e) {
      throw new PayloadException(Kind.MALFORMED, "not JSON: " + e.getMessage(), null, null, e);
    }
    JsonValue v = o.get("v");
    if (v == null
        || v.getValueType() != JsonValue.ValueType.NUMBER
        || !((JsonNumber) v).isIntegral()) {
      throw new PayloadException(
          Kind.MALFORMED, "no payload format version 'v' (found " + v + ")", null, null, null);
    }
    int version = ((JsonNumber) v).intValue();
    if (version > VERSION) {
      throw new PayloadException(
          Kind.UNKNOWN_CODE,
          "payload format version "
              + version
              + " is newer than this version of Deferred reads ("
              + VERSION
              + ")",
          null,
          null,
          null);
    }
    if (version != VERSION) {
      throw new PayloadException(
          Kind.MALFORMED,
          "unsupported payload format version " + version + " (this version reads " + VERSION + ")",
          null,
          null,
          null);
    }
    return o;
  }

  private static JsonValue parse(String json) {
    try (JsonReader r = JsonP.reader(json)) {
      return r.readValue();
    }
  }

  private static TaskEncodingException encodingError(
      DeferredInvocation call,
      int index,
      String name,
      Class<?> type,
      String reason,
      Throwable cause) {
    return new TaskEncodingException(
        Messages.argumentNotEncodable(call.describe(), index, name, type.getName(), reason),
        call.describe(),
        index,
        name,
        reason,
        cause);
  }

  private static String rootMessage(Throwable e) {
    Throwable t = e;
    while (t.getCause() != null && t.getCause() != t) {
      t = t.getCause();
    }
    return t.getMessage() == null ? t.getClass().getName() : t.getMessage();
  }

  private static String abbreviate(String s) {
    return s.length() <= 200 ? s : s.substring(0, 200) + "...";
  }
}
