package dev.deferred.emulator.cli;

import com.google.cloud.tasks.v2.Queue;
import dev.deferred.emulator.CloudTasksEmulator;
import dev.deferred.emulator.yaml.QueueYaml;
import dev.deferred.emulator.yaml.QueueYamlException;
import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The parsed command line: every flag checked and converted, the queue.yaml read, nothing started.
 *
 * @param help {@code --help} was given: print the usage and start nothing
 * @param host the address both servers bind to
 * @param grpcPort the gRPC port, 0 for a free one
 * @param restPort the HTTP port (REST, OpenID discovery, JWKS), 0 for a free one
 * @param project the project of the declared queues
 * @param location the location of the declared queues
 * @param queues the queues to create at start: ids from {@code --queue}, full definitions from
 *     {@code --queue-yaml}
 * @param appEngineTarget where App Engine tasks go, or null for the emulator's default
 * @param appEngineServices per-service App Engine base URLs
 * @param taskTombstoneTtl how long names of deleted or finished tasks stay reserved, or null for
 *     the emulator's default
 * @param queueTombstoneTtl how long names of deleted queues stay reserved, or null for the
 *     emulator's default
 */
record Options(
    boolean help,
    String host,
    int grpcPort,
    int restPort,
    String project,
    String location,
    List<Queue> queues,
    URI appEngineTarget,
    Map<String, URI> appEngineServices,
    Duration taskTombstoneTtl,
    Duration queueTombstoneTtl) {

  static final String DEFAULT_HOST = "127.0.0.1";
  static final int DEFAULT_PORT = 9022;
  static final String DEFAULT_PROJECT = CloudTasksEmulator.DEFAULT_PROJECT;
  static final String DEFAULT_LOCATION = CloudTasksEmulator.DEFAULT_LOCATION;

  private static final Pattern QUEUE_ID = Pattern.compile("[A-Za-z0-9-]{1,100}");
  private static final Pattern PROJECT_ID = Pattern.compile("[A-Za-z0-9-:.]+");
  private static final Pattern LOCATION_ID = Pattern.compile("[A-Za-z0-9-]+");
  private static final Pattern SHORT_DURATION = Pattern.compile("(\\d+)(ms|s|m|h|d)");

  /** Flags that take a value; {@code --help} is the only one that does not. */
  private static final List<String> VALUE_FLAGS =
      List.of(
          "--host",
          "--port",
          "--rest-port",
          "--project",
          "--location",
          "--queue",
          "--queue-yaml",
          "--app-engine-target",
          "--app-engine-service",
          "--tombstone-ttl",
          "--queue-tombstone-ttl");

  private static final Set<String> REPEATABLE = Set.of("--queue", "--app-engine-service");

  static final String USAGE =
      """
      Usage: java -jar cloud-tasks-emulator.jar [flags]

      A Cloud Tasks v2 emulator: gRPC and REST, real HTTP dispatch, retries, tombstones, OIDC tokens.

        --host HOST                 address to bind both servers to (default 127.0.0.1;
                                    0.0.0.0 to accept connections from other hosts or containers)
        --port PORT                 gRPC port (default 9022; 0 picks a free port)
        --rest-port PORT            HTTP port for REST (/v2/...), OpenID discovery and JWKS
                                    (default: --port + 1, or a free port when --port is 0)
        --project ID                project of the queues declared here (default dev-project)
        --location ID               location of the queues declared here (default us-central1)
        --queue ID                  create this queue at start, with default settings; repeatable
        --queue-yaml FILE           create the push queues of an App Engine queue.yaml at start
                                    (rate, bucket_size, max_concurrent_requests, retry_parameters,
                                    target)
        --app-engine-target URL     where App Engine tasks are sent (default http://localhost:8080)
        --app-engine-service NAME=URL
                                    send App Engine tasks for service NAME to URL; repeatable
        --tombstone-ttl DURATION    how long the name of a deleted or finished task stays reserved
                                    (default 1h)
        --queue-tombstone-ttl DURATION
                                    how long a deleted queue's name stays reserved (default 7d)
        --help                      print this help and exit

      Flags take their value as the next argument or after '=' (--port=9022).
      DURATION is a number with a unit (500ms, 30s, 10m, 1h, 7d) or ISO-8601 (PT1H); 0 disables.
      When ready, one line on stdout says where it listens. SIGTERM or Ctrl-C stops it.
      Exit codes: 2 for a bad command line, 1 if it cannot start.
      """;

  /**
   * Parses and checks a command line.
   *
   * @param args the arguments as given to {@code main}
   * @return the options; {@link #help()} is true if {@code --help} was among them
   * @throws UsageException with a message that names the flag, the value and the fix
   */
  static Options parse(List<String> args) throws UsageException {
    Map<String, List<String>> values = new LinkedHashMap<>();
    boolean help = false;
    for (int i = 0; i < args.size(); i++) {
      String arg = args.get(i);
      if (arg.equals("--help") || arg.equals("-h")) {
        help = true;
        continue;
      }
      if (!arg.startsWith("--")) {
        throw new UsageException(
            "unexpected argument '" + arg + "': every setting is a flag, e.g. --queue " + arg);
      }
      String flag = arg;
      String value = null;
      int eq = arg.indexOf('=');
      if (eq >= 0) {
        flag = arg.substring(0, eq);
        value = arg.substring(eq + 1);
      }
      if (!VALUE_FLAGS.contains(flag)) {
        throw new UsageException("unknown flag '" + flag + "'" + suggestion(flag));
      }
      if (value == null) {
        if (i + 1 >= args.size() || args.get(i + 1).startsWith("--")) {
          throw new UsageException("flag " + flag + " needs a value: " + flag + " VALUE");
        }
        value = args.get(++i);
      }
      List<String> list = values.computeIfAbsent(flag, k -> new ArrayList<>());
      if (!list.isEmpty() && !REPEATABLE.contains(flag)) {
        throw new UsageException(
            "flag "
                + flag
                + " is given twice ('"
                + list.get(0)
                + "' and '"
                + value
                + "'): give it once");
      }
      list.add(value);
    }
    if (help) {
      return new Options(
          true,
          DEFAULT_HOST,
          DEFAULT_PORT,
          DEFAULT_PORT + 1,
          DEFAULT_PROJECT,
          DEFAULT_LOCATION,
          List.of(),
          null,
          Map.of(),
          null,
          null);
    }

    String host = one(values, "--host", DEFAULT_HOST);
    if (host.isBlank()) {
      throw new UsageException("--host is empty: give a host name or IP address, e.g. 127.0.0.1");
    }
    int port = port(values, "--port", DEFAULT_PORT);
    int restPort;
    if (values.containsKey("--rest-port")) {
      restPort = port(values, "--rest-port", 0);
    } else if (port == 0) {
      restPort = 0;
    } else if (port == 65535) {
      throw new UsageException(
          "--port 65535 leaves no room for the default REST port (--port + 1): set --rest-port");
    } else {
      restPort = port + 1;
    }
    if (restPort != 0 && restPort == port) {
      throw new UsageException(
          "--rest-port "
              + restPort
              + " is the gRPC port too: give the two servers different ports");
    }

    String project = one(values, "--project", DEFAULT_PROJECT);
    if (!PROJECT_ID.matcher(project).matches()) {
      throw new UsageException(
          "--project '"
              + project
              + "' is not a project id: use letters, digits, hyphens, colons or periods");
    }
    String location = one(values, "--location", DEFAULT_LOCATION);
    if (!LOCATION_ID.matcher(location).matches()) {
      throw new UsageException(
          "--location '"
              + location
              + "' is not a location id: use letters, digits and hyphens, e.g. us-central1");
    }

    List<Queue> queues = new ArrayList<>();
    Set<String> queueIds = new HashSet<>();
    for (String id : values.getOrDefault("--queue", List.of())) {
      if (!QUEUE_ID.matcher(id).matches()) {
        throw new UsageException(
            "--queue '"
                + id
                + "' is not a queue id: use 1 to 100 letters ([A-Za-z]), digits ([0-9]) or hyphens (-)");
      }
      if (!queueIds.add(id)) {
        throw new UsageException("--queue " + id + " is given twice: give each queue once");
      }
      queues.add(Queue.newBuilder().setName(id).build());
    }
    if (values.containsKey("--queue-yaml")) {
      String file = values.get("--queue-yaml").get(0);
      for (Queue queue : queueYaml(file, project, location)) {
        String id = queue.getName().substring(queue.getName().lastIndexOf('/') + 1);
        if (!queueIds.add(id)) {
          throw new UsageException(
              "queue '"
                  + id
                  + "' is declared both by --queue and in "
                  + file
                  + ": declare it once");
        }
        queues.add(queue);
      }
    }

    URI appEngineTarget =
        values.containsKey("--app-engine-target")
            ? httpUrl("--app-engine-target", values.get("--app-engine-target").get(0))
            : null;
    Map<String, URI> services = new LinkedHashMap<>();
    for (String mapping : values.getOrDefault("--app-engine-service", List.of())) {
      int at = mapping.indexOf('=');
      if (at <= 0) {
        throw new UsageException(
            "--app-engine-service '"
                + mapping
                + "' is not NAME=URL: e.g. --app-engine-service worker=http://localhost:8081");
      }
      String name = mapping.substring(0, at);
      if (services.put(name, httpUrl("--app-engine-service " + name, mapping.substring(at + 1)))
          != null) {
        throw new UsageException(
            "--app-engine-service " + name + " is given twice: map each service once");
      }
    }

    Duration taskTtl = duration(values, "--tombstone-ttl");
    Duration queueTtl = duration(values, "--queue-tombstone-ttl");
    return new Options(
        false,
        host,
        port,
        restPort,
        project,
        location,
        List.copyOf(queues),
        appEngineTarget,
        Map.copyOf(services),
        taskTtl,
        queueTtl);
  }

  private static List<Queue> queueYaml(String file, String project, String location)
      throws UsageException {
    Path path;
    try {
      path = Path.of(file);
    } catch (InvalidPathException e) {
      throw new UsageException("--queue-yaml '" + file + "' is not a file path: " + e.getReason());
    }
    if (!Files.isRegularFile(path) || !Files.isReadable(path)) {
      throw new UsageException(
          "--queue-yaml "
              + file
              + ": no readable file there (working directory: "
              + Path.of("").toAbsolutePath()
              + ")");
    }
    try {
      return QueueYaml.read(path, project, location);
    } catch (QueueYamlException e) {
      throw new UsageException("--queue-yaml " + e.getMessage());
    } catch (IOException e) {
      throw new UsageException("--queue-yaml " + file + " cannot be read: " + e.getMessage());
    }
  }

  private static String one(Map<String, List<String>> values, String flag, String fallback) {
    List<String> list = values.get(flag);
    return list == null ? fallback : list.get(0);
  }

  private static int port(Map<String, List<String>> values, String flag, int fallback)
      throws UsageException {
    String text = one(values, flag, null);
    if (text == null) {
      return fallback;
    }
    try {
      int port = Integer.parseInt(text.trim());
      if (port >= 0 && port <= 65535) {
        return port;
      }
    } catch (NumberFormatException e) {
      // reported below
    }
    throw new UsageException(
        flag + " '" + text + "' is not a port: use 1 to 65535, or 0 for a free port");
  }

  private static URI httpUrl(String flag, String text) throws UsageException {
    try {
      URI uri = new URI(text);
      if (("http".equals(uri.getScheme()) || "https".equals(uri.getScheme()))
          && uri.getHost() != null) {
        return uri;
      }
    } catch (URISyntaxException e) {
      // reported below
    }
    throw new UsageException(
        flag + " '" + text + "' is not an http(s) URL: use e.g. http://localhost:8080");
  }

  private static Duration duration(Map<String, List<String>> values, String flag)
      throws UsageException {
    String text = one(values, flag, null);
    if (text == null) {
      return null;
    }
    String trimmed = text.trim();
    if (trimmed.equals("0")) {
      return Duration.ZERO;
    }
    Matcher m = SHORT_DURATION.matcher(trimmed);
    try {
      if (m.matches()) {
        long n = Long.parseLong(m.group(1));
        return switch (m.group(2)) {
          case "ms" -> Duration.ofMillis(n);
          case "s" -> Duration.ofSeconds(n);
          case "m" -> Duration.ofMinutes(n);
          case "h" -> Duration.ofHours(n);
          default -> Duration.ofDays(n);
        };
      }
      if (trimmed.startsWith("P") || trimmed.startsWith("p")) {
        Duration d = Duration.parse(trimmed);
        if (!d.isNegative()) {
          return d;
        }
      }
    } catch (DateTimeParseException | ArithmeticException | NumberFormatException e) {
      // reported below
    }
    throw new UsageException(
        flag
            + " '"
            + text
            + "' is not a duration: use e.g. 500ms, 30s, 10m, 1h, 7d or PT1H (0 disables)");
  }

  /** The nearest known flag, for typos such as {@code --prot}. */
  private static String suggestion(String flag) {
    List<String> known = new ArrayList<>(VALUE_FLAGS);
    known.add("--help");
    String best = known.stream().min(Comparator.comparingInt(k -> distance(k, flag))).orElseThrow();
    return distance(best, flag) <= 3
        ? ": did you mean " + best + "? (see --help)"
        : " (see --help)";
  }

  private static int distance(String a, String b) {
    int[] previous = new int[b.length() + 1];
    int[] current = new int[b.length() + 1];
    for (int j = 0; j <= b.length(); j++) {
      previous[j] = j;
    }
    for (int i = 1; i <= a.length(); i++) {
      current[0] = i;
      for (int j = 1; j <= b.length(); j++) {
        int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
        current[j] =
            Math.min(Math.min(current[j - 1] + 1, previous[j] + 1), previous[j - 1] + cost);
      }
      int[] swap = previous;
      previous = current;
      current = swap;
    }
    return previous[b.length()];
  }
}
