package dev.deferred.impl;

import dev.deferred.impl.client.CloudTasksConnection;
import dev.deferred.impl.client.CloudTasksSender;
import dev.deferred.impl.client.HandlerAddress;
import dev.deferred.impl.client.QueueSetup;
import dev.deferred.impl.codec.EntityReferences;
import dev.deferred.impl.codec.JpaEntityReferences;
import dev.deferred.impl.codec.PayloadCodec;
import dev.deferred.impl.codec.Signer;
import dev.deferred.impl.config.DeferredConfig;
import dev.deferred.impl.config.HostEnvironment;
import dev.deferred.impl.config.Messages;
import dev.deferred.impl.config.Mode;
import dev.deferred.impl.defer.DeferEngine;
import dev.deferred.impl.handler.TaskHandler;
import dev.deferred.impl.handler.security.CloudTasksAuthenticator;
import dev.deferred.impl.handler.security.CloudTasksAuthenticators;
import dev.deferred.impl.handler.security.JwksKeySource;
import dev.deferred.impl.handler.security.OidcSettings;
import dev.deferred.impl.handler.security.TaskOnlyAuthenticators;
import dev.deferred.impl.operations.FirstAttempts;
import dev.deferred.impl.operations.SigningFailureStore;
import dev.deferred.impl.operations.TaskCounters;
import dev.deferred.impl.operations.TaskObserver;
import dev.deferred.impl.store.FailureStore;
import dev.deferred.impl.store.MarkerStore;
import dev.deferred.impl.store.PayloadStore;
import dev.deferred.impl.store.Stores;
import dev.deferred.impl.transaction.JtaTransactionSupport;
import dev.deferred.impl.transaction.TransactionSupport;
import jakarta.annotation.PostConstruct;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Instance;
import jakarta.enterprise.inject.Produces;
import jakarta.enterprise.inject.spi.Bean;
import jakarta.enterprise.inject.spi.BeanManager;
import jakarta.inject.Inject;
import jakarta.json.bind.Jsonb;
import jakarta.json.bind.JsonbBuilder;
import java.net.URI;
import java.time.Clock;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.eclipse.microprofile.config.Config;
import org.eclipse.microprofile.config.ConfigProvider;

/**
 * The library's running parts in one application: configuration, codec, signer, stores, the Cloud
 * Tasks connection (opened once, closed at shutdown), the defer engine and the task handler.
 *
 * <p>The connection opens at application start ({@link DeferredStartup}), or at the first defer if
 * that comes earlier; the handler URL needs the context path, which only the start event tells.
 *
 * <p>The library's other beans get these parts by injection, qualified {@link Library}: this class
 * builds them and produces them (its producer methods are its only accessors, and none is public),
 * and nothing looks them up here.
 */
@ApplicationScoped
public class DeferredRuntime {
  private static final Logger LOG = Logger.getLogger(DeferredRuntime.class.getName());

  @Inject BeanManager beanManager;
  @Inject HostEnvironment host;
  @Inject Instance<PayloadStore> payloadStores;
  @Inject Instance<FailureStore> failureStores;
  // Produced by the telemetry integration when it is registered; none otherwise.
  @Inject Instance<TaskObserver> observers;
  @Inject Instance<MarkerStore> markerStores;
  // The library's own counters (TaskCounts), fed whether or not telemetry is there.
  @Inject TaskCounters counters;

  private DeferredConfig config;
  private Clock clock;
  private ClassLoader loader;
  private Signer signer;
  private PayloadCodec codec;
  private PayloadStore payloads;
  private FailureStore failures;
  private MarkerStore markers;
  private DeferEngine engine;
  private int httpPort;
  private volatile String contextPath = "";
  private volatile HandlerAddress address;
  private volatile CloudTasksConnection connection;
  private volatile boolean closed;
  private volatile boolean started;
  private volatile TaskHandler handler;
  private volatile QueueSetup.Outcome queueOutcome;
  private Jsonb jsonb;
  private Stores stores;
  private JwksKeySource keySource;
  private final java.util.Map<String, CloudTasksAuthenticator> authenticators =
      new java.util.HashMap<>();

  @PostConstruct
  void init() {
    Config mpConfig = ConfigProvider.getConfig();
    config = DeferredConfig.read(mpConfig, host::variable);
    if (!config.problems().isEmpty()) {
      // The extension fails the deployment first; this guards direct use.
      throw new IllegalStateException(Messages.configurationInvalid(config.problems()));
    }
    clock = host.clock();
    loader = Thread.currentThread().getContextClassLoader();
    if (loader == null) {
      loader = DeferredRuntime.class.getClassLoader();
    }
    httpPort =
        mpConfig
            .getOptionalValue("default.http.port", Integer.class)
            .orElse(HandlerAddress.DEFAULT_HTTP_PORT);
    signer = config.signingKeys().isEmpty() ? Signer.random() : new Signer(config.signingKeys());
    jsonb = JsonbBuilder.create();
    codec = new PayloadCodec(jsonb, entityReferences(), config.signingLifetime());
    openStores(mpConfig);
    counters.declare(config.queues().keySet());
    engine =
        new DeferEngine(
            config,
            codec,
            signer,
            payloads,
            () -> new CloudTasksSender(connection().client(), config, this::address, clock),
            transactionSupport(),
            clock,
            observer());
  }

  /**
   * Stores by mode (see {@link Stores#select}): Datastore in cloud mode and whenever a Datastore
   * emulator is configured, in memory otherwise. A CDI bean of type PayloadStore, FailureStore or
   * MarkerStore, if the application has one, wins.
   */
  private void openStores(Config mpConfig) {
    if (!(payloadStores.isResolvable()
        && failureStores.isResolvable()
        && markerStores.isResolvable())) {
      stores =
          Stores.select(
              config.mode() == Mode.CLOUD,
              config.storeMaxBytes(),
              k -> mpConfig.getOptionalValue(k, String.class),
              host::variable);
    }
    payloads = payloadStores.isResolvable() ? payloadStores.get() : stores.payloads();
    failures = failureStores.isResolvable() ? failureStores.get() : stores.failures();
    // Signed records are what FailedTasks may send again.
    failures =
        new SigningFailureStore(
            failures,
            signer,
            new FirstAttempts(() -> connection().client(), config.project(), config.location()));
    markers = markerStores.isResolvable() ? markerStores.get() : stores.markers();
    if (config.mode() == Mode.EMULATOR && !payloadStores.isResolvable() && !stores.shared()) {
      // Warned, not refused: small tasks work, and local development should not need Datastore.
      LOG.warning(Messages.emulatorModeWithInMemoryStores());
    }
  }

  private TaskObserver observer() {
    return TaskObserver.both(
        counters.observer(), observers.isResolvable() ? observers.get() : TaskObserver.NONE);
  }

  /** Called once at application start with the context path ({@code ""} for the root). */
  void start(String contextPath) {
    this.contextPath = contextPath == null ? "" : contextPath;
    this.address = null;
    started = true;
    CloudTasksConnection c = connection();
    LOG.info(
        StartupSummary.message(
            config,
            c,
            address(),
            Optional.ofNullable(queueOutcome),
            payloads,
            SigningFailureStore.unwrap(failures)));
  }

  /** Whether {@link #start} has run, so that the handler URL has the context path. */
  boolean started() {
    return started;
  }

  @Produces
  @Library
  DeferredConfig config() {
    return config;
  }

  @Produces
  @Library
  DeferEngine engine() {
    return engine;
  }

  @Produces
  @Library
  PayloadStore payloadStore() {
    return payloads;
  }

  @Produces
  @Library
  FailureStore failureStore() {
    return failures;
  }

  /** The iteration marker store. */
  @Produces
  @Library
  MarkerStore markerStore() {
    return markers;
  }

  /** Where tasks are sent. */
  @Produces
  @Library
  HandlerAddress address() {
    HandlerAddress a = address;
    if (a == null) {
      a = HandlerAddress.resolve(config, contextPath, httpPort);
      if (!started && config.handlerUrl().isEmpty()) {
        // Before the start event the context path is unknown: say so rather than 404 quietly.
        LOG.warning(
            Messages.handlerAddressBeforeStart(a.url().map(Object::toString).orElse(a.path())));
      }
      address = a;
    }
    return a;
  }

  /**
   * The open connection, opening it (and the embedded emulator) on first use.
   *
   * @throws IllegalStateException once the application has begun to shut down: a connection (or an
   *     emulator) opened then would never be closed
   */
  @Produces
  @Library
  CloudTasksConnection connection() {
    CloudTasksConnection c = connection;
    if (c == null) {
      synchronized (this) {
        if (closed) {
          throw new IllegalStateException(Messages.shutDown());
        }
        c = connection;
        if (c == null) {
          c = CloudTasksConnection.open(config, loader);
          if (config.createQueues() && config.mode() != Mode.EMBEDDED) {
            // The embedded emulator was started with the queues already declared.
            queueOutcome = QueueSetup.sync(c.client(), config);
          }
          connection = c;
        }
      }
    }
    return c;
  }

  /** The task handler, built once the connection (and so the emulator's keys) exists. */
  @Produces
  @Library
  TaskHandler handler() {
    TaskHandler h = handler;
    if (h == null) {
      synchronized (this) {
        h = handler;
        if (h == null) {
          h =
              new TaskHandler(
                  authenticator(address().audience(config), false),
                  signer,
                  codec,
                  payloads,
                  failures,
                  beanManager,
                  loader,
                  clock,
                  observer(),
                  queue -> TaskHandler.lastAttempt(config.queues().get(queue)));
          handler = h;
        }
      }
    }
    return h;
  }

  /**
   * The authenticator for requests to a route of this application ({@code @TaskOnly} endpoints):
   * see {@link HandlerAddress#audienceForRoute}. App Engine cron requests count as well, unless
   * {@code deferred.task-only.accept-cron} is false. One per audience; bounded, since the route
   * comes from the request; all share one key source.
   *
   * @param route the requested raw path and, if any, {@code ?} and the raw query
   */
  CloudTasksAuthenticator taskOnlyAuthenticator(String route) {
    String audience = address().audienceForRoute(config, route);
    synchronized (authenticators) {
      CloudTasksAuthenticator a = authenticators.get(audience);
      if (a == null) {
        if (authenticators.size() >= 64) {
          authenticators.clear();
        }
        a = authenticator(audience, config.taskOnlyAcceptCron());
        authenticators.put(audience, a);
      }
      return a;
    }
  }

  /** {@link #taskOnlyAuthenticator} for the {@code @TaskOnly} filter. */
  @Produces
  @Library
  TaskOnlyAuthenticators taskOnlyAuthenticators() {
    return this::taskOnlyAuthenticator;
  }

  private CloudTasksAuthenticator authenticator(String audience, boolean acceptCron) {
    String account = config.oidcServiceAccount();
    JwksKeySource keys = keySource();
    return switch (config.mode()) {
      case CLOUD ->
          CloudTasksAuthenticators.cloud(
              OidcSettings.google(audience, account), host::variable, keys, clock, acceptCron);
      case EMULATOR ->
          CloudTasksAuthenticators.emulator(OidcSettings.google(audience, account), keys, clock);
      case EMBEDDED ->
          CloudTasksAuthenticators.emulator(
              new OidcSettings(
                  audience,
                  account,
                  Set.of(connection().emulator().orElseThrow().oidcIssuer()),
                  OidcSettings.DEFAULT_CLOCK_SKEW),
              keys,
              clock);
    };
  }

  /** One key source per application, so every authenticator shares its cache of signing keys. */
  private synchronized JwksKeySource keySource() {
    if (keySource == null) {
      URI jwks =
          switch (config.mode()) {
            case CLOUD -> JwksKeySource.GOOGLE_JWKS_URI;
            case EMULATOR -> config.emulatorJwksUrl().orElseThrow();
            case EMBEDDED -> connection().emulator().orElseThrow().jwksUri();
          };
      keySource = new JwksKeySource(jwks, clock);
    }
    return keySource;
  }

  private EntityReferences entityReferences() {
    if (!present("jakarta.persistence.EntityManager")) {
      return EntityReferences.NONE;
    }
    return new JpaEntityReferences(
        () -> {
          Set<Bean<?>> beans = beanManager.getBeans(jakarta.persistence.EntityManager.class);
          if (beans.isEmpty()) {
            return null;
          }
          Bean<?> bean = beanManager.resolve(beans);
          return (jakarta.persistence.EntityManager)
              beanManager.getReference(
                  bean,
                  jakarta.persistence.EntityManager.class,
                  beanManager.createCreationalContext(bean));
        });
  }

  private TransactionSupport transactionSupport() {
    if (!present("jakarta.transaction.TransactionSynchronizationRegistry")) {
      return TransactionSupport.NONE;
    }
    return new JtaTransactionSupport(new RegistryLookup(beanManager));
  }

  private boolean present(String className) {
    try {
      Class.forName(className, false, loader);
      return true;
    } catch (ClassNotFoundException | LinkageError e) {
      return false;
    }
  }

  @PreDestroy
  void close() {
    CloudTasksConnection c;
    synchronized (this) {
      closed = true;
      c = connection;
      connection = null;
    }
    if (c != null) {
      c.close();
    }
    if (stores != null) {
      stores.close();
    }
    try {
      jsonb.close();
    } catch (Exception e) {
      LOG.log(Level.FINE, "Closing JSON-B failed", e);
    }
  }

  /**
   * Finds the transaction synchronization registry: as a CDI bean (Narayana's CDI extension, some
   * servers), else in JNDI at its standard name (every Jakarta EE server). {@link
   * JtaTransactionSupport} keeps the first registry found and looks again until it finds one, so a
   * server that binds it late is still found.
   */
  private static final class RegistryLookup
      implements Supplier<jakarta.transaction.TransactionSynchronizationRegistry> {
    private final BeanManager beanManager;

    RegistryLookup(BeanManager beanManager) {
      this.beanManager = beanManager;
    }

    @Override
    public jakarta.transaction.TransactionSynchronizationRegistry get() {
      Set<Bean<?>> beans =
          beanManager.getBeans(jakarta.transaction.TransactionSynchronizationRegistry.class);
      if (!beans.isEmpty()) {
        Bean<?> bean = beanManager.resolve(beans);
        return (jakarta.transaction.TransactionSynchronizationRegistry)
            beanManager.getReference(
                bean,
                jakarta.transaction.TransactionSynchronizationRegistry.class,
                beanManager.createCreationalContext(bean));
      }
      try {
        return (jakarta.transaction.TransactionSynchronizationRegistry)
            new javax.naming.InitialContext()
                .lookup("java:comp/TransactionSynchronizationRegistry");
      } catch (javax.naming.NamingException | RuntimeException e) {
        return null;
      }
    }
  }
}
