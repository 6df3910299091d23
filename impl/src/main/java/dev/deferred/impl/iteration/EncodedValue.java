package dev.deferred.impl.iteration;

/**
 * A query parameter in a payload.
 *
 * @param name the parameter name
 * @param type the value's class name (for an entity: the entity class)
 * @param json the value as JSON (for an entity: its id)
 * @param entity whether the value is an entity, sent as a reference
 */
public record EncodedValue(String name, String type, String json, boolean entity) {}
