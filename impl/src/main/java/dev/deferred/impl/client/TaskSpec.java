package dev.deferred.impl.client;

import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;

/**
 * Everything needed to create one task, independent of Cloud Tasks' types, so that a failed enqueue
 * after commit can be logged in a form that re-creates it.
 *
 * @param queue queue id
 * @param name task id, or {@code null} for an automatic one
 * @param body the signed body
 * @param signature the {@code X-Deferred-Signature} header value
 * @param headers extra headers
 * @param eta absolute schedule time, or {@code null}
 * @param countdown delay from creation, or {@code null}; wins over {@code eta}
 * @param service App Engine service, or {@code null}
 * @param version App Engine version, or {@code null}
 * @param instance App Engine instance, or {@code null}
 * @param handlerUrl per-task handler URL, or {@code null} for the configured one
 * @param dispatchDeadline or {@code null}
 * @param failOnDuplicate whether a duplicate name throws
 * @param method the deferred method, for logs
 */
public record TaskSpec(
    String queue,
    String name,
    byte[] body,
    String signature,
    Map<String, String> headers,
    Instant eta,
    Duration countdown,
    String service,
    String version,
    String instance,
    URI handlerUrl,
    Duration dispatchDeadline,
    boolean failOnDuplicate,
    String method) {

  /** The schedule time for a task created at {@code now}. */
  public Optional<Instant> scheduleTime(Instant now) {
    if (countdown != null) {
      return Optional.of(now.plus(countdown));
    }
    return Optional.ofNullable(eta);
  }

  /**
   * A one-line description that an operator can re-create the task from. It holds the body but not
   * the signature: a logged line must not be a request that anyone who reads the log can replay. To
   * re-create the task, defer the call again (the body names it), or sign the body with the current
   * key.
   */
  public String recreation() {
    return "queue="
        + queue
        + ", name="
        + (name == null ? "(automatic)" : name)
        + ", method="
        + method
        + (eta == null ? "" : ", eta=" + eta)
        + (countdown == null ? "" : ", countdown=" + countdown)
        + (service == null ? "" : ", service=" + service)
        + (version == null ? "" : ", version=" + version)
        + (instance == null ? "" : ", instance=" + instance)
        + (handlerUrl == null ? "" : ", url=" + handlerUrl)
        + (headers.isEmpty() ? "" : ", headers=" + headers)
        + ", body="
        + new String(body, java.nio.charset.StandardCharsets.UTF_8);
  }
}
