package dev.deferred.impl.codec;

import dev.deferred.impl.config.Messages;
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
    return required(entityType).getMetamodel().entity(entityType).getIdType().getJavaType();
  }

  @Override
  public Object load(Class<?> entityType, Object id) {
    return required(entityType).find(entityType, id);
  }

  private EntityManager required(Class<?> entityType) {
    EntityManager em = entityManager.get();
    if (em == null) {
      throw new IllegalStateException(Messages.noEntityManagerForTask(entityType.getName()));
    }
    return em;
  }
}
