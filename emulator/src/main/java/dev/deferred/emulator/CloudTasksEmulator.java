package dev.deferred.emulator;

import com.google.cloud.tasks.v2.CloudTasksGrpc;
import com.google.cloud.tasks.v2.Queue;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.deferred.emulator.internal.CloudTasksService;
import dev.deferred.emulator.internal.Console;
import dev.deferred.emulator.internal.Dispatcher;
import dev.deferred.emulator.internal.EmulatorCore;
import dev.deferred.emulator.internal.Messages;
import dev.deferred.emulator.internal.OidcSigner;
import dev.deferred.emulator.internal.Settings;
import dev.deferred.emulator.internal.StrictParsing;
import dev.deferred.emulator.rest.BrowserGuard;
import dev.deferred.emulator.rest.RestGateway;
import io.grpc.Server;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.grpc.netty.shaded.io.netty.channel.EventLoopGroup;
import io.grpc.netty.shaded.io.netty.channel.nio.NioEventLoopGroup;
import io.grpc.netty.shaded.io.netty.channel.socket.nio.NioServerSocketChannel;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A running Cloud Tasks v2 emulator: a gRPC server speaking {@code
 * google.cloud.tasks.v2.CloudTasks}, an HTTP server (REST gateway under {@code /v2/}, OpenID
 * discovery and JWKS), and a dispatcher that delivers tasks to HTTP and App Engine targets with
 * Cloud Tasks' headers, rate limits, retries and OIDC tokens.
 *
 * <pre>{@code
 * try (CloudTasksEmulator emu = CloudTasksEmulator.builder()
 *     .queue("default")                                       // projects/dev-project/locations/us-central1/queues/default
 *     .appEngineTarget(URI.create("http://localhost:8080"))
 *     .start()) {
 *   CloudTasksSettings settings = CloudTasksSettings.newBuilder()
 *       .setEndpoint(emu.grpcTarget())
 *       .setCredentialsProvider(NoCredentialsProvider.create())
 *       .setTransportChannelProvider(InstantiatingGrpcChannelProvider.newBuilder()
 *           .setEndpoint(emu.grpcTarget())
 *           .setChannelConfigurator(ManagedChannelBuilder::usePlaintext)
 *           .build())
 *       .build();
 *   try (CloudTasksClient client = CloudTasksClient.create(settings)) {
 *     // create tasks; then, in a test:
 *     emu.awaitIdle(Duration.ofSeconds(10));
 *   }
 * }
 * }</pre>
 *
 * <p>Thread-safe. All state is in memory and lost on {@link #close()}. The emulator prints nothing
 * (the standalone command line prints where it listens), except one warning through {@link
 * System.Logger} when it is bound to an address that is not loopback.
 *
 * <p>The HTTP port refuses what a web page in the developer's browser could send it: writes that
 * are not {@code application/json}, requests with a foreign {@code Origin}, and, while bound to a
 * loopback address, a {@code Host} that is not a loopback name (DNS rebinding).
 */
public final class CloudTasksEmulator implements AutoCloseable {

  /** Default project of declared queues. */
  public static final String DEFAULT_PROJECT = "dev-project";

  /** Default location of declared queues. */
  public static final String DEFAULT_LOCATION = "us-central1";

  private static final System.Logger LOG = System.getLogger(CloudTasksEmulator.class.getName());

  private final Settings settings;
  private final EmulatorCore core;
  private final Dispatcher dispatcher;
  private final CloudTasksService service;
  private final OidcSigner signer;
  private final Server grpcServer;
  private final EventLoopGroup eventLoops;
  private final ExecutorService grpcExecutor;
  private final HttpServer httpServer;
  private final ExecutorService httpExecutor;
  private final String host;
  private boolean closed;

  private CloudTasksEmulator(Builder b, Settings settings) throws IOException {
    this.settings = settings;
    this.host = b.host;
    this.core = new EmulatorCore(settings);
    this.signer = new OidcSigner();
    this.dispatcher = new Dispatcher(core, signer);
    this.service = new CloudTasksService(core, dispatcher);
    core.reset();
    AtomicInteger n = new AtomicInteger();
    this.grpcExecutor =
        Executors.newFixedThreadPool(
            Math.max(4, Runtime.getRuntime().availableProcessors() * 2),
            r -> daemon(r, "cloud-tasks-emulator-grpc-" + n.incrementAndGet()));
    this.eventLoops =
        new NioEventLoopGroup(
            2, (java.util.concurrent.ThreadFactory) r -> daemon(r, "cloud-tasks-emulator-netty"));
    Server grpc = null;
    HttpServer http = null;
    ExecutorService httpExec = null;
    try {
      grpc =
          NettyServerBuilder.forAddress(new InetSocketAddress(b.host, b.grpcPort))
              .bossEventLoopGroup(eventLoops)
              .workerEventLoopGroup(eventLoops)
              .channelType(NioServerSocketChannel.class)
              .executor(grpcExecutor)
              // Above the 1 MiB task limit, so that an oversized task gets INVALID_ARGUMENT
              // with an explanation rather than a transport error.
              .maxInboundMessageSize(8 * 1024 * 1024)
              .addService(StrictParsing.wrap(service.bindService()))
              .build()
              .start();
      httpExec =
          Executors.newFixedThreadPool(4, r -> daemon(r, "cloud-tasks-emulator-http-server"));
      http = HttpServer.create(new InetSocketAddress(b.host, b.httpPort), 0);
      http.setExecutor(httpExec);
      InetAddress bound = http.getAddress().getAddress();
      BrowserGuard guard = BrowserGuard.forBinding(b.host, bound);
      http.createContext(
              "/.well-known/openid-configuration",
              ex -> json(ex, signer.discovery(jwksUri().toString())))
          .getFilters()
          .add(guard);
      http.createContext("/oauth2/v3/certs", ex -> json(ex, signer.jwks())).getFilters().add(guard);
      http.createContext("/v2/", new RestGateway(service, List.of(settings.location())))
          .getFilters()
          .add(guard);
      http.createContext("/", new Console(core)).getFilters().add(guard);
      http.start();
      if (!bound.isLoopbackAddress()) {
        LOG.log(
            System.Logger.Level.WARNING,
            Messages.exposedBinding(b.host, grpc.getPort(), http.getAddress().getPort()));
      }
    } catch (IOException | RuntimeException e) {
      if (grpc != null) {
        grpc.shutdownNow();
      }
      if (http != null) {
        http.stop(0);
      }
      if (httpExec != null) {
        httpExec.shutdownNow();
      }
      dispatcher.close();
      grpcExecutor.shutdownNow();
      eventLoops.shutdownGracefully(0, 1, TimeUnit.SECONDS);
      throw e;
    }
    this.grpcServer = grpc;
    this.httpServer = http;
    this.httpExecutor = httpExec;
  }

  private static Thread daemon(Runnable r, String name) {
    Thread t = new Thread(r, name);
    t.setDaemon(true);
    return t;
  }

  private static void json(HttpExchange ex, String body) throws IOException {
    try (ex) {
      if (!ex.getRequestMethod().equals("GET") && !ex.getRequestMethod().equals("HEAD")) {
        ex.sendResponseHeaders(405, -1);
        return;
      }
      byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
      ex.getResponseHeaders().set("Content-Type", "application/json; charset=utf-8");
      ex.getResponseHeaders().set("Cache-Control", "public, max-age=3600");
      if (ex.getRequestMethod().equals("HEAD")) {
        ex.sendResponseHeaders(200, -1);
        return;
      }
      ex.sendResponseHeaders(200, bytes.length);
      try (OutputStream out = ex.getResponseBody()) {
        out.write(bytes);
      }
    }
  }

  /**
   * Starts configuring an emulator.
   *
   * @return a builder with every default: 127.0.0.1, free ports, project {@value #DEFAULT_PROJECT},
   *     location {@value #DEFAULT_LOCATION}, no declared queue, the system clock
   */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * The gRPC address, {@code HOST:PORT}, for {@code ManagedChannelBuilder.forTarget(...)} or a
   * Cloud Tasks client's {@code setEndpoint(...)} (plaintext, no credentials).
   *
   * @return for example {@code 127.0.0.1:40123}
   */
  public String grpcTarget() {
    return hostForUrl() + ":" + grpcPort();
  }

  /**
   * The port of the gRPC server.
   *
   * @return the bound port (the actual one when the builder asked for 0)
   */
  public int grpcPort() {
    return grpcServer.getPort();
  }

  /**
   * The port of the HTTP server: REST API under {@code /v2/}, OpenID discovery and JWKS.
   *
   * @return the bound port (the actual one when the builder asked for 0)
   */
  public int httpPort() {
    return httpServer.getAddress().getPort();
  }

  /**
   * The base URL of the HTTP server.
   *
   * @return {@code http://HOST:HTTPPORT}
   */
  public URI httpBaseUrl() {
    return URI.create("http://" + hostForUrl() + ":" + httpPort());
  }

  /**
   * The emulator console: a page of the HTTP server that shows the queues and their tasks, live,
   * with buttons to pause, resume and purge a queue and to run or delete a task.
   *
   * @return {@code http://HOST:HTTPPORT/}
   */
  public URI consoleUrl() {
    return URI.create(httpBaseUrl() + "/");
  }

  private String hostForUrl() {
    return host.contains(":") && !host.startsWith("[") ? "[" + host + "]" : host;
  }

  /**
   * The project used for queues declared by id.
   *
   * @return the project id
   */
  public String project() {
    return settings.project();
  }

  /**
   * The location used for queues declared by id.
   *
   * @return the location id
   */
  public String location() {
    return settings.location();
  }

  /**
   * The {@code iss} claim of the OIDC tokens the emulator issues: Google's own issuer, so that a
   * verifier configured for production only needs a different JWKS URL.
   *
   * @return {@code https://accounts.google.com}
   */
  public String oidcIssuer() {
    return OidcSigner.ISSUER;
  }

  /**
   * Where the public key of the OIDC tokens is published, as a JWKS document. The OpenID
   * configuration is at {@code httpBaseUrl() + "/.well-known/openid-configuration"}.
   *
   * @return {@code http://HOST:HTTPPORT/oauth2/v3/certs}
   */
  public URI jwksUri() {
    return URI.create(httpBaseUrl() + "/oauth2/v3/certs");
  }

  /**
   * The Cloud Tasks service itself, for in-process use and for the REST gateway. Calling it
   * directly behaves exactly like a gRPC call.
   *
   * @return the service instance backing the gRPC server
   */
  public CloudTasksGrpc.CloudTasksImplBase service() {
    return service;
  }

  /**
   * Drops every queue, task and tombstone, then re-creates the declared queues. Dispatches in
   * flight finish but their outcome is discarded.
   */
  public void reset() {
    core.reset();
  }

  /**
   * Waits until the emulator is idle: no running queue has a task due now and no dispatch is in
   * flight. Tasks scheduled in the future, tasks of paused queues and tasks of a queue throttled by
   * its target (a {@code Retry-After} on 429/503, an App Engine 503) do not count. A queue that
   * only waits for the next token of its rate limit is not idle: with the system clock the token
   * comes within {@code 1 / rate} seconds; with a {@link ManualClock} advance the clock.
   *
   * @param timeout how long to wait at most
   * @return true if idle, false if the timeout passed first
   * @throws IllegalStateException if the calling thread is interrupted (the interrupt flag is kept)
   */
  public boolean awaitIdle(Duration timeout) {
    try {
      return dispatcher.awaitIdle(timeout);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("Interrupted while waiting for the emulator to be idle", e);
    }
  }

  /** Stops dispatching, then the gRPC and HTTP servers and every thread. Idempotent. */
  @Override
  public synchronized void close() {
    if (closed) {
      return;
    }
    closed = true;
    dispatcher.close();
    httpServer.stop(0);
    httpExecutor.shutdownNow();
    grpcServer.shutdownNow();
    try {
      grpcServer.awaitTermination(5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    grpcExecutor.shutdownNow();
    eventLoops.shutdownGracefully(0, 1, TimeUnit.SECONDS);
  }

  /**
   * Configures and starts a {@link CloudTasksEmulator}. Not thread-safe; every setter returns the
   * builder.
   */
  public static final class Builder {
    private String host = "127.0.0.1";
    private int grpcPort;
    private int httpPort;
    private String project = DEFAULT_PROJECT;
    private String location = DEFAULT_LOCATION;
    private final List<Queue> queues = new ArrayList<>();
    private URI appEngineTarget;
    private final Map<String, URI> appEngineServices = new LinkedHashMap<>();
    private Duration taskTombstoneTtl = Duration.ofHours(1);
    private Duration queueTombstoneTtl = Duration.ofDays(7);
    private EmulatorClock clock = EmulatorClock.system();

    private Builder() {}

    /**
     * The address both servers bind to. On a loopback address (the default) the HTTP port answers
     * only requests addressed to a loopback name; on another address it logs a warning, because
     * anyone who can reach the ports can use the emulator, and on the wildcard address ({@code
     * 0.0.0.0}) it accepts any {@code Host}.
     *
     * @param host a host name or IP address; default {@code 127.0.0.1}
     * @return this builder
     */
    public Builder host(String host) {
      this.host = Objects.requireNonNull(host, "host");
      return this;
    }

    /**
     * The gRPC port.
     *
     * @param port 0 (the default) for a free port, else 1 to 65535
     * @return this builder
     */
    public Builder grpcPort(int port) {
      this.grpcPort = checkPort(port, "grpcPort");
      return this;
    }

    /**
     * The HTTP port (REST, OpenID discovery, JWKS). Must differ from the gRPC port.
     *
     * @param port 0 (the default) for a free port, else 1 to 65535
     * @return this builder
     */
    public Builder httpPort(int port) {
      this.httpPort = checkPort(port, "httpPort");
      return this;
    }

    private static int checkPort(int port, String what) {
      if (port < 0 || port > 65535) {
        throw new IllegalArgumentException(
            what + " " + port + " is not a port: use 0 for a free port or 1 to 65535");
      }
      return port;
    }

    /**
     * The project of queues declared by id.
     *
     * @param project a project id; default {@value CloudTasksEmulator#DEFAULT_PROJECT}
     * @return this builder
     */
    public Builder project(String project) {
      this.project = Objects.requireNonNull(project, "project");
      return this;
    }

    /**
     * The location of queues declared by id.
     *
     * @param location a location id; default {@value CloudTasksEmulator#DEFAULT_LOCATION}
     * @return this builder
     */
    public Builder location(String location) {
      this.location = Objects.requireNonNull(location, "location");
      return this;
    }

    /**
     * Declares a queue with default settings, created at start and again after every {@link
     * CloudTasksEmulator#reset()}. Repeatable.
     *
     * @param queueId a queue id ({@code [A-Za-z0-9-]}, at most 100 characters), placed under the
     *     builder's project and location
     * @return this builder
     */
    public Builder queue(String queueId) {
      return queue(Queue.newBuilder().setName(queueId).build());
    }

    /**
     * Declares a queue with its configuration (rate limits, retry config, routing override),
     * created at start and after every reset. Repeatable. Unlike CreateQueue, a {@code
     * rate_limits.max_burst_size} given here is kept (queue.yaml's {@code bucket_size}), and a
     * {@code PAUSED} state is honoured.
     *
     * @param queue a queue whose name is either a full {@code projects/P/locations/L/queues/ID} or
     *     just an id, placed under the builder's project and location
     * @return this builder
     */
    public Builder queue(Queue queue) {
      queues.add(Objects.requireNonNull(queue, "queue"));
      return this;
    }

    /**
     * Where App Engine tasks go when their service has no URL of its own: the task's {@code
     * relative_uri} is appended to this URL.
     *
     * @param baseUrl for example {@code http://localhost:8080}; default {@code
     *     http://localhost:8080}
     * @return this builder
     */
    public Builder appEngineTarget(URI baseUrl) {
      this.appEngineTarget = checkHttpUrl(baseUrl, "appEngineTarget");
      return this;
    }

    /**
     * Routes App Engine tasks for one service (the routing's {@code service}, or the queue's
     * routing override) to its own base URL. Repeatable. The key may also name a version or an
     * instance of a service ({@code v2.worker}, {@code 3.v2.worker}); the most specific mapping
     * wins, and a task without a service belongs to {@code default}.
     *
     * @param service the App Engine service name, for example {@code worker}
     * @param baseUrl the base URL that service runs at locally
     * @return this builder
     */
    public Builder appEngineService(String service, URI baseUrl) {
      appEngineServices.put(
          Objects.requireNonNull(service, "service"), checkHttpUrl(baseUrl, "appEngineService"));
      return this;
    }

    private static URI checkHttpUrl(URI url, String what) {
      Objects.requireNonNull(url, what);
      if (!"http".equals(url.getScheme()) && !"https".equals(url.getScheme())) {
        throw new IllegalArgumentException(
            what + " " + url + " is not an http(s) URL: use for example http://localhost:8080");
      }
      return url;
    }

    /**
     * How long the name of a deleted or finished task stays reserved: CreateTask with it answers
     * ALREADY_EXISTS, GetTask a specific NOT_FOUND.
     *
     * @param ttl default 1 hour, as on Cloud Tasks; zero disables tombstones
     * @return this builder
     */
    public Builder taskTombstoneTtl(Duration ttl) {
      this.taskTombstoneTtl = checkTtl(ttl, "taskTombstoneTtl");
      return this;
    }

    /**
     * How long a deleted queue's name cannot be reused (CreateQueue answers FAILED_PRECONDITION).
     *
     * @param ttl default 7 days, as on Cloud Tasks; zero disables it (handy in tests)
     * @return this builder
     */
    public Builder queueTombstoneTtl(Duration ttl) {
      this.queueTombstoneTtl = checkTtl(ttl, "queueTombstoneTtl");
      return this;
    }

    private static Duration checkTtl(Duration ttl, String what) {
      if (ttl == null || ttl.isNegative()) {
        throw new IllegalArgumentException(what + " " + ttl + " must be zero or positive");
      }
      return ttl;
    }

    /**
     * The emulator's time source. Pass a {@link ManualClock} to test schedules, backoff, rate
     * limits and tombstones without waiting: the dispatcher reacts to every advance.
     *
     * @param clock default {@link EmulatorClock#system()}
     * @return this builder
     */
    public Builder clock(EmulatorClock clock) {
      this.clock = Objects.requireNonNull(clock, "clock");
      return this;
    }

    /**
     * Starts the servers and the dispatcher and creates the declared queues.
     *
     * @return the running emulator; close it when done
     * @throws IllegalArgumentException if a declared queue is invalid (the message names it)
     * @throws UncheckedIOException if a port cannot be bound
     */
    public CloudTasksEmulator start() {
      List<Queue> declared = new ArrayList<>();
      for (Queue q : queues) {
        String name = q.getName();
        if (!name.contains("/")) {
          name = "projects/" + project + "/locations/" + location + "/queues/" + name;
        }
        declared.add(q.toBuilder().setName(name).build());
      }
      Settings settings =
          new Settings(
              project,
              location,
              clock,
              taskTombstoneTtl,
              queueTombstoneTtl,
              appEngineTarget,
              Map.copyOf(appEngineServices),
              List.copyOf(declared));
      try {
        return new CloudTasksEmulator(this, settings);
      } catch (io.grpc.StatusRuntimeException e) {
        throw new IllegalArgumentException(
            "A declared queue is invalid: " + e.getStatus().getDescription(), e);
      } catch (IOException e) {
        throw new UncheckedIOException(
            "The Cloud Tasks emulator could not bind "
                + host
                + " (gRPC port "
                + grpcPort
                + ", HTTP port "
                + httpPort
                + "): "
                + e.getMessage(),
            e);
      }
    }
  }
}
