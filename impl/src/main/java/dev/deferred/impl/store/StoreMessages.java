package dev.deferred.impl.store;

/**
 * Every message of this package, with its stable id (DEFERRED-3nnn). Never reuse a retired number.
 */
final class StoreMessages {
  private StoreMessages() {}

  static String invalidInMemoryBound(long value) {
    return "DEFERRED-3001: the in-memory payload store bound must be at least 1 byte, was " + value;
  }

  static String inMemoryPayloadTooLarge(long size, long limit) {
    return ("DEFERRED-3002: payload of %d bytes exceeds the in-memory payload store's limit of %d bytes:"
            + " make the task's arguments smaller, e.g. pass an id instead of the data")
        .formatted(size, limit);
  }

  static String inMemoryStoreFull(long size, long held, long limit) {
    return ("DEFERRED-3003: the in-memory payload store is full: it holds %d bytes of payloads of tasks"
            + " still queued or retrying, and %d more would exceed its limit of %d bytes;"
            + " check for tasks that retry forever, or defer smaller arguments")
        .formatted(held, size, limit);
  }

  static String invalidFailureCapacity(int value) {
    return "DEFERRED-3004: the in-memory failure store capacity must be at least 1, was " + value;
  }

  static String invalidLimit(int value) {
    return "DEFERRED-3005: the number of failures to list must be at least 1, was " + value;
  }

  static String noProject() {
    return "DEFERRED-3010: the Datastore stores need a Google Cloud project: set deferred.datastore.project"
        + " (or deferred.project, or the GOOGLE_CLOUD_PROJECT environment variable)";
  }

  static String datastorePayloadTooLarge(long size, long limit) {
    return ("DEFERRED-3011: payload of %d bytes exceeds the Datastore payload store's limit of %d bytes"
            + " (deferred.datastore.max-payload-bytes): defer smaller arguments, e.g. an id"
            + " instead of the data, or raise the limit")
        .formatted(size, limit);
  }

  static String invalidKey(String key) {
    return ("DEFERRED-3012: '%s' is not a payload key of this store: keys are the UUIDs that put()"
            + " returns")
        .formatted(key);
  }

  static String incompletePayload(String key, String detail) {
    return ("DEFERRED-3013: payload '%s' in Datastore is incomplete or damaged (%s): the task cannot"
            + " run; it was probably deleted while being read, or written by an interrupted put")
        .formatted(key, detail);
  }

  static String markerContention(String id, String operation, int attempts, String last) {
    return ("DEFERRED-3040: the %s of iteration marker '%s' collided with other writers %d times in a"
            + " row (last: %s): too many shards finish at once for this Datastore; the task is"
            + " retried")
        .formatted(operation, id, attempts, last);
  }

  static String datastoreFailed(String operation, String what, Throwable cause) {
    return "DEFERRED-3014: Datastore %s of %s failed: %s".formatted(operation, what, cause);
  }

  static String invalidMaxPayload(long value, long chunk) {
    return ("DEFERRED-3015: the Datastore payload limit must be at least %d bytes (one chunk), was %d")
        .formatted(chunk, value);
  }

  static String notANumber(String key, String value) {
    return "DEFERRED-3016: %s must be a whole number of bytes, was '%s'".formatted(key, value);
  }

  static String invalidCursor(String cursor) {
    return ("DEFERRED-3017: '%s' is not a failure page cursor of this store: pass null for the"
            + " first page, then the nextCursor of the previous page")
        .formatted(cursor);
  }
}
