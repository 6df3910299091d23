package dev.deferred;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The rows an iteration processes: an entity type, an optional JPQL condition with named
 * parameters, and an optional attribute to process them in the order of.
 *
 * <p>The condition is a JPQL boolean expression on the entity, which is always called {@code e}:
 *
 * <pre>{@code
 * IterationQuery<Order> open = IterationQuery.of(Order.class)
 *     .where("e.status = :status and e.total > :min")
 *     .parameter("status", Status.OPEN)
 *     .parameter("min", new BigDecimal("10.00"));
 * }</pre>
 *
 * <p>The entity must have a single id attribute whose type is {@link Comparable} (a number, a
 * string, a date, a UUID...); composite ids are refused at the call site. The condition is compiled
 * at the call site, so a typo fails there; parameter values travel in the signed task payload like
 * the arguments of a deferred call (JSON, entities as references) and are checked for the round
 * trip at the call site too.
 *
 * <p>Rows of one shard are processed in id order; with {@link #orderBy(String)} in the order of
 * that attribute, ties broken by id (djangae's {@code order_field}).
 *
 * <p>Immutable and thread-safe: every method returns a new instance.
 *
 * @param <E> the entity type
 */
public final class IterationQuery<E> {

  private static final Pattern NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");

  private final Class<E> entityType;
  private final String condition;
  private final Map<String, Object> parameters;
  private final String orderBy;

  private IterationQuery(
      Class<E> entityType, String condition, Map<String, Object> parameters, String orderBy) {
    this.entityType = entityType;
    this.condition = condition;
    this.parameters = parameters;
    this.orderBy = orderBy;
  }

  /**
   * Every row of an entity type.
   *
   * @param entityType the JPA entity class
   * @param <E> the entity type
   * @return the query
   * @throws NullPointerException if {@code entityType} is null
   */
  public static <E> IterationQuery<E> of(Class<E> entityType) {
    return new IterationQuery<>(
        Objects.requireNonNull(entityType, "entityType"), null, Map.of(), null);
  }

  /**
   * Only the rows that satisfy a JPQL condition on {@code e}; replaces an earlier condition.
   *
   * @param condition e.g. {@code "e.status = :status"}
   * @return a new query
   * @throws IllegalArgumentException if the condition is blank
   */
  public IterationQuery<E> where(String condition) {
    Objects.requireNonNull(condition, "condition");
    if (condition.isBlank()) {
      throw new IllegalArgumentException(
          "IterationQuery.where: the condition is blank; leave where() out to process every row");
    }
    return new IterationQuery<>(entityType, condition, parameters, orderBy);
  }

  /**
   * Sets a named parameter of the condition.
   *
   * @param name the parameter name without the colon
   * @param value the value; it must survive the JSON round trip like a deferred argument
   * @return a new query
   * @throws IllegalArgumentException if the name is not a JPQL identifier
   * @throws NullPointerException if the value is null (JPQL compares nothing with null: write
   *     {@code e.x is null} in the condition)
   */
  public IterationQuery<E> parameter(String name, Object value) {
    Objects.requireNonNull(name, "name");
    if (!NAME.matcher(name).matches()) {
      throw new IllegalArgumentException(
          "IterationQuery.parameter: '"
              + name
              + "' is not a parameter name: use letters, digits and '_', without the colon");
    }
    Objects.requireNonNull(value, "value of parameter " + name);
    Map<String, Object> p = new LinkedHashMap<>(parameters);
    p.put(name, value);
    return new IterationQuery<>(entityType, condition, Collections.unmodifiableMap(p), orderBy);
  }

  /**
   * Processes the rows of each shard in the order of an attribute, then of the id (keyset
   * pagination on both). The attribute must be a basic, {@link Comparable}, non-null attribute of
   * the entity.
   *
   * @param attribute the attribute name, e.g. {@code "createdAt"}
   * @return a new query
   * @throws IllegalArgumentException if the name is not a JPQL identifier
   */
  public IterationQuery<E> orderBy(String attribute) {
    Objects.requireNonNull(attribute, "attribute");
    if (!NAME.matcher(attribute).matches()) {
      throw new IllegalArgumentException(
          "IterationQuery.orderBy: '" + attribute + "' is not an attribute name");
    }
    return new IterationQuery<>(entityType, condition, parameters, attribute);
  }

  /**
   * The entity type.
   *
   * @return the entity class
   */
  public Class<E> entityType() {
    return entityType;
  }

  /**
   * The condition.
   *
   * @return the JPQL condition; empty for every row
   */
  public Optional<String> condition() {
    return Optional.ofNullable(condition);
  }

  /**
   * The named parameters, in the order they were set.
   *
   * @return an unmodifiable map
   */
  public Map<String, Object> parameters() {
    return parameters;
  }

  /**
   * The attribute rows are ordered by before the id.
   *
   * @return the attribute; empty for id order
   */
  public Optional<String> orderBy() {
    return Optional.ofNullable(orderBy);
  }

  @Override
  public String toString() {
    return "IterationQuery["
        + entityType.getSimpleName()
        + (condition == null ? "" : " where " + condition)
        + (parameters.isEmpty() ? "" : " " + parameters.keySet())
        + (orderBy == null ? "" : " order by " + orderBy)
        + "]";
  }
}
