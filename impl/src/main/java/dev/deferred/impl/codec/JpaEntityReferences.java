package dev.deferred.impl.codec;

import jakarta.persistence.EntityManager;
import java.util.function.Supplier;

/** {@link EntityReferences} through an {@link EntityManager} obtained from CDI for each use. */
public final class JpaEntityReferences implements EntityReferences {
  private final Supplier<EntityManager> entityManager;

  /**
   * @param entityManager supplies the application's entity manager, or {@code null} if it has none
   */
  public JpaEntityReferences(Supplier<EntityManager> entityManager) {
    this.entityManager = entityManager;
  }

  @Override
  public boolean available() {
    return entityManager.get() != null;
  }

  @Override
  public Object idOf(Object entity) {
    return entityManager
        .get()
        .getEntityManagerFactory()
        .getPersistenceUnitUtil()
        .getIdentifier(entity);
  }

  @Override
  public Class<?> idType(Class<?> entityType) {
    return entityManager.get().getMetamodel().entity(entityType).getIdType().getJavaType();
  }

  @Override
  public Object load(Class<?> entityType, Object id) {
    return entityManager.get().find(entityType, id);
  }
}
