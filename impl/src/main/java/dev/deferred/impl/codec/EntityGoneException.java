package dev.deferred.impl.codec;

import dev.deferred.PermanentTaskFailure;

/**
 * The entity a task refers to was deleted before the task ran. Retrying cannot bring it back, so it
 * is a permanent failure.
 */
public final class EntityGoneException extends PermanentTaskFailure {
  private static final long serialVersionUID = 1L;

  public EntityGoneException(Class<?> entityType, Object id) {
    super(
        "The "
            + entityType.getSimpleName()
            + " with id "
            + id
            + " that this task refers to no longer exists");
  }
}
