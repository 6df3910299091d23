package dev.deferred.emulator.internal;

/**
 * The emulator's own messages, with stable ids ({@code EMULATOR-nnnn}); the texts the emulator
 * copies from the real Cloud Tasks service are in {@code Errors} and carry no id, because clients
 * compare them with Google's. Ids are never reused. Ranges: 00xx requests the emulator refuses
 * (browser safety of the HTTP port, malformed gRPC messages) and its warnings.
 */
public final class Messages {
  private Messages() {}

  // 00xx refused requests and warnings

  public static String hostNotAllowed(String host, String boundTo) {
    return "EMULATOR-0001: Host '"
        + host
        + "' is not a name of this emulator: it is bound to "
        + boundTo
        + " and answers only requests addressed to localhost, 127.0.0.1 or [::1]"
        + " (a foreign Host is how a web page reaches a local server through DNS rebinding)."
        + " Address it as http://localhost:PORT, or start it bound to the address other hosts use"
        + " (--host).";
  }

  public static String missingHost() {
    return "EMULATOR-0002: The request has no single Host header: send exactly one, e.g."
        + " 'Host: localhost:9023'.";
  }

  public static String foreignOrigin(String origin, String expected) {
    return "EMULATOR-0003: Cross-origin request refused: Origin '"
        + origin
        + "' is not this emulator ("
        + expected
        + "). Web pages of other sites may not use the emulator's API; call it from a Cloud"
        + " Tasks client, curl or gcloud (they send no Origin), or from the emulator's own console.";
  }

  public static String notJson(String method, String contentType) {
    return "EMULATOR-0004: "
        + method
        + " needs 'Content-Type: application/json', got "
        + (contentType == null ? "none" : "'" + contentType + "'")
        + ": send the request body as JSON ('{}' when there is nothing to say), e.g. curl -H"
        + " 'Content-Type: application/json' -d '{}'.";
  }

  public static String malformedMessage(String type, String reason) {
    return "EMULATOR-0006: The request is not a valid "
        + type
        + " message ("
        + reason
        + "): send the protobuf message of the method, as the generated clients do.";
  }

  public static String exposedBinding(String host, int grpcPort, int httpPort) {
    return "EMULATOR-0005: The Cloud Tasks emulator is bound to "
        + host
        + ", not to a loopback address: anyone who can reach ports "
        + grpcPort
        + " and "
        + httpPort
        + " can create tasks that call any URL, read every task with its headers and body, purge"
        + " queues and obtain OIDC tokens for any service account and audience. Use it only on a"
        + " trusted network, or bind it to 127.0.0.1 (the default).";
  }
}
