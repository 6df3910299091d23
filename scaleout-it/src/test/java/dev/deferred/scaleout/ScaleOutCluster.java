package dev.deferred.scaleout;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.h2.tools.Server;

/**
 * The multi-instance set-up, on this machine, with real parts: two Open Liberty servers running the
 * sample WAR in emulator mode behind HAProxy, sharing one standalone Cloud Tasks emulator (the
 * tasks' handler URL is the balancer's), one Datastore emulator (payload, failure and iteration
 * stores), one H2 TCP server (the application's JPA data) and the same signing keys. A third
 * server, the "other" application, has its own keys and Datastore namespace on the same emulator.
 */
final class ScaleOutCluster implements AutoCloseable {

  static final String PROJECT = "scaleout";
  static final String LOCATION = "us-central1";
  static final String KEYS = "c2NhbGUtb3V0LWl0LWtleS1zaGFyZWQtYnktYm90aC1zZXJ2ZXJz";
  static final String OTHER_KEYS = "b3RoZXItYXBwbGljYXRpb24ta2V5LW5vdC10aGUtc2FtZS1vbmU=";
  static final String HANDLER_PATH = "/sample/_ah/queue/deferred";

  private static final Pattern EMULATOR_READY =
      Pattern.compile("gRPC 127\\.0\\.0\\.1:(\\d+), REST http://127\\.0\\.0\\.1:(\\d+)/v2/");

  private final Path wlp = Path.of(System.getProperty("scaleout.wlp", "target/liberty/wlp"));
  private final Path war =
      Path.of(System.getProperty("scaleout.war", "../liberty-it/target/sample.war"));
  private final Path emulatorJar =
      Path.of(
          System.getProperty(
              "scaleout.emulator.jar", "../emulator/target/cloud-tasks-emulator.jar"));
  private final Path work =
      Path.of(System.getProperty("scaleout.work", "target/scaleout")).toAbsolutePath();

  private final List<AutoCloseable> toClose = new ArrayList<>();
  private Server h2;
  private int h2Port;
  private int datastorePort;
  private int emulatorGrpcPort;
  private int emulatorRestPort;
  private int balancerPort;
  private int statsPort;
  private ChildProcess balancer;
  private ChildProcess emulator;
  final LibertyServer a;
  final LibertyServer b;
  final LibertyServer other;

  ScaleOutCluster() {
    a = new LibertyServer(wlp, "scaleout-a", "a", work);
    b = new LibertyServer(wlp, "scaleout-b", "b", work);
    other = new LibertyServer(wlp, "scaleout-other", "other", work);
  }

  /** Starts everything but the other application; stops what started if a part fails. */
  static ScaleOutCluster start() throws Exception {
    ScaleOutCluster cluster = new ScaleOutCluster();
    try {
      cluster.startShared();
      cluster.startBalancer();
      cluster.configure(cluster.a, KEYS, "");
      cluster.configure(cluster.b, KEYS, "");
      // In parallel: the script returns only once its server has started.
      java.util.concurrent.CompletableFuture<Void> startA =
          java.util.concurrent.CompletableFuture.runAsync(cluster.a::start);
      cluster.b.start();
      startA.join();
      cluster.a.awaitReady();
      cluster.b.awaitReady();
      cluster.awaitBalancer();
      return cluster;
    } catch (Throwable e) {
      cluster.close();
      throw e;
    }
  }

  /** The sample's base URL through the load balancer. */
  String balancerUrl() {
    return "http://127.0.0.1:" + balancerPort + "/sample";
  }

  /** The Cloud Tasks emulator's REST API root, {@code http://127.0.0.1:PORT/v2/}. */
  String emulatorRest() {
    return "http://127.0.0.1:" + emulatorRestPort + "/v2/";
  }

  String queuePath(String queue) {
    return queuesPath() + "/" + queue;
  }

  /** The parent of the queues, {@code projects/PROJECT/locations/LOCATION/queues}. */
  String queuesPath() {
    return "projects/" + PROJECT + "/locations/" + LOCATION + "/queues";
  }

  /** Starts the other application: same emulator and database, its own keys and namespace. */
  void startOther() throws Exception {
    configure(other, OTHER_KEYS, "other");
    other.start();
    other.awaitReady();
  }

  private void startShared() throws Exception {
    Files.createDirectories(work);
    // The application's database: an H2 TCP server, reached by both servers over the network.
    h2Port = ChildProcess.freePort();
    h2 = Server.createTcpServer("-tcpPort", String.valueOf(h2Port), "-ifNotExists").start();
    toClose.add(h2::stop);

    ChildProcess datastore = startDatastoreEmulator();
    toClose.add(datastore);

    // The emulator may be killed and started again by a test: close whichever runs at the end.
    toClose.add(
        () -> {
          if (emulator != null) {
            emulator.close();
          }
        });
    startEmulator("cloud-tasks-emulator", 0, 0);
  }

  /**
   * Starts the standalone emulator and waits for its ready line: on free ports when {@code
   * grpcPort} is 0, otherwise on the ports given, which it must then report.
   */
  private void startEmulator(String name, int grpcPort, int restPort) throws Exception {
    List<String> command =
        new ArrayList<>(
            List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx512m",
                "-jar",
                emulatorJar.toAbsolutePath().toString(),
                "--host",
                "127.0.0.1",
                "--port",
                String.valueOf(grpcPort),
                "--project",
                PROJECT,
                "--location",
                LOCATION));
    if (grpcPort != 0) {
      command.addAll(List.of("--rest-port", String.valueOf(restPort)));
    }
    emulator = ChildProcess.start(name, work, command);
    Instant deadline = Instant.now().plus(Duration.ofSeconds(90));
    while (true) {
      Matcher m = EMULATOR_READY.matcher(emulator.output());
      if (m.find()) {
        int grpc = Integer.parseInt(m.group(1));
        int rest = Integer.parseInt(m.group(2));
        if (grpcPort != 0 && (grpc != grpcPort || rest != restPort)) {
          throw new IllegalStateException(
              "the emulator started on "
                  + grpc
                  + "/"
                  + rest
                  + " instead of "
                  + grpcPort
                  + "/"
                  + restPort
                  + ": "
                  + emulator.output());
        }
        emulatorGrpcPort = grpc;
        emulatorRestPort = rest;
        return;
      }
      emulator.requireAlive();
      if (Instant.now().isAfter(deadline)) {
        throw new IllegalStateException("no ready line from the emulator: " + emulator.output());
      }
      Thread.sleep(100);
    }
  }

  /**
   * SIGKILL to the standalone Cloud Tasks emulator, by its process id: no orderly shutdown, its
   * connections drop, and its queues and tasks, held in its memory, are gone.
   *
   * @return the emulator's exit status
   */
  int killEmulator() throws Exception {
    ProcessHandle handle =
        ProcessHandle.of(emulator.pid())
            .orElseThrow(() -> new IllegalStateException("the emulator is not running"));
    handle.destroyForcibly();
    if (!emulator.awaitExit(Duration.ofSeconds(60))) {
      throw new IllegalStateException("the emulator did not exit within 60 s of SIGKILL");
    }
    return emulator.exitValue();
  }

  /**
   * Starts the emulator again on the ports it had, which every server is configured with; it starts
   * empty, without queues.
   */
  void restartEmulator() throws Exception {
    if (emulator.isAlive()) {
      throw new IllegalStateException("the emulator is still running");
    }
    startEmulator("cloud-tasks-emulator-restarted", emulatorGrpcPort, emulatorRestPort);
  }

  /** The emulator's gRPC address, as the servers' {@code deferred.emulator.host}. */
  String emulatorHost() {
    return "127.0.0.1:" + emulatorGrpcPort;
  }

  private ChildProcess startDatastoreEmulator() throws Exception {
    Path script = sdkRoot().resolve("platform/cloud-datastore-emulator/cloud_datastore_emulator");
    if (!Files.isExecutable(script)) {
      throw new IllegalStateException(
          script
              + " is missing: install the Datastore emulator (gcloud components install"
              + " cloud-datastore-emulator)");
    }
    datastorePort = ChildProcess.freePort();
    ChildProcess process =
        ChildProcess.start(
            "datastore-emulator",
            work.resolve("datastore"),
            List.of(
                script.toString(),
                "start",
                "--host=127.0.0.1",
                "--port=" + datastorePort,
                "--store_on_disk=false",
                "--consistency=1.0"));
    String root = "http://127.0.0.1:" + datastorePort + "/";
    Instant deadline = Instant.now().plus(Duration.ofSeconds(90));
    while (Http.status(root) != 200) {
      if (!process.isAlive() || Instant.now().isAfter(deadline)) {
        process.close();
        throw new IllegalStateException(
            "The Datastore emulator did not answer on " + root + ": " + process.output());
      }
      Thread.sleep(200);
    }
    return process;
  }

  private static Path sdkRoot() throws IOException, InterruptedException {
    Process info =
        new ProcessBuilder("gcloud", "info", "--format=value(installation.sdk_root)")
            .redirectError(ProcessBuilder.Redirect.DISCARD)
            .start();
    String out = new String(info.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
    if (!info.waitFor(60, TimeUnit.SECONDS) || info.exitValue() != 0 || out.isEmpty()) {
      throw new IllegalStateException(
          "`gcloud info` did not name the Google Cloud SDK: the Datastore emulator is required");
    }
    return Path.of(out);
  }

  private void startBalancer() throws IOException {
    Path haproxy = haproxy();
    balancerPort = ChildProcess.freePort();
    statsPort = ChildProcess.freePort();
    String config =
        String.join(
            "\n",
            "global",
            "  maxconn 4096",
            "defaults",
            "  mode http",
            "  timeout connect 2s",
            "  timeout client 120s",
            "  timeout server 120s",
            // A connection refused by a dead server is tried again on the other one.
            "  retries 3",
            "  option redispatch",
            // The balancer's view of its servers, read by awaitBalancer.
            "listen stats",
            "  bind 127.0.0.1:" + statsPort,
            "  stats enable",
            "  stats uri /stats",
            "frontend tasks",
            "  bind 127.0.0.1:" + balancerPort,
            "  default_backend sample",
            "backend sample",
            "  balance roundrobin",
            "  option httpchk GET /sample/api/scaleout/instance",
            // A busy server may answer its check slowly: only a server that does not answer for
            // 10 s, three times, is taken out. A dead one refuses connections, which fails at once.
            "  timeout check 10s",
            "  server a 127.0.0.1:" + a.httpPort() + " check inter 2s fall 3 rise 2",
            "  server b 127.0.0.1:" + b.httpPort() + " check inter 2s fall 3 rise 2",
            "");
    Path file = work.resolve("haproxy.cfg");
    Files.writeString(file, config, StandardCharsets.UTF_8);
    // -db: stay in the foreground, a child of this JVM, not a system service.
    balancer =
        ChildProcess.start(
            "haproxy", work, List.of(haproxy.toString(), "-db", "-f", file.toString()));
    toClose.add(balancer);
  }

  private static Path haproxy() {
    for (String dir :
        (System.getenv().getOrDefault("PATH", "") + ":/usr/sbin:/usr/local/sbin").split(":")) {
      Path candidate = Path.of(dir.isEmpty() ? "." : dir, "haproxy");
      if (Files.isExecutable(candidate)) {
        return candidate;
      }
    }
    throw new IllegalStateException(
        "HAProxy is not installed: the multi-instance tests run the servers behind it"
            + " (apt-get install haproxy; .ci/run installs it when missing)");
  }

  /**
   * Waits until the balancer counts both servers as up, as its own statistics report them. Counting
   * the servers that answered probes through it is not a reliable signal: where the round robin
   * sends a probe depends on every other request through the balancer (tasks the emulator
   * dispatches), and a run saw only server a answer for 60 s while HAProxy logged both up.
   */
  private void awaitBalancer() throws InterruptedException {
    String stats = "http://127.0.0.1:" + statsPort + "/stats;csv";
    Poll.until(
        "the balancer counting servers a and b as up",
        Duration.ofSeconds(60),
        Duration.ofMillis(200),
        () -> {
          balancer.requireAlive();
          return Http.text(stats).map(ScaleOutCluster::serverStates).orElse(Map.of());
        },
        states -> "UP".equals(states.get("a")) && "UP".equals(states.get("b")),
        states -> "server states " + states + "\n" + balancer.output());
  }

  /** Server name to status ({@code UP}, {@code DOWN}, ...) of the backend, from HAProxy's CSV. */
  static Map<String, String> serverStates(String csv) {
    String[] lines = csv.split("\n");
    List<String> header = List.of(lines[0].replaceFirst("^# ", "").split(","));
    int proxy = header.indexOf("pxname");
    int server = header.indexOf("svname");
    int status = header.indexOf("status");
    Map<String, String> states = new java.util.TreeMap<>();
    for (int i = 1; i < lines.length; i++) {
      String[] row = lines[i].split(",", -1);
      if (row.length > status && row[proxy].equals("sample")) {
        states.put(row[server], row[status]);
      }
    }
    return states;
  }

  private void configure(LibertyServer server, String keys, String namespace) {
    Map<String, String> v = new LinkedHashMap<>();
    v.put("sample.db.url", "jdbc:h2:tcp://127.0.0.1:" + h2Port + "/mem:scaleout;DB_CLOSE_DELAY=-1");
    v.put("sample.wiretap.enabled", "false");
    v.put("deferred.mode", "emulator");
    v.put("deferred.project", PROJECT);
    v.put("deferred.location", LOCATION);
    v.put("deferred.emulator.host", "127.0.0.1:" + emulatorGrpcPort);
    v.put(
        "deferred.emulator.jwks-url", "http://127.0.0.1:" + emulatorRestPort + "/oauth2/v3/certs");
    // The servers of one application are reached through the balancer, as on Cloud Run; the
    // other application has its own address.
    v.put(
        "deferred.handler.url",
        server == other
            ? other.baseUrl().replace("/sample", "") + HANDLER_PATH
            : "http://127.0.0.1:" + balancerPort + HANDLER_PATH);
    v.put("deferred.signing.keys", keys);
    v.put("deferred.datastore.emulator-host", "127.0.0.1:" + datastorePort);
    if (!namespace.isEmpty()) {
      v.put("deferred.datastore.namespace", namespace);
    }
    // No telemetry exporter writing every span to the log: it would only slow the servers.
    v.put("otel.sdk.disabled", "true");
    server.configure(war.toAbsolutePath(), h2Jar(), v);
  }

  private static Path h2Jar() {
    try {
      return Path.of(Server.class.getProtectionDomain().getCodeSource().getLocation().toURI());
    } catch (URISyntaxException e) {
      throw new IllegalStateException(e);
    }
  }

  /** The end of every server's log, for a failure message. */
  String logs() {
    return a.tail() + "\n" + b.tail() + "\n" + other.tail();
  }

  @Override
  public void close() {
    for (LibertyServer server : List.of(a, b, other)) {
      try {
        server.stop();
      } catch (RuntimeException e) {
        // keep stopping the rest
      }
    }
    for (int i = toClose.size() - 1; i >= 0; i--) {
      try {
        toClose.get(i).close();
      } catch (Exception e) {
        // keep stopping the rest
      }
    }
  }

  Path work() {
    return work;
  }

  static void writeFigures(Path file, String text) {
    try {
      Files.writeString(file, text, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
