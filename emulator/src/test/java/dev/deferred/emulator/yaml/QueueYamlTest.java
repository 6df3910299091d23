package dev.deferred.emulator.yaml;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.cloud.tasks.v2.AppEngineRouting;
import com.google.cloud.tasks.v2.Queue;
import com.google.protobuf.util.Durations;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class QueueYamlTest {

  private static List<Queue> parse(String yaml) {
    return QueueYaml.parse(yaml, "queue.yaml", "p", "l");
  }

  private static QueueYamlException failure(String yaml) {
    try {
      parse(yaml);
    } catch (QueueYamlException e) {
      return e;
    }
    throw new AssertionError("expected a QueueYamlException for:\n" + yaml);
  }

  @Test
  void fullEntryBecomesCompleteQueueConfiguration() {
    List<Queue> queues =
        parse(
            """
            total_storage_limit: 120M
            queue:
            - name: mail
              mode: push
              rate: 35/s
              bucket_size: 40
              max_concurrent_requests: 10
              target: v2.worker
              retry_parameters:
                task_retry_limit: 7
                task_age_limit: 2d
                min_backoff_seconds: 0.5
                max_backoff_seconds: 200
                max_doublings: 3
            """);

    assertThat(queues).hasSize(1);
    Queue q = queues.get(0);
    assertThat(q.getName()).isEqualTo("projects/p/locations/l/queues/mail");
    assertThat(q.getRateLimits().getMaxDispatchesPerSecond()).isEqualTo(35.0);
    assertThat(q.getRateLimits().getMaxBurstSize()).isEqualTo(40);
    assertThat(q.getRateLimits().getMaxConcurrentDispatches()).isEqualTo(10);
    assertThat(q.getRetryConfig().getMaxAttempts()).isEqualTo(7);
    assertThat(q.getRetryConfig().getMaxRetryDuration()).isEqualTo(Durations.fromDays(2));
    assertThat(q.getRetryConfig().getMinBackoff()).isEqualTo(Durations.fromMillis(500));
    assertThat(q.getRetryConfig().getMaxBackoff()).isEqualTo(Durations.fromSeconds(200));
    assertThat(q.getRetryConfig().getMaxDoublings()).isEqualTo(3);
    assertThat(q.getAppEngineRoutingOverride())
        .isEqualTo(AppEngineRouting.newBuilder().setVersion("v2").setService("worker").build());
    assertThat(q.getState()).isEqualTo(Queue.State.STATE_UNSPECIFIED);
  }

  @Test
  void ratesInEveryUnitAreConvertedToPerSecond() {
    List<Queue> queues =
        parse(
            """
            queue:
            - name: s
              rate: 5/s
            - name: m
              rate: 30/m
            - name: h
              rate: 360/h
            - name: d
              rate: 8640/d
            - name: frac
              rate: 0.5/s
            """);

    assertThat(queues)
        .extracting(q -> q.getRateLimits().getMaxDispatchesPerSecond())
        .containsExactly(5.0, 0.5, 0.1, 0.1, 0.5);
  }

  @Test
  void bucketSizeDefaultsToAppEngineDefaultOfFive() {
    Queue q = parse("queue:\n- name: a\n  rate: 100/s\n").get(0);

    assertThat(q.getRateLimits().getMaxBurstSize()).isEqualTo(5);
    assertThat(q.hasRetryConfig()).isFalse();
    assertThat(q.hasAppEngineRoutingOverride()).isFalse();
  }

  @Test
  void zeroRatePausesTheQueueAsOnAppEngine() {
    Queue q = parse("queue:\n- name: a\n  rate: 0/s\n").get(0);

    assertThat(q.getState()).isEqualTo(Queue.State.PAUSED);
    assertThat(q.getRateLimits().getMaxDispatchesPerSecond()).isZero();
  }

  @Test
  void partialRetryParametersGetTheEmulatorDefaults() {
    Queue q =
        parse(
                """
                queue:
                - name: a
                  retry_parameters:
                    task_age_limit: 90m
                """)
            .get(0);

    assertThat(q.getRetryConfig().getMaxAttempts()).isEqualTo(100);
    assertThat(q.getRetryConfig().getMaxRetryDuration()).isEqualTo(Durations.fromMinutes(90));
    assertThat(q.getRetryConfig().getMinBackoff()).isEqualTo(Durations.fromMillis(100));
    assertThat(q.getRetryConfig().getMaxBackoff()).isEqualTo(Durations.fromHours(1));
    assertThat(q.getRetryConfig().getMaxDoublings()).isEqualTo(16);
  }

  @Test
  void targetMapsFromTheRightServiceThenVersionThenInstance() {
    List<Queue> queues =
        parse(
            """
            queue:
            - name: a
              target: worker
            - name: b
              target: i1.v3.worker
            """);

    assertThat(queues.get(0).getAppEngineRoutingOverride())
        .isEqualTo(AppEngineRouting.newBuilder().setService("worker").build());
    assertThat(queues.get(1).getAppEngineRoutingOverride())
        .isEqualTo(
            AppEngineRouting.newBuilder()
                .setInstance("i1")
                .setVersion("v3")
                .setService("worker")
                .build());
  }

  @Test
  void emptyDocumentOrEmptyQueueListGivesNoQueues() {
    assertThat(parse("")).isEmpty();
    assertThat(parse("queue:\n")).isEmpty();
    assertThat(parse("total_storage_limit: 1G\n")).isEmpty();
  }

  @Test
  void readsAFile(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("queue.yaml");
    Files.writeString(file, "queue:\n- name: from-file\n  rate: 2/s\n", StandardCharsets.UTF_8);

    List<Queue> queues = QueueYaml.read(file, "proj", "europe-west1");

    assertThat(queues)
        .extracting(Queue::getName)
        .containsExactly("projects/proj/locations/europe-west1/queues/from-file");
  }

  @Test
  void pullQueueIsRejectedWithTheReason() {
    QueueYamlException e =
        failure(
            """
            queue:
            - name: pulled
              mode: pull
            """);

    assertThat(e.line()).isEqualTo(3);
    assertThat(e.queueName()).isEqualTo("pulled");
    assertThat(e.getMessage())
        .startsWith("queue.yaml:3: queue 'pulled': mode: pull is not supported:")
        .contains("pull queues are not part of Cloud Tasks v2");
  }

  @Test
  void malformedRateNamesLineQueueValueAndFormat() {
    QueueYamlException e = failure("queue:\n- name: a\n  rate: fast\n");

    assertThat(e.getMessage())
        .isEqualTo(
            "queue.yaml:3: queue 'a': invalid rate 'fast': use a number per unit, e.g. 5/s, 10/m,"
                + " 100/h or 1/d.");
  }

  @Test
  void rateWithoutUnitIsRejected() {
    assertThat(failure("queue:\n- name: a\n  rate: 5\n").getMessage()).contains("invalid rate '5'");
  }

  @Test
  void rateAbove500PerSecondIsRejected() {
    assertThat(failure("queue:\n- name: a\n  rate: 600/s\n").getMessage())
        .contains("above Cloud Tasks' maximum of 500/s");
  }

  @Test
  void outOfRangeNumbersAreRejected() {
    assertThat(failure("queue:\n- name: a\n  bucket_size: 501\n").getMessage())
        .isEqualTo(
            "queue.yaml:3: queue 'a': bucket_size 501 is out of range: use a whole number from 1 to"
                + " 500.");
    assertThat(failure("queue:\n- name: a\n  max_concurrent_requests: 0\n").getMessage())
        .contains("max_concurrent_requests 0 is out of range");
    assertThat(failure("queue:\n- name: a\n  bucket_size: 2.5\n").getMessage())
        .contains("invalid bucket_size '2.5'");
    assertThat(
            failure("queue:\n- name: a\n  retry_parameters:\n    task_retry_limit: -1\n")
                .getMessage())
        .contains("task_retry_limit -1 is out of range: use a whole number >= 0");
  }

  @Test
  void badAgeLimitAndBackoffAreRejected() {
    assertThat(
            failure("queue:\n- name: a\n  retry_parameters:\n    task_age_limit: 2 weeks\n")
                .getMessage())
        .contains("invalid task_age_limit '2 weeks'");
    assertThat(
            failure("queue:\n- name: a\n  retry_parameters:\n    min_backoff_seconds: -1\n")
                .getMessage())
        .contains("invalid min_backoff_seconds '-1'");
    QueueYamlException e =
        failure(
            """
            queue:
            - name: a
              retry_parameters:
                min_backoff_seconds: 10
                max_backoff_seconds: 5
            """);
    assertThat(e.line()).isEqualTo(5);
    assertThat(e.getMessage())
        .contains("min_backoff_seconds (10) is greater than max_backoff_seconds (5)");
  }

  @Test
  void invalidOrMissingOrDuplicateNamesAreRejected() {
    assertThat(failure("queue:\n- name: bad_name\n").getMessage())
        .isEqualTo(
            "queue.yaml:2: queue 'bad_name': invalid name 'bad_name': use 1 to 100 letters"
                + " ([A-Za-z]), digits ([0-9]) or hyphens (-).");
    assertThat(failure("queue:\n- rate: 1/s\n").getMessage())
        .isEqualTo("queue.yaml:2: the entry has no 'name'; every queue needs one.");
    assertThat(failure("queue:\n- name: a\n- name: a\n").getMessage())
        .isEqualTo("queue.yaml:3: queue 'a': the queue is defined twice; keep one entry per name.");
  }

  @Test
  void unknownAndDuplicateKeysAreRejected() {
    assertThat(failure("queue:\n- name: a\n  rat: 1/s\n").getMessage())
        .startsWith("queue.yaml:3: queue 'a': unknown key 'rat' in a queue entry; known keys:")
        .contains("rate");
    assertThat(failure("queues:\n- name: a\n").getMessage())
        .startsWith("queue.yaml:1: unknown key 'queues' in the document");
    assertThat(failure("queue:\n- name: a\n  rate: 1/s\n  rate: 2/s\n").getMessage())
        .contains("key 'rate' appears twice");
  }

  @Test
  void badTargetAndModeAreRejected() {
    assertThat(failure("queue:\n- name: a\n  target: a.b.c.d\n").getMessage())
        .contains("invalid target 'a.b.c.d'");
    assertThat(failure("queue:\n- name: a\n  target: Worker_1\n").getMessage())
        .contains("invalid target 'Worker_1'");
    assertThat(failure("queue:\n- name: a\n  mode: fast\n").getMessage())
        .contains("invalid mode 'fast'");
  }

  @Test
  void structuralErrorsAreReported() {
    assertThat(failure("queue: default\n").getMessage())
        .isEqualTo("queue.yaml:1: 'queue' must be a list of entries ('- name: ...').");
    assertThat(failure("queue:\n- name: a\n  rate: [1, 2]\n").getMessage())
        .contains("'rate' needs a single value");
    assertThat(failure("queue:\n- name: a\n  rate: \"unterminated\n").getMessage())
        .startsWith("queue.yaml:")
        .contains("not valid YAML");
  }

  @Test
  void javaTypeTagsAreNeverConstructed() {
    QueueYamlException e =
        failure("queue:\n- name: a\n  rate: !!javax.script.ScriptEngineManager [x]\n");

    assertThat(e.getMessage())
        .isEqualTo(
            "queue.yaml:3: not valid YAML: Global tag is not allowed:"
                + " tag:yaml.org,2002:javax.script.ScriptEngineManager");
  }
}
