package dev.deferred.impl.iteration;

/**
 * Every message of the iteration engine, with its stable id (DEFERRED-5nnn). Never reuse a retired
 * number.
 */
final class IterationMessages {
  private IterationMessages() {}

  static String notAnEntity(String type) {
    return ("DEFERRED-5001: %s is not an entity of the persistence unit: IterationService iterates"
            + " over JPA entities; annotate it @Entity and list it in the unit")
        .formatted(type);
  }

  static String compositeId(String type) {
    return ("DEFERRED-5002: entity %s has a composite id: IterationService pages by a single,"
            + " comparable id; give the entity a single @Id (a number, a string, a UUID...)")
        .formatted(type);
  }

  static String idNotComparable(String type, String attribute, String idType) {
    return ("DEFERRED-5003: the id %s.%s is of type %s, which is not Comparable: IterationService"
            + " pages in id order; use a comparable id type")
        .formatted(type, attribute, idType);
  }

  static String noOrderAttribute(String type, String attribute) {
    return ("DEFERRED-5004: entity %s has no attribute '%s' to order by: pass the name of a basic"
            + " attribute to IterationQuery.orderBy")
        .formatted(type, attribute);
  }

  static String orderNotComparable(String type, String attribute, String attributeType) {
    return ("DEFERRED-5005: %s.%s (%s) cannot order an iteration: IterationQuery.orderBy needs a"
            + " basic, Comparable attribute")
        .formatted(type, attribute, attributeType);
  }

  static String conditionInvalid(String query, String condition, String reason) {
    return ("DEFERRED-5006: the condition of %s does not compile as JPQL on 'e': '%s': %s. Write a"
            + " JPQL boolean expression on the alias e, e.g. \"e.status = :status\"")
        .formatted(query, condition, reason);
  }

  static String parameterMismatch(String query, String missing, String unknown) {
    return ("DEFERRED-5007: the parameters of %s do not match its condition: missing %s, unknown %s;"
            + " set exactly the named parameters the condition uses with IterationQuery.parameter")
        .formatted(query, missing, unknown);
  }

  static String reservedParameter(String name) {
    return ("DEFERRED-5008: parameter name '%s' is reserved (the prefix '%s' is the iteration"
            + " engine's own): rename the parameter")
        .formatted(name, Queries.PREFIX);
  }

  static String noRowArgument(String bean, String method) {
    return ("DEFERRED-5009: the callback calls %s.%s without passing it the row: write (bean, row)"
            + " -> bean.method(row, ...), passing the lambda's row parameter as is")
        .formatted(bean, method);
  }

  static String entityNotInstantiable(String type, String reason) {
    return ("DEFERRED-5010: cannot create a placeholder row of %s to record the callback (%s): give"
            + " the entity the no-argument constructor JPA requires")
        .formatted(type, reason);
  }

  static String noEntityManager(String type, int found) {
    return ("DEFERRED-5011: %s EntityManager beans manage entity %s: IterationService needs exactly"
            + " one; produce one (@Produces @PersistenceContext EntityManager), or name the unit"
            + " with IterationOptions.persistenceUnit(...) or deferred.iteration.persistence-unit"
            + " and qualify its EntityManager bean @Named(\"unit\")")
        .formatted(found == 0 ? "No" : String.valueOf(found), type);
  }

  static String noEntityManagerForUnit(String unit, String type) {
    return ("DEFERRED-5012: no EntityManager bean qualified @Named(\"%s\") for entity %s: produce"
            + " one (@Produces @Named(\"%s\") @PersistenceContext(unitName = \"%s\")"
            + " EntityManager), or fix the unit name")
        .formatted(unit, type, unit, unit);
  }

  // DEFERRED-5013 and 5014 are JtaTransactions' own.

  static String parameterNotEncodable(String name, String type, String reason) {
    return ("DEFERRED-5015: query parameter '%s' of type %s %s. Pass a value JSON-B can write and"
            + " read back: a string, number, date, enum, record or entity")
        .formatted(name, type, reason);
  }

  static String unknownParameterType(String name, String type) {
    return ("DEFERRED-5016: query parameter '%s' has type %s, which this deployment does not have:"
            + " the task was created by another version of the application")
        .formatted(name, type);
  }

  static String badStrategy(String strategy, String reason) {
    return ("DEFERRED-5017: key range strategy %s cannot be used: %s. Name a public class with a"
            + " public no-argument constructor in IterationOptions.keyRanges")
        .formatted(strategy, reason);
  }

  static String badRanges(String iteration, String strategy, String reason) {
    return ("DEFERRED-5018: key range strategy %s returned unusable ranges for iteration %s: %s;"
            + " return ascending, non-overlapping ranges")
        .formatted(strategy, iteration, reason);
  }

  static String rowFailed(String iteration, int shard, Object rowId, int retry) {
    return ("DEFERRED-5019: iteration %s, shard %d: the callback failed on row %s, the first row of"
            + " this task (retry %d): the task fails and Cloud Tasks retries it from this row")
        .formatted(iteration, shard, rowId, retry);
  }

  static String rowFailedContinuing(String iteration, int shard, Object rowId) {
    return ("DEFERRED-5020: iteration %s, shard %d: the callback failed on row %s; the shard"
            + " continues in a new task from this row (rows before it are done)")
        .formatted(iteration, shard, rowId);
  }

  static String rowFailedPermanently(String iteration, int shard, Object rowId, int attempts) {
    return ("DEFERRED-5021: iteration %s failed: shard %d failed on row %s on each of its %d allowed"
            + " attempts; finalize will not run. Fix the row or the callback and start a new"
            + " iteration")
        .formatted(iteration, shard, rowId, attempts);
  }

  static String slowCallback(String iteration, int shard, Object rowId, long millis, long limit) {
    return ("DEFERRED-5022: iteration %s, shard %d: the callback took %d ms on row %s, more than"
            + " deferred.iteration.slow-callback (%d ms)")
        .formatted(iteration, shard, millis, rowId, limit);
  }

  static String markerVanished(String iteration, String where) {
    return ("DEFERRED-5023: the marker of iteration %s is gone (%s): stopping quietly; the"
            + " iteration was deleted")
        .formatted(iteration, where);
  }

  static String finalizeRunningElsewhere(String iteration) {
    return ("DEFERRED-5024: finalize of iteration %s is already running in another task: this"
            + " delivery waits for it and is retried")
        .formatted(iteration);
  }

  static String finalizeBeforeShards(String iteration, int finished, int shards) {
    return ("DEFERRED-5025: finalize of iteration %s arrived with %d of %d shards finished: ignored;"
            + " the last shard defers it again")
        .formatted(iteration, finished, shards);
  }

  static String invalidSlowCallback(String value) {
    return ("DEFERRED-5026: deferred.iteration.slow-callback must be a duration such as 30s or 2m,"
            + " was '%s'")
        .formatted(value);
  }

  static String recentLimit(int limit, int max) {
    return "DEFERRED-5040: IterationService.recent(limit) takes 1 to %d iterations, was %d"
        .formatted(max, limit);
  }

  static String markersUnavailable(String reason) {
    return ("DEFERRED-5041: the iteration markers cannot be listed: %s; check the marker store"
            + " (Datastore) and try again")
        .formatted(reason);
  }
}
