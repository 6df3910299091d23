package dev.deferred.impl.operations;

/**
 * Every message of this package, with its stable id (DEFERRED-75nn). Never reuse a retired number.
 */
final class OperationsMessages {
  private OperationsMessages() {}

  static String noSuchFailure(String id) {
    return "DEFERRED-7501: no failed task has id '%s': list the failed tasks for the ids that exist"
        .formatted(id);
  }

  static String notRedeferrable(String id, String what, String reason) {
    return ("DEFERRED-7502: failed task %s (%s) cannot be re-deferred: %s; nothing was sent")
        .formatted(id, what, reason);
  }

  static String badSignature() {
    return "the signature of its recorded payload does not verify with deferred.signing.keys (the"
        + " record was changed in the store, or signed with a key no longer listed)";
  }

  static String unsigned() {
    return "its record carries no payload signature (it was recorded by a version of Deferred"
        + " that did not sign failure records); defer the call again from the application";
  }

  static String noPayload(String payloadKey) {
    return payloadKey == null
        ? "its record holds no payload; defer the call again from the application"
        : "its payload was stored under key '"
            + payloadKey
            + "' and is missing; defer the call again from the application";
  }

  static String unreadable(String reason) {
    return "its payload is not a readable call (" + reason + ")";
  }

  static String pageSize(int value) {
    return "DEFERRED-7503: the page size of failed tasks must be 1 to 1000, was " + value;
  }

  static String storeUnavailable(String action, String reason) {
    return "DEFERRED-7504: could not %s the failed tasks: %s; check that the failure store (Datastore)"
            .formatted(action, reason)
        + " is reachable";
  }

  static String markFailed(String id, String task, String reason) {
    return ("DEFERRED-7505: failed task %s was re-deferred as task %s, but the failure record could"
            + " not be marked so: %s")
        .formatted(id, task, reason);
  }
}
