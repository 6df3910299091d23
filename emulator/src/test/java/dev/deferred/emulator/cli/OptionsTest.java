package dev.deferred.emulator.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.cloud.tasks.v2.Queue;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class OptionsTest {

  private static Options parse(String... args) throws UsageException {
    return Options.parse(List.of(args));
  }

  private static String error(String... args) {
    try {
      parse(args);
    } catch (UsageException e) {
      return e.getMessage();
    }
    throw new AssertionError("expected a usage error for " + List.of(args));
  }

  @Test
  void defaultsListenOnLoopbackWithRestOnTheNextPort() throws Exception {
    Options o = parse();

    assertThat(o.help()).isFalse();
    assertThat(o.host()).isEqualTo("127.0.0.1");
    assertThat(o.grpcPort()).isEqualTo(9022);
    assertThat(o.restPort()).isEqualTo(9023);
    assertThat(o.project()).isEqualTo("dev-project");
    assertThat(o.location()).isEqualTo("us-central1");
    assertThat(o.queues()).isEmpty();
    assertThat(o.appEngineTarget()).isNull();
    assertThat(o.appEngineServices()).isEmpty();
    assertThat(o.taskTombstoneTtl()).isNull();
    assertThat(o.queueTombstoneTtl()).isNull();
  }

  @Test
  void everyFlagIsReadInBothSpellings() throws Exception {
    Options o =
        parse(
            "--host",
            "0.0.0.0",
            "--port=7000",
            "--rest-port",
            "7100",
            "--project=my.example:proj",
            "--location",
            "europe-west1",
            "--queue",
            "a",
            "--queue=b",
            "--app-engine-target=http://localhost:8080",
            "--app-engine-service",
            "worker=http://localhost:8081",
            "--app-engine-service=api=https://api.local:8443/base",
            "--tombstone-ttl",
            "30s",
            "--queue-tombstone-ttl=PT2M");

    assertThat(o.host()).isEqualTo("0.0.0.0");
    assertThat(o.grpcPort()).isEqualTo(7000);
    assertThat(o.restPort()).isEqualTo(7100);
    assertThat(o.project()).isEqualTo("my.example:proj");
    assertThat(o.location()).isEqualTo("europe-west1");
    assertThat(o.queues()).extracting(Queue::getName).containsExactly("a", "b");
    assertThat(o.appEngineTarget()).isEqualTo(URI.create("http://localhost:8080"));
    assertThat(o.appEngineServices())
        .isEqualTo(
            Map.of(
                "worker", URI.create("http://localhost:8081"),
                "api", URI.create("https://api.local:8443/base")));
    assertThat(o.taskTombstoneTtl()).isEqualTo(Duration.ofSeconds(30));
    assertThat(o.queueTombstoneTtl()).isEqualTo(Duration.ofMinutes(2));
  }

  @Test
  void portZeroMeansFreePortsForBoth() throws Exception {
    Options o = parse("--port", "0");

    assertThat(o.grpcPort()).isZero();
    assertThat(o.restPort()).isZero();
  }

  @Test
  void durationsAcceptEveryUnitAndZero() throws Exception {
    assertThat(parse("--tombstone-ttl", "250ms").taskTombstoneTtl())
        .isEqualTo(Duration.ofMillis(250));
    assertThat(parse("--tombstone-ttl", "10m").taskTombstoneTtl())
        .isEqualTo(Duration.ofMinutes(10));
    assertThat(parse("--tombstone-ttl", "1h").taskTombstoneTtl()).isEqualTo(Duration.ofHours(1));
    assertThat(parse("--tombstone-ttl", "7d").taskTombstoneTtl()).isEqualTo(Duration.ofDays(7));
    assertThat(parse("--tombstone-ttl", "0").taskTombstoneTtl()).isZero();
  }

  @Test
  void helpWinsOverEverythingElse() throws Exception {
    assertThat(parse("--queue", "a", "--help").help()).isTrue();
    assertThat(parse("-h").help()).isTrue();
    assertThat(Options.USAGE).contains("--rest-port", "--queue-yaml", "--app-engine-service");
  }

  @Test
  void queueYamlQueuesAreAddedUnderProjectAndLocation(@TempDir Path dir) throws Exception {
    Path yaml = dir.resolve("queue.yaml");
    Files.writeString(yaml, "queue:\n- name: mail\n  rate: 2/s\n  bucket_size: 3\n");

    Options o =
        parse("--project", "p", "--location", "l", "--queue", "a", "--queue-yaml", yaml.toString());

    assertThat(o.queues())
        .extracting(Queue::getName)
        .containsExactly("a", "projects/p/locations/l/queues/mail");
    assertThat(o.queues().get(1).getRateLimits().getMaxBurstSize()).isEqualTo(3);
  }

  @Test
  void unknownFlagSuggestsTheNearestOne() {
    assertThat(error("--prot", "9000"))
        .isEqualTo("unknown flag '--prot': did you mean --port? (see --help)");
    assertThat(error("--frobnicate")).isEqualTo("unknown flag '--frobnicate' (see --help)");
  }

  @Test
  void positionalArgumentIsRejected() {
    assertThat(error("default"))
        .isEqualTo("unexpected argument 'default': every setting is a flag, e.g. --queue default");
  }

  @Test
  void missingValueIsRejected() {
    assertThat(error("--port")).isEqualTo("flag --port needs a value: --port VALUE");
    assertThat(error("--queue", "--port", "1"))
        .isEqualTo("flag --queue needs a value: --queue VALUE");
  }

  @Test
  void badPortsAreRejected() {
    assertThat(error("--port", "http"))
        .isEqualTo("--port 'http' is not a port: use 1 to 65535, or 0 for a free port");
    assertThat(error("--rest-port=70000")).contains("--rest-port '70000' is not a port");
    assertThat(error("--port", "5000", "--rest-port", "5000"))
        .isEqualTo("--rest-port 5000 is the gRPC port too: give the two servers different ports");
    assertThat(error("--port", "65535")).contains("set --rest-port");
  }

  @Test
  void singleValuedFlagGivenTwiceIsRejected() {
    assertThat(error("--port", "1", "--port=2"))
        .isEqualTo("flag --port is given twice ('1' and '2'): give it once");
  }

  @Test
  void badIdsAreRejected() {
    assertThat(error("--queue", "bad_queue")).startsWith("--queue 'bad_queue' is not a queue id");
    assertThat(error("--queue", "a", "--queue", "a"))
        .isEqualTo("--queue a is given twice: give each queue once");
    assertThat(error("--project", "p/x")).startsWith("--project 'p/x' is not a project id");
    assertThat(error("--location", "l l")).startsWith("--location 'l l' is not a location id");
    assertThat(error("--host", "")).startsWith("--host is empty");
  }

  @Test
  void badUrlsAndServiceMappingsAreRejected() {
    assertThat(error("--app-engine-target", "localhost:8080"))
        .isEqualTo(
            "--app-engine-target 'localhost:8080' is not an http(s) URL: use e.g. http://localhost:8080");
    assertThat(error("--app-engine-service", "worker"))
        .startsWith("--app-engine-service 'worker' is not NAME=URL");
    assertThat(error("--app-engine-service", "w=ftp://x"))
        .startsWith("--app-engine-service w 'ftp://x' is not an http(s) URL");
    assertThat(error("--app-engine-service", "w=http://a", "--app-engine-service", "w=http://b"))
        .isEqualTo("--app-engine-service w is given twice: map each service once");
  }

  @Test
  void badDurationsAreRejected() {
    assertThat(error("--tombstone-ttl", "an hour"))
        .isEqualTo(
            "--tombstone-ttl 'an hour' is not a duration: use e.g. 500ms, 30s, 10m, 1h, 7d or PT1H (0"
                + " disables)");
    assertThat(error("--queue-tombstone-ttl", "-PT1H")).contains("is not a duration");
    assertThat(error("--queue-tombstone-ttl", "PT-1H")).contains("is not a duration");
  }

  @Test
  void queueYamlProblemsAreUsageErrors(@TempDir Path dir) throws Exception {
    assertThat(error("--queue-yaml", dir.resolve("missing.yaml").toString()))
        .contains("no readable file there");
    Path yaml = dir.resolve("queue.yaml");
    Files.writeString(yaml, "queue:\n- name: p\n  mode: pull\n");
    assertThat(error("--queue-yaml", yaml.toString()))
        .startsWith("--queue-yaml " + yaml + ":3: queue 'p': mode: pull is not supported");
    Files.writeString(yaml, "queue:\n- name: a\n");
    assertThat(error("--queue", "a", "--queue-yaml", yaml.toString()))
        .isEqualTo("queue 'a' is declared both by --queue and in " + yaml + ": declare it once");
  }
}
