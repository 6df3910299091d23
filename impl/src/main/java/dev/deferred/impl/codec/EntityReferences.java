package dev.deferred.impl.codec;

import java.lang.annotation.Annotation;

/**
 * How JPA entities become references (type + id) in a payload and are reloaded when the task runs.
 * Kept behind an interface so that the codec never loads {@code jakarta.persistence} classes in an
 * application without JPA.
 */
public interface EntityReferences {

  /** Used when JPA is not on the class path: no class can be an entity. */
  EntityReferences NONE =
      new EntityReferences() {
        @Override
        public Object idOf(Object entity) {
          throw new IllegalStateException("JPA is not available");
        }

        @Override
        public Class<?> idType(Class<?> entityType) {
          throw new IllegalStateException("JPA is not available");
        }

        @Override
        public Object load(Class<?> entityType, Object id) {
          throw new IllegalStateException("JPA is not available");
        }

        @Override
        public boolean available() {
          return false;
        }
      };

  /**
   * Whether {@code type} is a JPA entity. Decided by the annotation's name, so that it works
   * without JPA classes.
   */
  static boolean isEntity(Class<?> type) {
    for (Class<?> c = type; c != null && c != Object.class; c = c.getSuperclass()) {
      for (Annotation a : c.getDeclaredAnnotations()) {
        if (a.annotationType().getName().equals("jakarta.persistence.Entity")) {
          return true;
        }
      }
    }
    return false;
  }

  /** Whether an entity manager is there to read ids and load entities. */
  boolean available();

  /** The id of a managed or detached entity; {@code null} if it has none yet. */
  Object idOf(Object entity);

  /** The id class of an entity type. */
  Class<?> idType(Class<?> entityType);

  /** Loads the entity fresh; {@code null} if it no longer exists. */
  Object load(Class<?> entityType, Object id);
}
