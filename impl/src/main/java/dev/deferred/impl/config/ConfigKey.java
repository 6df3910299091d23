package dev.deferred.impl.config;

import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * Every fixed {@code deferred.*} key: the single table that startup validation, unknown-key
 * suggestions and the README's configuration reference agree on (a test checks the README). Queue
 * keys ({@code deferred.queues.<name>.*}) are in {@link QueueKey}.
 */
public enum ConfigKey {
  MODE("deferred.mode", "embedded | emulator | cloud", "detected"),
  PROJECT("deferred.project", "string", "GOOGLE_CLOUD_PROJECT, else deferred-local outside cloud"),
  LOCATION("deferred.location", "string", "required in cloud mode; us-central1 otherwise"),
  EMULATOR_HOST("deferred.emulator.host", "host:port", "CLOUD_TASKS_EMULATOR_HOST"),
  EMULATOR_JWKS_URL("deferred.emulator.jwks-url", "URL", "required in emulator mode"),
  EMULATOR_HTTP_PORT("deferred.emulator.http-port", "int", "0, a free port"),
  HANDLER_PATH("deferred.handler.path", "path", "/_ah/queue/deferred"),
  HANDLER_URL("deferred.handler.url", "URL", "derived"),
  OIDC_SERVICE_ACCOUNT("deferred.oidc.service-account", "email", "deferred@PROJECT.iam..."),
  OIDC_AUDIENCE("deferred.oidc.audience", "string", "the handler URL"),
  TASK_ONLY_ACCEPT_CRON("deferred.task-only.accept-cron", "boolean", "true"),
  SIGNING_KEYS("deferred.signing.keys", "list of base64 keys", "random per process in embedded"),
  SIGNING_LIFETIME("deferred.signing.lifetime", "duration", "32d"),
  ROUTING_SERVICE("deferred.routing.service", "string", "GAE_SERVICE"),
  ROUTING_VERSION("deferred.routing.version", "string", "GAE_VERSION"),
  ROUTING_INSTANCE("deferred.routing.instance", "string", "none"),
  SMALL_TASK_MAX_BYTES("deferred.small-task.max-bytes", "int", "90000"),
  CREATE_QUEUES("deferred.create-queues", "boolean", "true"),
  STORE_MAX_BYTES("deferred.store.max-bytes", "long", "67108864 (embedded)"),
  // Read by the stores (dev.deferred.impl.store.DatastoreSettings); listed so they are known keys.
  DATASTORE_PROJECT("deferred.datastore.project", "string", "deferred.project"),
  DATASTORE_NAMESPACE("deferred.datastore.namespace", "string", "the default namespace"),
  DATASTORE_EMULATOR_HOST(
      "deferred.datastore.emulator-host", "host:port", "DATASTORE_EMULATOR_HOST"),
  DATASTORE_MAX_PAYLOAD_BYTES("deferred.datastore.max-payload-bytes", "long", "33554432"),
  // Read by the iteration engine (dev.deferred.impl.iteration.IterationEngine).
  ITERATION_SLOW_CALLBACK("deferred.iteration.slow-callback", "duration", "30s"),
  ITERATION_PERSISTENCE_UNIT(
      "deferred.iteration.persistence-unit", "string", "the only EntityManager bean"),
  // Read by the optional console module (dev.deferred.console); listed so they are known keys.
  CONSOLE_PATH("deferred.console.path", "path", "/deferred-console"),
  CONSOLE_ROLE("deferred.console.role", "role name", "none: the console refuses every request");

  private final String key;
  private final String type;
  private final String defaultValue;

  ConfigKey(String key, String type, String defaultValue) {
    this.key = key;
    this.type = type;
    this.defaultValue = defaultValue;
  }

  public String key() {
    return key;
  }

  public String type() {
    return type;
  }

  public String defaultValue() {
    return defaultValue;
  }

  public static Optional<ConfigKey> of(String key) {
    return Arrays.stream(values()).filter(k -> k.key.equals(key)).findFirst();
  }

  public static List<String> keys() {
    return Arrays.stream(values()).map(ConfigKey::key).toList();
  }

  /** The per-queue keys, {@code deferred.queues.<name>.<suffix>}. */
  public enum QueueKey {
    RATE_PER_SECOND("rate-per-second"),
    RATE_MAX_CONCURRENT("rate-max-concurrent"),
    RETRY_MAX_ATTEMPTS("retry-max-attempts"),
    RETRY_MIN_BACKOFF("retry-min-backoff"),
    RETRY_MAX_BACKOFF("retry-max-backoff"),
    RETRY_MAX_DOUBLINGS("retry-max-doublings"),
    RETRY_MAX_DURATION("retry-max-duration");

    public static final String PREFIX = "deferred.queues.";

    private final String suffix;

    QueueKey(String suffix) {
      this.suffix = suffix;
    }

    public String suffix() {
      return suffix;
    }

    public String keyFor(String queue) {
      return PREFIX + queue + "." + suffix;
    }

    public static Optional<QueueKey> ofSuffix(String suffix) {
      return Arrays.stream(values()).filter(k -> k.suffix.equals(suffix)).findFirst();
    }
  }
}
