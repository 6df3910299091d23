package dev.deferred.impl.codec;

import jakarta.json.JsonValue;

/**
 * An entity argument as a decoded payload names it: loaded by {@link PayloadCodec#arguments} when
 * the task runs, not while decoding, so that decoding never touches the database and the entity is
 * loaded in the task's own transaction.
 *
 * @param entityType the entity class
 * @param id the id as JSON, read with the entity's id type when loaded
 */
public record EntityReference(Class<?> entityType, JsonValue id) {}
