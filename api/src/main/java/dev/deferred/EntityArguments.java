package dev.deferred;

/**
 * How JPA entity arguments of a deferred call travel to the task (djangae's {@code
 * _wipe_related_caches} answered the same question for Django model instances).
 *
 * @see DeferOptions#entityArguments(EntityArguments)
 */
public enum EntityArguments {
  /**
   * The default: an entity argument travels as a reference (entity type and id) and is loaded fresh
   * from the persistence context when the task runs, so the task sees committed state, not the
   * caller's copy. A task whose entity has been deleted meanwhile fails permanently.
   *
   * <p>When the task's method is {@code @Transactional} with {@code TxType.REQUIRED} (the default),
   * the entity is loaded inside the transaction the method runs in: it is managed, its lazy
   * associations load, and the changes the method makes to it are written at commit. In any other
   * case (no {@code @Transactional}, or another {@code TxType} such as {@code REQUIRES_NEW}) it is
   * loaded before the method starts and arrives detached: call {@code EntityManager.merge} or load
   * it again to change it.
   */
  REFERENCE,

  /**
   * An entity argument is encoded like any other value (JSON-B, its fields as they are at the call
   * site) and arrives detached. Use it for snapshots; lazy associations that are not loaded at the
   * call site are not carried.
   */
  VALUE
}
