package dev.deferred.impl.store;

import com.google.cloud.datastore.Datastore;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The payload, failure and iteration marker stores of one application, chosen from the mode and the
 * configuration: Datastore in cloud mode and whenever a Datastore emulator is configured, in memory
 * otherwise. Closing it closes the Datastore client, if one was opened.
 */
public final class Stores implements AutoCloseable {

  /** The configuration keys this package reads, for the startup check of unknown keys. */
  public static final List<String> CONFIG_KEYS =
      List.of(
          DatastoreSettings.PROJECT,
          DatastoreSettings.NAMESPACE,
          DatastoreSettings.EMULATOR_HOST,
          DatastoreSettings.MAX_PAYLOAD_BYTES);

  private static final Logger LOG = Logger.getLogger(Stores.class.getName());

  private final PayloadStore payloads;
  private final FailureStore failures;
  private final MarkerStore markers;
  private final Datastore datastore;

  private Stores(
      PayloadStore payloads, FailureStore failures, MarkerStore markers, Datastore datastore) {
    this.payloads = payloads;
    this.failures = failures;
    this.markers = markers;
    this.datastore = datastore;
  }

  /**
   * Chooses and opens the stores.
   *
   * @param cloud whether the application runs in cloud mode, where instances share nothing but
   *     external stores
   * @param inMemoryMaxBytes the bound of the in-memory payload store, if that is chosen
   * @param config looks up a configuration value
   * @param env looks up an environment variable
   * @return the stores
   * @throws IllegalArgumentException if Datastore is chosen but its settings are incomplete or
   *     invalid, with a message that names the key to set
   */
  public static Stores select(
      boolean cloud,
      long inMemoryMaxBytes,
      Function<String, Optional<String>> config,
      Function<String, String> env) {
    if (cloud || DatastoreSettings.emulatorConfigured(config, env)) {
      DatastoreSettings settings = DatastoreSettings.fromConfig(config, env);
      Datastore datastore = settings.createDatastore();
      return new Stores(
          settings.payloadStore(datastore),
          new DatastoreFailureStore(datastore),
          new DatastoreMarkerStore(datastore),
          datastore);
    }
    return inMemory(inMemoryMaxBytes);
  }

  /** In-memory stores, for embedded mode and tests. */
  public static Stores inMemory(long inMemoryMaxBytes) {
    return new Stores(
        new InMemoryPayloadStore(inMemoryMaxBytes),
        new InMemoryFailureStore(),
        new InMemoryMarkerStore(),
        null);
  }

  public PayloadStore payloads() {
    return payloads;
  }

  public FailureStore failures() {
    return failures;
  }

  /** The iteration marker store, of the same kind as the other two. */
  public MarkerStore markers() {
    return markers;
  }

  /** Whether the stores are shared through Datastore (rather than held in this JVM). */
  public boolean shared() {
    return datastore != null;
  }

  @Override
  public void close() {
    if (datastore == null) {
      return;
    }
    try {
      datastore.close();
    } catch (Exception e) {
      // The HTTP transport of google-cloud-datastore 2.37 does not implement close() and throws;
      // it holds no resources that outlive the application, so this is not worth a warning.
      LOG.log(Level.FINE, "Closing the Datastore client failed", e);
    }
  }
}
