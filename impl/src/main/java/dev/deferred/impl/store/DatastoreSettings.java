package dev.deferred.impl.store;

import com.google.cloud.NoCredentials;
import com.google.cloud.datastore.Datastore;
import com.google.cloud.datastore.DatastoreOptions;
import java.util.Optional;
import java.util.function.Function;

/**
 * Where the Datastore-backed stores keep their entities. See {@code docs/configuration-stores.md}
 * for the configuration keys.
 *
 * @param projectId the Google Cloud project
 * @param namespace the Datastore namespace, or empty for the default namespace
 * @param emulatorHost {@code host:port} of a Datastore emulator, or empty for the real service
 * @param maxPayloadBytes the largest payload the payload store accepts
 */
public record DatastoreSettings(
    String projectId,
    Optional<String> namespace,
    Optional<String> emulatorHost,
    long maxPayloadBytes) {

  /** Configuration key of the project id. */
  public static final String PROJECT = "deferred.datastore.project";

  /** Configuration key of the namespace. */
  public static final String NAMESPACE = "deferred.datastore.namespace";

  /** Configuration key of the emulator host. */
  public static final String EMULATOR_HOST = "deferred.datastore.emulator-host";

  /** Configuration key of the payload size limit. */
  public static final String MAX_PAYLOAD_BYTES = "deferred.datastore.max-payload-bytes";

  /** The environment variable the Google tools use for the emulator host. */
  public static final String EMULATOR_HOST_ENV = "DATASTORE_EMULATOR_HOST";

  public DatastoreSettings {
    if (projectId == null || projectId.isBlank()) {
      throw new IllegalArgumentException(StoreMessages.noProject());
    }
    namespace = namespace.filter(s -> !s.isBlank());
    emulatorHost = emulatorHost.filter(s -> !s.isBlank());
    if (maxPayloadBytes < DatastorePayloadStore.CHUNK_BYTES) {
      throw new IllegalArgumentException(
          StoreMessages.invalidMaxPayload(maxPayloadBytes, DatastorePayloadStore.CHUNK_BYTES));
    }
  }

  /**
   * Settings with the default payload limit, {@link
   * DatastorePayloadStore#DEFAULT_MAX_PAYLOAD_BYTES}.
   */
  public DatastoreSettings(
      String projectId, Optional<String> namespace, Optional<String> emulatorHost) {
    this(projectId, namespace, emulatorHost, DatastorePayloadStore.DEFAULT_MAX_PAYLOAD_BYTES);
  }

  /**
   * Reads the settings. The project is the first of {@value #PROJECT}, {@code deferred.project},
   * the environment's {@code DATASTORE_PROJECT_ID} (set by {@code gcloud beta emulators datastore
   * env-init}) and {@code GOOGLE_CLOUD_PROJECT}; the emulator host is {@value #EMULATOR_HOST} or
   * else {@value #EMULATOR_HOST_ENV}.
   *
   * @param config looks up a configuration value, e.g. {@code k -> config.getOptionalValue(k,
   *     String.class)}
   * @param env looks up an environment variable, e.g. {@code System::getenv}
   * @return the settings
   * @throws IllegalArgumentException if no project is found, naming the keys to set, or a value is
   *     invalid
   */
  public static DatastoreSettings fromConfig(
      Function<String, Optional<String>> config, Function<String, String> env) {
    String project =
        config
            .apply(PROJECT)
            .or(() -> config.apply("deferred.project"))
            .or(() -> Optional.ofNullable(env.apply("DATASTORE_PROJECT_ID")))
            .or(() -> Optional.ofNullable(env.apply("GOOGLE_CLOUD_PROJECT")))
            .orElse(null);
    Optional<String> emulator =
        config.apply(EMULATOR_HOST).or(() -> Optional.ofNullable(env.apply(EMULATOR_HOST_ENV)));
    long maxPayload =
        config
            .apply(MAX_PAYLOAD_BYTES)
            .map(value -> parseBytes(value))
            .orElse(DatastorePayloadStore.DEFAULT_MAX_PAYLOAD_BYTES);
    return new DatastoreSettings(project, config.apply(NAMESPACE), emulator, maxPayload);
  }

  private static long parseBytes(String value) {
    try {
      return Long.parseLong(value.strip());
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(StoreMessages.notANumber(MAX_PAYLOAD_BYTES, value), e);
    }
  }

  /**
   * Whether a Datastore emulator is configured, through {@value #EMULATOR_HOST} or {@value
   * #EMULATOR_HOST_ENV}.
   */
  public static boolean emulatorConfigured(
      Function<String, Optional<String>> config, Function<String, String> env) {
    return config
        .apply(EMULATOR_HOST)
        .or(() -> Optional.ofNullable(env.apply(EMULATOR_HOST_ENV)))
        .filter(s -> !s.isBlank())
        .isPresent();
  }

  /**
   * Creates a client over the HTTP transport. (The gRPC transport of this client version ignores
   * the emulator host and reaches the real service.) The caller owns the client and closes it.
   */
  public Datastore createDatastore() {
    DatastoreOptions.Builder builder =
        DatastoreOptions.newBuilder().setProjectId(projectId).setNamespace(namespace.orElse(""));
    emulatorHost.ifPresent(
        host ->
            builder
                .setHost(host.contains("://") ? host : "http://" + host)
                .setCredentials(NoCredentials.getInstance()));
    return builder.build().getService();
  }

  /** A payload store with these settings' limit, using {@code datastore}. */
  public DatastorePayloadStore payloadStore(Datastore datastore) {
    return new DatastorePayloadStore(datastore, maxPayloadBytes);
  }
}
