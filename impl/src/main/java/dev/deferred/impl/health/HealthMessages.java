package dev.deferred.impl.health;

/**
 * Every message of this package, with its stable id (DEFERRED-76nn). Never reuse a retired number.
 */
final class HealthMessages {
  private HealthMessages() {}

  static String cloudTasksUnavailable(String reason) {
    return "DEFERRED-7601: Cloud Tasks cannot be reached ("
        + reason
        + "): check deferred.emulator.host in emulator mode, the network and credentials in cloud"
        + " mode";
  }

  static String queueMissing(String queue, boolean createQueues) {
    return "DEFERRED-7602: queue '"
        + queue
        + "' is configured but missing in Cloud Tasks: "
        + (createQueues
            ? "restart the application to create it (deferred.create-queues is on)"
            : "create it (deferred.create-queues is off)");
  }

  static String storeUnavailable(String reason) {
    return "DEFERRED-7603: the Datastore payload store cannot be reached ("
        + reason
        + "): check deferred.datastore.project and the credentials, or"
        + " deferred.datastore.emulator-host";
  }

  static String noSigningKeys() {
    return "DEFERRED-7604: no payload signing key: set deferred.signing.keys";
  }

  static String shortKey(int index, int length) {
    return "DEFERRED-7605: signing key "
        + index
        + " has "
        + length
        + " bytes, fewer than 32: replace it in deferred.signing.keys";
  }

  static String signerBroken(String reason) {
    return "DEFERRED-7606: payloads cannot be signed (" + reason + ")";
  }
}
