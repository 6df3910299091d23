package dev.deferred.emulator.yaml;

import com.google.cloud.tasks.v2.AppEngineRouting;
import com.google.cloud.tasks.v2.Queue;
import com.google.cloud.tasks.v2.RateLimits;
import com.google.cloud.tasks.v2.RetryConfig;
import com.google.protobuf.Duration;
import java.io.IOException;
import java.io.Reader;
import java.io.StringReader;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;
import org.yaml.snakeyaml.error.MarkedYAMLException;
import org.yaml.snakeyaml.error.YAMLException;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;
import org.yaml.snakeyaml.nodes.Tag;

/**
 * Reads an App Engine {@code queue.yaml} into Cloud Tasks v2 queue definitions.
 *
 * <p>Each entry of the {@code queue:} list becomes one {@link Queue} named {@code
 * projects/PROJECT/locations/LOCATION/queues/NAME}:
 *
 * <table>
 *   <caption>queue.yaml to Cloud Tasks</caption>
 *   <tr><th>queue.yaml</th><th>Queue field</th></tr>
 *   <tr><td>{@code rate: 5/s} ({@code /s}, {@code /m}, {@code /h}, {@code /d})</td>
 *       <td>{@code rate_limits.max_dispatches_per_second} (per second, at most 500);
 *           {@code rate: 0/s} makes the queue {@code PAUSED}, as on App Engine</td></tr>
 *   <tr><td>{@code bucket_size} (default 5, at most 500)</td>
 *       <td>{@code rate_limits.max_burst_size}</td></tr>
 *   <tr><td>{@code max_concurrent_requests} (1 to 5000)</td>
 *       <td>{@code rate_limits.max_concurrent_dispatches}</td></tr>
 *   <tr><td>{@code retry_parameters.task_retry_limit}</td>
 *       <td>{@code retry_config.max_attempts}</td></tr>
 *   <tr><td>{@code retry_parameters.task_age_limit} ({@code 30s}, {@code 10m}, {@code 1h},
 *       {@code 2d})</td><td>{@code retry_config.max_retry_duration}</td></tr>
 *   <tr><td>{@code retry_parameters.min_backoff_seconds}, {@code max_backoff_seconds},
 *       {@code max_doublings}</td>
 *       <td>{@code retry_config.min_backoff}, {@code max_backoff}, {@code max_doublings}</td></tr>
 *   <tr><td>{@code target: [instance.][version.]service}</td>
 *       <td>{@code app_engine_routing_override}</td></tr>
 *   <tr><td>{@code mode: push}</td><td>accepted; {@code mode: pull} is rejected (pull queues are
 *       not part of Cloud Tasks v2)</td></tr>
 * </table>
 *
 * <p>When {@code retry_parameters} is present, the values it leaves out get the emulator's defaults
 * (100 attempts, no age limit, 0.1 s to 3600 s, 16 doublings); when it is absent, the queue has no
 * {@code retry_config} and the emulator applies the same defaults. The top-level {@code
 * total_storage_limit} is accepted and ignored: Cloud Tasks has no equivalent.
 *
 * <p>Parsing is strict: an unknown key, a malformed or out-of-range value, a duplicate queue name
 * or a pull queue fails the whole file with a {@link QueueYamlException} naming the line, the queue
 * and the fix; nothing is returned half-read. Only plain YAML is read (SnakeYAML's safe composer):
 * tags that would construct Java objects are never honoured.
 *
 * <pre>{@code
 * List<Queue> queues = QueueYaml.read(Path.of("queue.yaml"), "my-project", "us-central1");
 * }</pre>
 */
public final class QueueYaml {

  private static final Pattern QUEUE_NAME = Pattern.compile("[A-Za-z0-9-]{1,100}");
  private static final Pattern RATE = Pattern.compile("(\\d+(?:\\.\\d+)?)\\s*/\\s*([smhd])");
  private static final Pattern AGE = Pattern.compile("(\\d+(?:\\.\\d+)?)\\s*([smhd])");
  private static final Pattern ROUTING_PART = Pattern.compile("[a-z0-9]([a-z0-9-]*[a-z0-9])?");

  private static final Set<String> TOP_LEVEL_KEYS = Set.of("queue", "total_storage_limit");
  private static final Set<String> QUEUE_KEYS =
      Set.of(
          "name",
          "rate",
          "bucket_size",
          "max_concurrent_requests",
          "retry_parameters",
          "target",
          "mode");
  private static final Set<String> RETRY_KEYS =
      Set.of(
          "task_retry_limit",
          "task_age_limit",
          "min_backoff_seconds",
          "max_backoff_seconds",
          "max_doublings");

  /** App Engine's default bucket size, which Cloud Tasks reports as max_burst_size. */
  static final int DEFAULT_BUCKET_SIZE = 5;

  static final int DEFAULT_MAX_ATTEMPTS = 100;
  static final double DEFAULT_MIN_BACKOFF_SECONDS = 0.1;
  static final double DEFAULT_MAX_BACKOFF_SECONDS = 3600;
  static final int DEFAULT_MAX_DOUBLINGS = 16;

  private QueueYaml() {}

  /**
   * Reads a {@code queue.yaml} file.
   *
   * @param file the file, UTF-8
   * @param project the project id used in the queue names, e.g. {@code my-project}
   * @param location the location id used in the queue names, e.g. {@code us-central1}
   * @return the queues in file order, never null (empty when the file has no {@code queue:} list)
   * @throws IOException if the file cannot be read
   * @throws QueueYamlException if the file is not a valid push-queue configuration
   */
  public static List<Queue> read(Path file, String project, String location) throws IOException {
    try (Reader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
      return parse(reader, file.toString(), project, location);
    }
  }

  /**
   * Parses {@code queue.yaml} text.
   *
   * @param yaml the YAML text
   * @param source a name for the text used in error messages, e.g. a file name
   * @param project the project id used in the queue names
   * @param location the location id used in the queue names
   * @return the queues in document order, never null
   * @throws QueueYamlException if the text is not a valid push-queue configuration
   */
  public static List<Queue> parse(String yaml, String source, String project, String location) {
    return parse(new StringReader(yaml), source, project, location);
  }

  private static List<Queue> parse(Reader reader, String source, String project, String location) {
    Objects.requireNonNull(project, "project");
    Objects.requireNonNull(location, "location");
    return new Reading(source, "projects/" + project + "/locations/" + location).document(reader);
  }

  /** One pass over one document; holds the source name for error messages. */
  private static final class Reading {
    private final String source;
    private final String parent;

    Reading(String source, String parent) {
      this.source = source;
      this.parent = parent;
    }

    List<Queue> document(Reader reader) {
      LoaderOptions options = new LoaderOptions();
      Node root;
      try {
        root = new Yaml(new SafeConstructor(options)).compose(reader);
      } catch (MarkedYAMLException e) {
        int line = e.getProblemMark() == null ? 0 : e.getProblemMark().getLine() + 1;
        throw new QueueYamlException(
            source,
            line,
            null,
            "not valid YAML: "
                + e.getProblem()
                + (e.getContext() == null ? "" : " (" + e.getContext() + ")"));
      } catch (YAMLException e) {
        throw new QueueYamlException(source, 0, null, "not valid YAML: " + e.getMessage());
      }
      if (root == null) {
        return List.of();
      }
      Map<String, NodeTuple> top = mapping(root, null, "the document", TOP_LEVEL_KEYS);
      NodeTuple queueList = top.get("queue");
      if (queueList == null || isNull(queueList.getValueNode())) {
        return List.of();
      }
      if (!(queueList.getValueNode() instanceof SequenceNode entries)) {
        throw error(
            queueList.getValueNode(), null, "'queue' must be a list of entries ('- name: ...').");
      }
      List<Queue> queues = new ArrayList<>();
      Set<String> names = new HashSet<>();
      for (Node entry : entries.getValue()) {
        Queue queue = queue(entry);
        String id = queue.getName().substring(queue.getName().lastIndexOf('/') + 1);
        if (!names.add(id)) {
          throw error(entry, id, "the queue is defined twice; keep one entry per name.");
        }
        queues.add(queue);
      }
      return List.copyOf(queues);
    }

    private Queue queue(Node entry) {
      String guessedName = guessName(entry);
      Map<String, NodeTuple> fields = mapping(entry, guessedName, "a queue entry", QUEUE_KEYS);
      NodeTuple nameField = fields.get("name");
      if (nameField == null) {
        throw error(entry, null, "the entry has no 'name'; every queue needs one.");
      }
      String name = scalar(nameField.getValueNode(), null, "name");
      if (!QUEUE_NAME.matcher(name).matches()) {
        throw error(
            nameField.getValueNode(),
            name,
            "invalid name '"
                + name
                + "': use 1 to 100 letters ([A-Za-z]), digits ([0-9]) or hyphens (-).");
      }
      Queue.Builder queue = Queue.newBuilder().setName(parent + "/queues/" + name);

      NodeTuple mode = fields.get("mode");
      if (mode != null) {
        String value = scalar(mode.getValueNode(), name, "mode");
        if (value.equals("pull")) {
          throw error(
              mode.getValueNode(),
              name,
              "mode: pull is not supported: pull queues are not part of Cloud Tasks v2. Remove"
                  + " this entry (keep pull queues on the App Engine Task Queue API) or make it a"
                  + " push queue.");
        }
        if (!value.equals("push")) {
          throw error(
              mode.getValueNode(), name, "invalid mode '" + value + "': use 'push' (the default).");
        }
      }

      RateLimits.Builder rate = RateLimits.newBuilder();
      NodeTuple rateField = fields.get("rate");
      if (rateField != null) {
        double perSecond = rate(rateField.getValueNode(), name);
        if (perSecond == 0) {
          // App Engine treats a zero rate as a paused queue; Cloud Tasks has no zero rate.
          queue.setState(Queue.State.PAUSED);
        } else {
          rate.setMaxDispatchesPerSecond(perSecond);
        }
      }
      NodeTuple bucket = fields.get("bucket_size");
      rate.setMaxBurstSize(
          bucket == null
              ? DEFAULT_BUCKET_SIZE
              : integer(bucket.getValueNode(), name, "bucket_size", 1, 500));
      NodeTuple concurrent = fields.get("max_concurrent_requests");
      if (concurrent != null) {
        rate.setMaxConcurrentDispatches(
            integer(concurrent.getValueNode(), name, "max_concurrent_requests", 1, 5000));
      }
      queue.setRateLimits(rate);

      NodeTuple retry = fields.get("retry_parameters");
      if (retry != null && !isNull(retry.getValueNode())) {
        queue.setRetryConfig(retry(retry.getValueNode(), name));
      }

      NodeTuple target = fields.get("target");
      if (target != null) {
        queue.setAppEngineRoutingOverride(
            routing(scalar(target.getValueNode(), name, "target"), target.getValueNode(), name));
      }
      return queue.build();
    }

    private RetryConfig retry(Node node, String queue) {
      Map<String, NodeTuple> fields = mapping(node, queue, "retry_parameters", RETRY_KEYS);
      RetryConfig.Builder retry = RetryConfig.newBuilder();
      NodeTuple limit = fields.get("task_retry_limit");
      // queue.proto: max_attempts "has the same meaning as task_retry_limit in queue.yaml", so
      // the number is carried over as is (the stricter of the two readings: no extra attempt).
      retry.setMaxAttempts(
          limit == null
              ? DEFAULT_MAX_ATTEMPTS
              : integer(limit.getValueNode(), queue, "task_retry_limit", 0, Integer.MAX_VALUE));
      NodeTuple age = fields.get("task_age_limit");
      if (age != null) {
        retry.setMaxRetryDuration(age(age.getValueNode(), queue));
      }
      double min =
          fields.containsKey("min_backoff_seconds")
              ? seconds(
                  fields.get("min_backoff_seconds").getValueNode(), queue, "min_backoff_seconds")
              : DEFAULT_MIN_BACKOFF_SECONDS;
      double max =
          fields.containsKey("max_backoff_seconds")
              ? seconds(
                  fields.get("max_backoff_seconds").getValueNode(), queue, "max_backoff_seconds")
              : Math.max(DEFAULT_MAX_BACKOFF_SECONDS, min);
      if (min > max) {
        Node at =
            fields.containsKey("max_backoff_seconds")
                ? fields.get("max_backoff_seconds").getValueNode()
                : fields.get("min_backoff_seconds").getValueNode();
        throw error(
            at,
            queue,
            "min_backoff_seconds ("
                + plain(min)
                + ") is greater than max_backoff_seconds ("
                + plain(max)
                + "); make min_backoff_seconds <= max_backoff_seconds.");
      }
      retry.setMinBackoff(duration(min)).setMaxBackoff(duration(max));
      NodeTuple doublings = fields.get("max_doublings");
      retry.setMaxDoublings(
          doublings == null
              ? DEFAULT_MAX_DOUBLINGS
              : integer(doublings.getValueNode(), queue, "max_doublings", 0, Integer.MAX_VALUE));
      return retry.build();
    }

    private AppEngineRouting routing(String target, Node node, String queue) {
      // App Engine prepends the target to the app's host name: [instance.][version.]service.
      String[] parts = target.split("\\.", -1);
      if (parts.length > 3 || target.isEmpty()) {
        throw error(
            node,
            queue,
            "invalid target '"
                + target
                + "': use service, version.service or instance.version.service.");
      }
      for (String part : parts) {
        if (!ROUTING_PART.matcher(part).matches()) {
          throw error(
              node,
              queue,
              "invalid target '"
                  + target
                  + "': each dot-separated part must be lowercase letters, digits and inner"
                  + " hyphens.");
        }
      }
      AppEngineRouting.Builder routing = AppEngineRouting.newBuilder();
      routing.setService(parts[parts.length - 1]);
      if (parts.length >= 2) {
        routing.setVersion(parts[parts.length - 2]);
      }
      if (parts.length == 3) {
        routing.setInstance(parts[0]);
      }
      return routing.build();
    }

    private double rate(Node node, String queue) {
      String text = scalar(node, queue, "rate");
      Matcher m = RATE.matcher(text.trim());
      if (!m.matches()) {
        throw error(
            node,
            queue,
            "invalid rate '" + text + "': use a number per unit, e.g. 5/s, 10/m, 100/h or 1/d.");
      }
      double perSecond = Double.parseDouble(m.group(1)) / unitSeconds(m.group(2));
      if (perSecond > 500) {
        throw error(
            node,
            queue,
            "rate '"
                + text
                + "' is "
                + plain(perSecond)
                + "/s, above Cloud Tasks' maximum of 500/s; lower it to at most 500/s.");
      }
      return perSecond;
    }

    private Duration age(Node node, String queue) {
      String text = scalar(node, queue, "task_age_limit");
      Matcher m = AGE.matcher(text.trim());
      if (!m.matches()) {
        throw error(
            node,
            queue,
            "invalid task_age_limit '"
                + text
                + "': use a number and a unit, e.g. 30s, 10m, 1h or 2d.");
      }
      return duration(Double.parseDouble(m.group(1)) * unitSeconds(m.group(2)));
    }

    private double seconds(Node node, String queue, String key) {
      String text = scalar(node, queue, key);
      double value;
      try {
        value = new BigDecimal(text.trim()).doubleValue();
      } catch (NumberFormatException e) {
        value = -1;
      }
      if (!(value >= 0) || Double.isInfinite(value)) {
        throw error(
            node,
            queue,
            "invalid " + key + " '" + text + "': use a number of seconds >= 0, e.g. 0.5.");
      }
      return value;
    }

    private int integer(Node node, String queue, String key, int min, int max) {
      String text = scalar(node, queue, key);
      long value;
      try {
        value = Long.parseLong(text.trim());
      } catch (NumberFormatException e) {
        throw error(
            node,
            queue,
            "invalid " + key + " '" + text + "': use a whole number" + range(min, max) + ".");
      }
      if (value < min || value > max) {
        throw error(
            node,
            queue,
            key + " " + value + " is out of range: use a whole number" + range(min, max) + ".");
      }
      return (int) value;
    }

    private String scalar(Node node, String queue, String key) {
      if (!(node instanceof ScalarNode scalar) || isNull(node)) {
        throw error(node, queue, "'" + key + "' needs a single value.");
      }
      return scalar.getValue();
    }

    private Map<String, NodeTuple> mapping(
        Node node, String queue, String what, Set<String> allowed) {
      if (!(node instanceof MappingNode map)) {
        throw error(node, queue, what + " must be a mapping of keys to values.");
      }
      Map<String, NodeTuple> fields = new LinkedHashMap<>();
      for (NodeTuple tuple : map.getValue()) {
        Node keyNode = tuple.getKeyNode();
        String key = keyNode instanceof ScalarNode s ? s.getValue() : String.valueOf(keyNode);
        if (!allowed.contains(key)) {
          throw error(
              keyNode,
              queue,
              "unknown key '"
                  + key
                  + "' in "
                  + what
                  + "; known keys: "
                  + String.join(", ", allowed.stream().sorted().toList())
                  + ".");
        }
        if (fields.put(key, tuple) != null) {
          throw error(keyNode, queue, "key '" + key + "' appears twice in " + what + "; keep one.");
        }
      }
      return fields;
    }

    /** The entry's name, if readable, so that errors in earlier keys can still name the queue. */
    private static String guessName(Node entry) {
      if (entry instanceof MappingNode map) {
        for (NodeTuple tuple : map.getValue()) {
          if (tuple.getKeyNode() instanceof ScalarNode k
              && k.getValue().equals("name")
              && tuple.getValueNode() instanceof ScalarNode v) {
            return v.getValue();
          }
        }
      }
      return null;
    }

    private QueueYamlException error(Node node, String queue, String problem) {
      int line =
          node == null || node.getStartMark() == null ? 0 : node.getStartMark().getLine() + 1;
      return new QueueYamlException(source, line, queue, problem);
    }
  }

  private static boolean isNull(Node node) {
    return node == null || Tag.NULL.equals(node.getTag());
  }

  private static double unitSeconds(String unit) {
    return switch (unit) {
      case "s" -> 1;
      case "m" -> 60;
      case "h" -> 3600;
      case "d" -> 86400;
      default -> throw new IllegalArgumentException(unit);
    };
  }

  private static Duration duration(double seconds) {
    long nanos = Math.round(seconds * 1e9);
    return Duration.newBuilder()
        .setSeconds(nanos / 1_000_000_000L)
        .setNanos((int) (nanos % 1_000_000_000L))
        .build();
  }

  private static String range(int min, int max) {
    return max == Integer.MAX_VALUE ? " >= " + min : " from " + min + " to " + max;
  }

  private static String plain(double value) {
    return BigDecimal.valueOf(value).stripTrailingZeros().toPlainString();
  }
}
