package dev.deferred.impl.iteration;

import dev.deferred.TaskEncodingException;
import dev.deferred.impl.codec.EntityReferences;
import jakarta.json.bind.Jsonb;
import jakarta.json.bind.JsonbException;
import jakarta.persistence.EntityManager;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Ids, ordering values and query parameters as JSON, with the round-trip check at the call site.
 */
final class Values {

  private final Jsonb jsonb;

  Values(Jsonb jsonb) {
    this.jsonb = jsonb;
  }

  String toJson(Object value, Class<?> type) {
    return value == null ? null : jsonb.toJson(value, type);
  }

  Object fromJson(String json, Class<?> type) {
    return json == null ? null : jsonb.fromJson(json, type);
  }

  /**
   * Encodes the query parameters, entities as references.
   *
   * @throws TaskEncodingException naming the parameter if a value does not survive the round trip
   */
  List<EncodedValue> encode(Map<String, Object> parameters, EntityManager em) {
    List<EncodedValue> encoded = new ArrayList<>();
    for (Map.Entry<String, Object> p : parameters.entrySet()) {
      Object value = p.getValue();
      Class<?> type = value instanceof Enum<?> e ? e.getDeclaringClass() : value.getClass();
      if (EntityReferences.isEntity(type)) {
        Object id = em.getEntityManagerFactory().getPersistenceUnitUtil().getIdentifier(value);
        if (id == null) {
          throw error(p.getKey(), type, "is an entity without an id (not persisted yet)", null);
        }
        Class<?> entityType = em.getMetamodel().entity(type).getJavaType();
        encoded.add(new EncodedValue(p.getKey(), entityType.getName(), jsonb.toJson(id), true));
        continue;
      }
      String json;
      Object back;
      try {
        json = jsonb.toJson(value, type);
        back = jsonb.fromJson(json, type);
      } catch (JsonbException | UnsupportedOperationException | ClassCastException e) {
        throw error(
            p.getKey(), type, "cannot be written as JSON and read back: " + e.getMessage(), e);
      }
      if (!Objects.deepEquals(value, back)) {
        throw error(
            p.getKey(),
            type,
            "does not survive the JSON round trip: " + value + " came back as " + back,
            null);
      }
      encoded.add(new EncodedValue(p.getKey(), type.getName(), json, false));
    }
    return encoded;
  }

  /** Decodes a parameter for the query; entities become references of {@code em}. */
  Object decode(EncodedValue v, EntityManager em, ClassLoader loader) {
    Class<?> type;
    try {
      type = Class.forName(v.type(), false, loader);
    } catch (ClassNotFoundException e) {
      throw new IllegalStateException(
          IterationMessages.unknownParameterType(v.name(), v.type()), e);
    }
    if (v.entity()) {
      Class<?> idType = Persistence.box(em.getMetamodel().entity(type).getIdType().getJavaType());
      return em.getReference(type, jsonb.fromJson(v.json(), idType));
    }
    return jsonb.fromJson(v.json(), type);
  }

  private static TaskEncodingException error(
      String name, Class<?> type, String reason, Throwable cause) {
    String message = IterationMessages.parameterNotEncodable(name, type.getName(), reason);
    return new TaskEncodingException(message, "IterationQuery", -1, name, reason, cause);
  }
}
