package dev.deferred.impl.iteration;

import jakarta.enterprise.inject.Any;
import jakarta.enterprise.inject.literal.NamedLiteral;
import jakarta.enterprise.inject.spi.Bean;
import jakarta.enterprise.inject.spi.BeanManager;
import jakarta.persistence.EntityManager;
import jakarta.persistence.metamodel.Attribute;
import jakarta.persistence.metamodel.EntityType;
import jakarta.persistence.metamodel.SingularAttribute;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Finds the application's {@code EntityManager} bean for an entity, and what the engine needs to
 * know of the entity: its JPQL name, id attribute and ordering attribute.
 */
final class Persistence {

  /** What the queries need to know about the entity. */
  record EntityInfo(
      Class<?> type,
      String name,
      String idAttribute,
      Class<?> idType,
      String orderAttribute,
      Class<?> orderType) {}

  private final BeanManager beanManager;

  Persistence(BeanManager beanManager) {
    this.beanManager = beanManager;
  }

  /**
   * The entity manager for the entity: the bean qualified {@code @Named(unit)} when a unit is
   * named, else the {@code @Default} one if it manages the entity, else the only one that does.
   * Call inside a transaction: a transaction-scoped entity manager is only usable there.
   *
   * @throws IllegalArgumentException naming the unit or the entity, if none or several fit
   */
  EntityManager entityManager(Class<?> entityType, Optional<String> unit) {
    if (unit.isPresent()) {
      EntityManager em =
          reference(beanManager.getBeans(EntityManager.class, NamedLiteral.of(unit.get())));
      if (em == null) {
        throw new IllegalArgumentException(
            IterationMessages.noEntityManagerForUnit(unit.get(), entityType.getName()));
      }
      return em;
    }
    EntityManager byDefault = reference(beanManager.getBeans(EntityManager.class));
    if (byDefault != null && manages(byDefault, entityType)) {
      return byDefault;
    }
    List<EntityManager> managing = new ArrayList<>();
    for (Bean<?> bean : beanManager.getBeans(EntityManager.class, Any.Literal.INSTANCE)) {
      EntityManager em = reference(Set.of(bean));
      if (em != null && manages(em, entityType)) {
        managing.add(em);
      }
    }
    if (managing.size() == 1) {
      return managing.get(0);
    }
    throw new IllegalArgumentException(
        IterationMessages.noEntityManager(entityType.getName(), managing.size()));
  }

  private static boolean manages(EntityManager em, Class<?> entityType) {
    try {
      em.getMetamodel().entity(entityType);
      return true;
    } catch (IllegalArgumentException e) {
      return false;
    }
  }

  private EntityManager reference(Set<Bean<?>> beans) {
    if (beans.isEmpty()) {
      return null;
    }
    Bean<?> bean;
    try {
      bean = beanManager.resolve(beans);
    } catch (RuntimeException ambiguous) {
      return null;
    }
    if (bean == null) {
      return null;
    }
    return (EntityManager)
        beanManager.getReference(
            bean, EntityManager.class, beanManager.createCreationalContext(bean));
  }

  /**
   * Checks the entity and describes it.
   *
   * @throws IllegalArgumentException if it has no single comparable id, or the ordering attribute
   *     is missing or not comparable
   */
  static EntityInfo describe(EntityManager em, Class<?> type, String orderBy) {
    EntityType<?> entity;
    try {
      entity = em.getMetamodel().entity(type);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(IterationMessages.notAnEntity(type.getName()), e);
    }
    if (!entity.hasSingleIdAttribute()) {
      throw new IllegalArgumentException(IterationMessages.compositeId(type.getName()));
    }
    Class<?> idType = box(entity.getIdType().getJavaType());
    SingularAttribute<?, ?> id = entity.getId(entity.getIdType().getJavaType());
    if (!Comparable.class.isAssignableFrom(idType)) {
      throw new IllegalArgumentException(
          IterationMessages.idNotComparable(type.getName(), id.getName(), idType.getName()));
    }
    String orderAttribute = null;
    Class<?> orderType = null;
    if (orderBy != null) {
      Attribute<?, ?> a;
      try {
        a = entity.getAttribute(orderBy);
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException(
            IterationMessages.noOrderAttribute(type.getName(), orderBy), e);
      }
      orderType = box(a.getJavaType());
      if (a.getPersistentAttributeType() != Attribute.PersistentAttributeType.BASIC
          || !Comparable.class.isAssignableFrom(orderType)) {
        throw new IllegalArgumentException(
            IterationMessages.orderNotComparable(type.getName(), orderBy, orderType.getName()));
      }
      orderAttribute = a.getName();
    }
    return new EntityInfo(type, entity.getName(), id.getName(), idType, orderAttribute, orderType);
  }

  static Class<?> box(Class<?> c) {
    if (!c.isPrimitive()) {
      return c;
    }
    if (c == long.class) {
      return Long.class;
    }
    if (c == int.class) {
      return Integer.class;
    }
    if (c == short.class) {
      return Short.class;
    }
    if (c == byte.class) {
      return Byte.class;
    }
    if (c == double.class) {
      return Double.class;
    }
    if (c == float.class) {
      return Float.class;
    }
    if (c == char.class) {
      return Character.class;
    }
    return Boolean.class;
  }
}
