package dev.deferred.impl.store;

/**
 * Every message of this package, with its stable id ({@code DFRSTO} + number). Never reuse a
 * retired number.
 */
final class StoreMessages {
  private StoreMessages() {}

  static String invalidInMemoryBound(long value) {
    return "DFRSTO001: the in-memory payload store bound must be at least 1 byte, was " + value;
  }

  static String inMemoryPayloadTooLarge(long size, long limit) {
    return ("DFRSTO002: payload of %d bytes exceeds the in-memory payload store's limit of %d bytes:"
            + " make the task's arguments smaller, e.g. pass an id instead of the data")
        .formatted(size, limit);
  }

  static String inMemoryStoreFull(long size, long held, long limit) {
    return ("DFRSTO003: the in-memory payload store is full: it holds %d bytes of payloads of tasks"
            + " still queued or retrying, and %d more would exceed its limit of %d bytes;"
            + " check for tasks that retry forever, or defer smaller arguments")
        .formatted(held, size, limit);
  }

  static String invalidFailureCapacity(int value) {
    return "DFRSTO004: the in-memory failure store capacity must be at least 1, was " + value;
  }

  static String invalidLimit(int value) {
    return "DFRSTO005: the number of failures to list must be at least 1, was " + value;
  }
}
