package dev.deferred.impl.config;

import java.util.Collection;
import java.util.Optional;

/**
 * Every message of the library's core, with its stable id ({@code DEFERRED-nnnn}). Ids are never
 * reused: a retired message keeps its number retired. Ranges: 00xx configuration (0020: the startup
 * summary), 01xx deployment validation, 02xx call site, 03xx enqueue, 04xx task handler.
 *
 * <p>A message that points to documentation names a section of the README (the page users of the
 * released jars see on the project page), never a path in the repository.
 */
public final class Messages {
  private Messages() {}

  // 00xx configuration

  public static String unknownKey(String key, Optional<String> nearest) {
    return "DEFERRED-0001: Unknown configuration key '"
        + key
        + "'"
        + nearest
            .map(n -> ": did you mean '" + n + "'?")
            .orElse(": no key of Deferred is close to it")
        + " Every key is listed in the 'Configuration reference' section of Deferred's README.";
  }

  public static String invalidValue(String key, String value, String expected) {
    return "DEFERRED-0002: Invalid value '" + value + "' for " + key + ": expected " + expected;
  }

  public static String missingProject() {
    return "DEFERRED-0003: No Google Cloud project in cloud mode: set deferred.project, or the"
        + " GOOGLE_CLOUD_PROJECT environment variable";
  }

  public static String missingLocation() {
    return "DEFERRED-0004: deferred.location is required in cloud mode: set it to the region of"
        + " your queues, e.g. deferred.location=europe-west1 (gcloud tasks queues list shows it)";
  }

  public static String missingEmulatorHost() {
    return "DEFERRED-0005: deferred.mode=emulator needs the emulator's address: set"
        + " deferred.emulator.host=HOST:PORT or the CLOUD_TASKS_EMULATOR_HOST environment variable";
  }

  public static String missingSigningKeys(Mode mode) {
    return "DEFERRED-0006: deferred.signing.keys is required in "
        + mode.configValue()
        + " mode, so that every instance signs and verifies task payloads with the same key."
        + " Create a key with 'openssl rand -base64 32' and set it, e.g. in the environment"
        + " variable DEFERRED_SIGNING_KEYS; keep it out of source control";
  }

  public static String signingKeyTooShort(int index, int bytes, int min) {
    return "DEFERRED-0007: Signing key #"
        + index
        + " in deferred.signing.keys has "
        + bytes
        + " bytes, at least "
        + min
        + " are required: create one with 'openssl rand -base64 32'";
  }

  public static String signingKeyNotBase64(int index) {
    return "DEFERRED-0008: Signing key #"
        + index
        + " in deferred.signing.keys is not base64: create one with 'openssl rand -base64 32'";
  }

  public static String noSigningKeyGiven(String value) {
    return "DEFERRED-0040: deferred.signing.keys is set to '"
        + value
        + "', which holds no key: give one or more base64 keys separated by commas (create one"
        + " with 'openssl rand -base64 32'), or remove the key in embedded mode";
  }

  public static String plainHttpHandlerUrl(String where, Object url) {
    return "DEFERRED-0041: "
        + where
        + " '"
        + url
        + "' is http://: in cloud mode tasks carry a signed body and an OIDC token, which must"
        + " not travel in clear text; use https://";
  }

  public static String invalidQueueId(String name) {
    return "DEFERRED-0009: Invalid queue id '"
        + name
        + "' in deferred.queues."
        + name
        + ".*: use 1 to 100 letters, digits or hyphens";
  }

  public static String missingServiceAccount() {
    return "DEFERRED-0010: deferred.handler.url makes tasks HTTP targets, which need an OIDC"
        + " token: set deferred.oidc.service-account to the service account Cloud Tasks creates"
        + " tokens for (it needs roles/iam.serviceAccountUser and the handler's invoker role)";
  }

  public static String configurationInvalid(Collection<String> problems) {
    return "DEFERRED-0011: Deferred's configuration is invalid:\n  "
        + String.join("\n  ", problems);
  }

  public static String embeddedWithoutEmulator() {
    return "DEFERRED-0012: Embedded mode runs the Cloud Tasks emulator in the application, but"
        + " dev.deferred:deferred-emulator is not on the class path: add it as a dependency, or"
        + " set deferred.mode=emulator (with deferred.emulator.host) or deferred.mode=cloud";
  }

  public static String missingEmulatorJwksUrl() {
    return "DEFERRED-0013: deferred.mode=emulator needs the emulator's key set to verify the OIDC"
        + " tokens of its tasks: set deferred.emulator.jwks-url=http://HOST:HTTP_PORT/oauth2/v3/certs"
        + " (the emulator prints its HTTP port at startup)";
  }

  /**
   * The one INFO line at startup. Names where things are, never a key or a token.
   *
   * @param mode the mode's configuration value
   * @param cloudTasks where Cloud Tasks is, e.g. "the emulator embedded at ..."
   * @param queues what was done to the configured queues
   * @param tasks where tasks are sent
   * @param stores the payload and failure stores
   */
  public static String startupSummary(
      String mode,
      String project,
      String location,
      String cloudTasks,
      String queues,
      String tasks,
      String stores) {
    return "DEFERRED-0020: Deferred started in "
        + mode
        + " mode (project "
        + project
        + ", location "
        + location
        + "); Cloud Tasks: "
        + cloudTasks
        + "; queues: "
        + queues
        + "; tasks are sent to "
        + tasks
        + "; "
        + stores;
  }

  public static String embeddedByDefaultWithoutEmulator() {
    return "DEFERRED-0030: No deferred.mode is set and no Google Cloud platform was detected (App"
        + " Engine, Cloud Run, GKE), so Deferred would run in embedded mode, but"
        + " dev.deferred:deferred-emulator is not on the class path: in production set"
        + " deferred.mode=cloud (with deferred.project and deferred.location); for an external"
        + " emulator set deferred.mode=emulator; for local development add the emulator dependency";
  }

  public static String embeddedModeStarted(String source) {
    return "DEFERRED-0031: Deferred runs in embedded mode (chosen by "
        + source
        + "): the Cloud Tasks emulator runs inside this application, and its queues, tasks and"
        + " large payloads are kept in memory and lost when the application stops. Use it for"
        + " development and tests only; in production set deferred.mode=cloud";
  }

  public static String emulatorModeWithInMemoryStores() {
    return "DEFERRED-0032: Emulator mode without a Datastore emulator: large payloads and failure"
        + " records are kept in this application's memory, but the external emulator outlives"
        + " redeploys and may deliver to another instance, where a large task's payload is"
        + " missing. Set deferred.datastore.emulator-host (or DATASTORE_EMULATOR_HOST) to keep them"
        + " in the Datastore emulator";
  }

  // 01xx deployment validation

  public static String deferredMethodProblem(String method, String problem, String fix) {
    return "DEFERRED-0101: @Deferred method " + method + " " + problem + ": " + fix;
  }

  public static String unknownQueue(String where, String queue, Collection<String> configured) {
    return "DEFERRED-0102: "
        + where
        + " uses queue '"
        + queue
        + "', which is not configured: add deferred.queues."
        + queue
        + ".rate-per-second (or another deferred.queues."
        + queue
        + ".* key) to microprofile-config.properties. Configured queues: "
        + String.join(", ", configured);
  }

  public static String invalidAnnotationValue(
      String method, String member, String value, String why) {
    return "DEFERRED-0103: @Deferred method "
        + method
        + " has an invalid "
        + member
        + " '"
        + value
        + "': "
        + why;
  }

  // 02xx call site

  public static String argumentNotEncodable(
      String method, int index, String name, String type, String reason) {
    return "DEFERRED-0201: Cannot defer "
        + method
        + ": argument "
        + index
        + (name == null ? "" : " (" + name + ")")
        + " of type "
        + type
        + " "
        + reason;
  }

  public static String payloadTooLarge(String method, int bytes, int limit) {
    return "DEFERRED-0202: Cannot defer "
        + method
        + " as a small task: its payload has "
        + bytes
        + " bytes, more than deferred.small-task.max-bytes="
        + limit
        + ". Pass smaller arguments (e.g. an id instead of the data), or drop smallTask() so the"
        + " payload goes to the payload store";
  }

  public static String qualifierNotEncodable(String qualifier, String reason) {
    return "DEFERRED-0203: Qualifier "
        + qualifier
        + " cannot travel in a task payload: "
        + reason
        + ". Use qualifier members of primitive, String, enum or Class types (or arrays of them)";
  }

  public static String notOneCall(String beanType, int calls) {
    return "DEFERRED-0204: The lambda passed to Deferrer.defer must call exactly one method of "
        + beanType
        + ", it called "
        + calls
        + ": write it as bean -> bean.method(arguments)";
  }

  public static String noUniqueBean(String beanType, String qualifiers, int found) {
    return "DEFERRED-0205: Cannot defer a call to "
        + beanType
        + " with qualifiers "
        + qualifiers
        + ": "
        + (found == 0 ? "no bean" : found + " beans")
        + " match, exactly one is needed when the task runs. "
        + (found == 0
            ? "Make it a CDI bean (e.g. @ApplicationScoped) or pass the qualifiers of the bean with"
                + " DeferOptions.qualifiers(...)"
            : "Pass a qualifier with DeferOptions.qualifiers(...) that selects one of them");
  }

  public static String notProxyable(String beanType, String reason) {
    return "DEFERRED-0206: Cannot record a call on "
        + beanType
        + ": "
        + reason
        + ". Defer through an interface the bean implements, or make the class proxyable"
        + " (non-final, with a non-private no-argument constructor)";
  }

  public static String transactionRequired(String call) {
    return "DEFERRED-0207: "
        + call
        + " asks for a transactional defer, but no JTA transaction is active: call it inside a"
        + " transaction, or drop transactional(true) / Transaction.AFTER_COMMIT";
  }

  public static String queueNotConfigured(String queue, Collection<String> configured) {
    return "DEFERRED-0208: Queue '"
        + queue
        + "' is not configured: add deferred.queues."
        + queue
        + ".rate-per-second to microprofile-config.properties. Configured queues: "
        + String.join(", ", configured);
  }

  public static String entityWithoutEntityManager(String method, int index, String type) {
    return "DEFERRED-0209: Cannot defer "
        + method
        + ": argument "
        + index
        + " is the JPA entity "
        + type
        + ", which travels as a reference, but no CDI bean of type EntityManager exists to read its"
        + " id: produce one (@Produces @PersistenceContext EntityManager em;), or pass the id"
        + " instead of the entity";
  }

  public static String deferInDoomedTransaction(String call) {
    return "DEFERRED-0215: "
        + call
        + " was deferred in a transaction marked rollback-only: it will never be enqueued, and"
        + " nothing was stored; the task is DROPPED";
  }

  public static String transactionClosed(String call, String reason) {
    return "DEFERRED-0216: "
        + call
        + " asks for a transactional defer, but the transaction takes no more synchronizations ("
        + reason
        + "); nothing was stored or enqueued: defer before the transaction starts to complete, or"
        + " use transactional(false)";
  }

  public static String scheduleTooFar(String call, String schedule) {
    return "DEFERRED-0217: Cannot defer "
        + call
        + ": its "
        + schedule
        + " is more than 720 hours (30 days) ahead, which Cloud Tasks refuses: schedule it"
        + " within 30 days, or defer a task that defers again later";
  }

  public static String payloadStoreFailed(String call, int bytes, int limit, String reason) {
    return "DEFERRED-0218: Cannot defer "
        + call
        + ": its payload of "
        + bytes
        + " bytes is over deferred.small-task.max-bytes ("
        + limit
        + ") and the payload store could not keep it ("
        + reason
        + "); nothing was enqueued";
  }

  // 03xx enqueue

  public static String handlerAddressBeforeStart(String address) {
    return "DEFERRED-0312: A task was deferred before the application had started, so the handler"
        + " address "
        + address
        + " was derived without the application's context path; if the application is not at the"
        + " root, set deferred.handler.url, or defer from an observer of"
        + " @Initialized(ApplicationScoped.class) or later";
  }

  public static String enqueueFailed(String queue, String task, String reason) {
    return "DEFERRED-0301: Could not create task "
        + (task == null ? "(automatic name)" : "'" + task + "'")
        + " on queue '"
        + queue
        + "': "
        + reason;
  }

  public static String enqueueAfterCommitFailed(String queue, String task, String recreate) {
    return "DEFERRED-0302: The transaction committed but task "
        + (task == null ? "(automatic name)" : "'" + task + "'")
        + " could not be created on queue '"
        + queue
        + "'; it is lost unless re-created. To re-create it, create this task: "
        + recreate;
  }

  public static String duplicateAfterCommit(String queue, String task) {
    return "DEFERRED-0303: Task '"
        + task
        + "' on queue '"
        + queue
        + "' was not created after commit: a task with that name exists or existed within the"
        + " last hour";
  }

  public static String transactionOutcomeUnknown(
      String queue, String task, int status, String recreate) {
    return "DEFERRED-0310: The transaction ended with an unknown outcome (JTA status "
        + status
        + ", a heuristic decision), so task "
        + (task == null ? "(automatic name)" : "'" + task + "'")
        + " was not created on queue '"
        + queue
        + "'. If the transaction's changes were committed, re-create it: "
        + recreate;
  }

  public static String shutDown() {
    return "DEFERRED-0311: Deferred has shut down with the application: the Cloud Tasks connection is"
        + " closed and is not reopened";
  }

  public static String queueSetupFailed(String queue, String reason) {
    return "DEFERRED-0304: Could not create or update queue '"
        + queue
        + "' at startup ("
        + reason
        + "); the application starts anyway, tasks for this queue fail until it exists";
  }

  // 04xx handler

  public static String taskFailed(String task, String method, int retry) {
    return "DEFERRED-0401: Task "
        + task
        + " ("
        + method
        + ") failed on attempt "
        + (retry + 1)
        + "; Cloud Tasks will retry it";
  }

  public static String permanentFailure(String task, String method, String message) {
    return "DEFERRED-0402: Task "
        + task
        + " ("
        + method
        + ") failed permanently: "
        + message
        + "; it will not be retried and is recorded in the failure store";
  }

  public static String retryLimitReached(String task, String method, String limit) {
    return "DEFERRED-0403: Task "
        + task
        + " ("
        + method
        + ") gave up: "
        + limit
        + "; it is recorded in the failure store";
  }

  public static String undecodable(String task, String reason) {
    return "DEFERRED-0404: Task "
        + task
        + " has a payload that cannot be decoded ("
        + reason
        + "); retrying cannot help, so it is acknowledged and recorded in the failure store";
  }

  public static String payloadStoreUnavailable(String task, String key, String reason) {
    return "DEFERRED-0411: Task "
        + task
        + " could not read its stored payload '"
        + key
        + "' ("
        + reason
        + "); answering 503 so that Cloud Tasks retries it, the payload is kept";
  }

  public static String decodingFailed(String task, String reason) {
    return "DEFERRED-0412: Task "
        + task
        + " could not be decoded ("
        + reason
        + "), for a reason other than its payload; Cloud Tasks will retry it";
  }

  public static String failureNotRecorded(String task, String reason) {
    return "DEFERRED-0413: Task "
        + task
        + " ended for good, but its failure could not be recorded in the failure store ("
        + reason
        + "); answering 500 so that Cloud Tasks delivers it again instead of losing it, the"
        + " stored payload is kept";
  }

  public static String noEntityManagerForTask(String entityType) {
    return "DEFERRED-0415: A task has an argument of the JPA entity "
        + entityType
        + ", which travels as a reference, but no CDI bean of type EntityManager exists to load it:"
        + " produce one (@Produces @PersistenceContext EntityManager em;); the task is retried";
  }

  public static String payloadNotDeleted(String key, String reason) {
    return "DEFERRED-0414: Could not delete stored payload '"
        + key
        + "' of a finished task ("
        + reason
        + "); it stays in the payload store until deleted by hand";
  }

  public static String unknownTarget(String task, String reason, int retry, int limit) {
    return "DEFERRED-0405: Task "
        + task
        + " names code this deployment does not have ("
        + reason
        + "); retrying (attempt "
        + (retry + 1)
        + " of "
        + limit
        + ") in case a newer version of the application is being rolled out";
  }

  public static String unknownTargetGaveUp(String task, String reason, int limit) {
    return "DEFERRED-0406: Task "
        + task
        + " names code this deployment does not have ("
        + reason
        + ") after "
        + limit
        + " attempts; it is recorded in the failure store";
  }

  public static String rejected(String reason) {
    return "DEFERRED-0407: Refused a task request (403): " + reason;
  }

  public static String taskOnlyUnverified(String method) {
    return "DEFERRED-0426: Refused a call of @TaskOnly method "
        + method
        + " (403): the request was not verified as coming from Cloud Tasks. If this was an HTTP"
        + " request, the library's filter dev.deferred.impl.handler.TaskOnlyFilter did not run:"
        + " add it to the classes (getClasses()) of the application's jakarta.ws.rs.core.Application";
  }

  public static String refusalsNotLogged(long count, int perMinute) {
    return "(DEFERRED-0427: "
        + count
        + " more refused requests were logged only at FINE level: at most "
        + perMinute
        + " refusals a minute are logged as warnings)";
  }

  public static String badSignature() {
    return "DEFERRED-0408: Refused a task request (403): its payload signature does not match any"
        + " key in deferred.signing.keys (a forged or tampered request, or an application with"
        + " other keys sent it)";
  }

  public static String bodyTooLarge(String length, long limit) {
    return "DEFERRED-0420: Refused a task request (413): its body is "
        + length
        + " bytes, more than the "
        + limit
        + " bytes a Cloud Tasks task can carry (payloads above deferred.small-task.max-bytes"
        + " travel through the payload store)";
  }

  public static String bodyUnreadable(String reason) {
    return "DEFERRED-0421: Refused a task request (400): its body could not be read: " + reason;
  }

  public static String wrongQueue(String task, String signedQueue) {
    return "DEFERRED-0422: Refused task "
        + task
        + ": its payload was signed for queue '"
        + signedQueue
        + "' (a signed body copied into a task of another queue); recorded, not run";
  }

  public static String signatureExpired(String task, java.time.Instant expiresAt, Object now) {
    return "DEFERRED-0423: Refused task "
        + task
        + ": its payload signature expired at "
        + expiresAt
        + " (now "
        + now
        + "); deferred.signing.lifetime bounds how long after its schedule time a task may run;"
        + " recorded, not run";
  }

  public static String storedPayloadChanged(String task, String key) {
    return "DEFERRED-0424: Refused task "
        + task
        + ": stored payload '"
        + key
        + "' is not the one its signed body names (its SHA-256 differs), so something other than"
        + " this library wrote the payload store; recorded, not run, the stored payload kept for"
        + " inspection";
  }

  public static String notATaskTarget(String beanType, String method, String reason) {
    return "DEFERRED-0425: "
        + beanType
        + "."
        + method
        + " may not run as a task: "
        + reason
        + "; a task calls only what a call site can defer: non-private, non-static, non-final"
        + " methods of the application's beans";
  }

  public static String singularFailure(String task, String message) {
    return "DEFERRED-0409: Task " + task + " asked for a retry: " + message;
  }

  public static String payloadMissing(String task, String key) {
    return "DEFERRED-0410: Task "
        + task
        + " refers to stored payload '"
        + key
        + "', which is not in the payload store (already run and deleted, or lost)";
  }
}
