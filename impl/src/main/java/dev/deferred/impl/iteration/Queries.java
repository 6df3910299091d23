package dev.deferred.impl.iteration;

import dev.deferred.KeyRangeStrategy;
import dev.deferred.impl.iteration.Persistence.EntityInfo;
import jakarta.persistence.EntityManager;
import jakarta.persistence.Query;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The JPQL of an iteration: the user's condition on {@code e}, ANDed with the shard's id range and
 * the keyset position. Every value is a named parameter; the engine's own are prefixed {@value
 * #PREFIX}, which user parameters may not use.
 */
final class Queries {

  static final String PREFIX = "deferred_";

  private final EntityInfo entity;
  private final String condition;

  Queries(EntityInfo entity, String condition) {
    this.entity = entity;
    this.condition = condition;
  }

  private String where() {
    return condition == null ? "1 = 1" : "(" + condition + ")";
  }

  private String id() {
    return "e." + entity.idAttribute();
  }

  /** {@code SELECT COUNT(e)} of the condition: compiling it checks the condition. */
  String count() {
    return "SELECT COUNT(e) FROM " + entity.name() + " e WHERE " + where();
  }

  String ids() {
    return "SELECT "
        + id()
        + " FROM "
        + entity.name()
        + " e WHERE "
        + where()
        + " ORDER BY "
        + id();
  }

  String min() {
    return "SELECT MIN(" + id() + ") FROM " + entity.name() + " e WHERE " + where();
  }

  String max() {
    return "SELECT MAX(" + id() + ") FROM " + entity.name() + " e WHERE " + where();
  }

  /**
   * One batch of a shard: rows with their id (and ordering value) after the keyset position, in
   * order.
   */
  String batch(boolean lower, boolean upper, boolean after) {
    StringBuilder q = new StringBuilder("SELECT e, ").append(id());
    String order = entity.orderAttribute() == null ? null : "e." + entity.orderAttribute();
    if (order != null) {
      q.append(", ").append(order);
    }
    q.append(" FROM ").append(entity.name()).append(" e WHERE ").append(where());
    if (lower) {
      q.append(" AND ").append(id()).append(" >= :").append(PREFIX).append("lower");
    }
    if (upper) {
      q.append(" AND ").append(id()).append(" < :").append(PREFIX).append("upper");
    }
    if (after) {
      if (order == null) {
        q.append(" AND ").append(id()).append(" > :").append(PREFIX).append("after");
      } else {
        q.append(" AND (")
            .append(order)
            .append(" > :")
            .append(PREFIX)
            .append("afterOrder OR (")
            .append(order)
            .append(" = :")
            .append(PREFIX)
            .append("afterOrder AND ")
            .append(id())
            .append(" > :")
            .append(PREFIX)
            .append("after))");
      }
    }
    q.append(" ORDER BY ");
    if (order != null) {
      q.append(order).append(", ");
    }
    q.append(id());
    return q.toString();
  }

  static void bind(Query query, Map<String, Object> parameters) {
    for (Map.Entry<String, Object> p : parameters.entrySet()) {
      query.setParameter(p.getKey(), p.getValue());
    }
  }

  /** The ids the query matches, for a {@link KeyRangeStrategy}; each read is a short query. */
  static final class Keys implements KeyRangeStrategy.KeySource {
    private final Queries queries;
    private final EntityManager em;
    private final Map<String, Object> parameters;

    Keys(Queries queries, EntityManager em, Map<String, Object> parameters) {
      this.queries = queries;
      this.em = em;
      this.parameters = parameters;
    }

    @Override
    public Class<?> keyType() {
      return queries.entity.idType();
    }

    @Override
    public long count() {
      Query q = em.createQuery(queries.count());
      bind(q, parameters);
      return ((Number) q.getSingleResult()).longValue();
    }

    @Override
    public Optional<Comparable<?>> keyAt(long position) {
      Query q = em.createQuery(queries.ids());
      bind(q, parameters);
      q.setFirstResult((int) Math.min(Integer.MAX_VALUE, position)).setMaxResults(1);
      List<?> r = q.getResultList();
      return r.isEmpty() ? Optional.empty() : Optional.of((Comparable<?>) r.get(0));
    }

    @Override
    public Optional<Comparable<?>> min() {
      return single(queries.min());
    }

    @Override
    public Optional<Comparable<?>> max() {
      return single(queries.max());
    }

    private Optional<Comparable<?>> single(String jpql) {
      Query q = em.createQuery(jpql);
      bind(q, parameters);
      return Optional.ofNullable((Comparable<?>) q.getSingleResult());
    }
  }
}
