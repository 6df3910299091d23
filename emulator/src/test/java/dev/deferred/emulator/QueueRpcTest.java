package dev.deferred.emulator;

import static dev.deferred.emulator.EmulatorTestSupport.PARENT;
import static dev.deferred.emulator.EmulatorTestSupport.apiError;
import static dev.deferred.emulator.EmulatorTestSupport.queueName;
import static org.assertj.core.api.Assertions.assertThat;

import com.google.api.gax.rpc.ApiException;
import com.google.api.gax.rpc.StatusCode;
import com.google.cloud.tasks.v2.CloudTasksClient;
import com.google.cloud.tasks.v2.ListQueuesRequest;
import com.google.cloud.tasks.v2.ListQueuesResponse;
import com.google.cloud.tasks.v2.Queue;
import com.google.cloud.tasks.v2.RateLimits;
import com.google.cloud.tasks.v2.RetryConfig;
import com.google.cloud.tasks.v2.UpdateQueueRequest;
import com.google.iam.v1.Binding;
import com.google.iam.v1.GetIamPolicyRequest;
import com.google.iam.v1.Policy;
import com.google.iam.v1.SetIamPolicyRequest;
import com.google.iam.v1.TestIamPermissionsRequest;
import com.google.protobuf.Duration;
import com.google.protobuf.FieldMask;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class QueueRpcTest {
  static CloudTasksEmulator emu;
  static CloudTasksClient client;

  @BeforeAll
  static void start() throws Exception {
    emu =
        CloudTasksEmulator.builder()
            .project(EmulatorTestSupport.PROJECT)
            .queueTombstoneTtl(java.time.Duration.ofDays(7))
            .start();
    client = EmulatorTestSupport.client(emu);
  }

  @AfterAll
  static void stop() throws Exception {
    EmulatorTestSupport.close(client);
    emu.close();
  }

  @BeforeEach
  void reset() {
    emu.reset();
  }

  private static Queue create(String id) {
    return client.createQueue(PARENT, Queue.newBuilder().setName(queueName(id)).build());
  }

  @Test
  void createdQueueGetsTheServiceDefaults() {
    Queue q = create("defaults");
    assertThat(q.getName()).isEqualTo(queueName("defaults"));
    assertThat(q.getState()).isEqualTo(Queue.State.RUNNING);
    assertThat(q.getRateLimits().getMaxDispatchesPerSecond()).isEqualTo(500.0);
    assertThat(q.getRateLimits().getMaxBurstSize()).isEqualTo(100);
    assertThat(q.getRateLimits().getMaxConcurrentDispatches()).isEqualTo(1000);
    assertThat(q.getRetryConfig().getMaxAttempts()).isEqualTo(100);
    assertThat(q.getRetryConfig().getMinBackoff())
        .isEqualTo(Duration.newBuilder().setNanos(100_000_000).build());
    assertThat(q.getRetryConfig().getMaxBackoff().getSeconds()).isEqualTo(3600);
    assertThat(q.getRetryConfig().getMaxDoublings()).isEqualTo(16);
    assertThat(client.getQueue(queueName("defaults"))).isEqualTo(q);
  }

  @Test
  void burstSizeGrowsWithTheRate() {
    Queue slow =
        client.createQueue(
            PARENT,
            Queue.newBuilder()
                .setName(queueName("slow"))
                .setRateLimits(
                    RateLimits.newBuilder().setMaxDispatchesPerSecond(5).setMaxBurstSize(400))
                .build());
    Queue fast =
        client.createQueue(
            PARENT,
            Queue.newBuilder()
                .setName(queueName("fast"))
                .setRateLimits(RateLimits.newBuilder().setMaxDispatchesPerSecond(200))
                .build());
    assertThat(slow.getRateLimits().getMaxBurstSize()).isEqualTo(1);
    assertThat(fast.getRateLimits().getMaxBurstSize()).isEqualTo(40);
  }

  @Test
  void duplicateQueueIsAlreadyExists() {
    create("dup");
    ApiException e = apiError(() -> create("dup"));
    assertThat(e.getStatusCode().getCode()).isEqualTo(StatusCode.Code.ALREADY_EXISTS);
    assertThat(e.getMessage()).endsWith("Requested entity already exists");
  }

  @Test
  void deletedQueueNameCannotBeReusedWhileItsTombstoneLasts() {
    create("gone");
    client.deleteQueue(queueName("gone"));
    ApiException e = apiError(() -> create("gone"));
    assertThat(e.getStatusCode().getCode()).isEqualTo(StatusCode.Code.FAILED_PRECONDITION);
    assertThat(e.getMessage())
        .endsWith(
            "The queue cannot be created because a queue with this name existed too recently.");
    ApiException get = apiError(() -> client.getQueue(queueName("gone")));
    assertThat(get.getStatusCode().getCode()).isEqualTo(StatusCode.Code.NOT_FOUND);
  }

  @Test
  void operationsOnAMissingQueueAreNotFound() {
    String missing = queueName("missing");
    List<ThrowingOp> ops =
        List.of(
            () -> client.getQueue(missing),
            () -> client.deleteQueue(missing),
            () -> client.purgeQueue(missing),
            () -> client.pauseQueue(missing),
            () -> client.resumeQueue(missing),
            () -> client.listTasks(missing).iterateAll().forEach(t -> {}),
            () ->
                client.getIamPolicy(GetIamPolicyRequest.newBuilder().setResource(missing).build()));
    for (ThrowingOp op : ops) {
      ApiException e = apiError(op::run);
      assertThat(e.getStatusCode().getCode()).isEqualTo(StatusCode.Code.NOT_FOUND);
      assertThat(e.getMessage()).endsWith("Requested entity was not found.");
    }
  }

  interface ThrowingOp {
    void run() throws Exception;
  }

  @Test
  void invalidQueueIdIsRejectedWithTheRule() {
    ApiException e = apiError(() -> create("bad_id"));
    assertThat(e.getStatusCode().getCode()).isEqualTo(StatusCode.Code.INVALID_ARGUMENT);
    assertThat(e.getMessage())
        .endsWith(
            "Queue ID \"bad_id\" can contain only letters ([A-Za-z]), numbers ([0-9]), or hyphens"
                + " (-). Queue ID must be between 1 and 100 characters.");
    assertThat(apiError(() -> create("a".repeat(101))).getStatusCode().getCode())
        .isEqualTo(StatusCode.Code.INVALID_ARGUMENT);
    assertThat(create("a".repeat(100)).getName()).endsWith("a".repeat(100));
  }

  @Test
  void rateAndConcurrencyOutOfRangeAreInvalid() {
    for (RateLimits rl :
        List.of(
            RateLimits.newBuilder().setMaxDispatchesPerSecond(-1).build(),
            RateLimits.newBuilder().setMaxDispatchesPerSecond(501).build(),
            RateLimits.newBuilder().setMaxConcurrentDispatches(-5).build(),
            RateLimits.newBuilder().setMaxConcurrentDispatches(5001).build())) {
      ApiException e =
          apiError(
              () ->
                  client.createQueue(
                      PARENT,
                      Queue.newBuilder().setName(queueName("rl")).setRateLimits(rl).build()));
      assertThat(e.getStatusCode().getCode()).isEqualTo(StatusCode.Code.INVALID_ARGUMENT);
    }
  }

  @Test
  void minBackoffAboveMaxBackoffIsInvalid() {
    ApiException e =
        apiError(
            () ->
                client.createQueue(
                    PARENT,
                    Queue.newBuilder()
                        .setName(queueName("backoff"))
                        .setRetryConfig(
                            RetryConfig.newBuilder()
                                .setMinBackoff(Duration.newBuilder().setSeconds(10))
                                .setMaxBackoff(Duration.newBuilder().setSeconds(5)))
                        .build()));
    assertThat(e.getStatusCode().getCode()).isEqualTo(StatusCode.Code.INVALID_ARGUMENT);
    assertThat(e.getMessage()).contains("min_backoff (10.0s)").contains("max_backoff (5.0s)");
    ApiException attempts =
        apiError(
            () ->
                client.createQueue(
                    PARENT,
                    Queue.newBuilder()
                        .setName(queueName("attempts"))
                        .setRetryConfig(RetryConfig.newBuilder().setMaxAttempts(-2))
                        .build()));
    assertThat(attempts.getStatusCode().getCode()).isEqualTo(StatusCode.Code.INVALID_ARGUMENT);
  }

  @Test
  void updateQueueHonoursTheMaskAndCreatesMissingQueues() {
    create("upd");
    Queue updated =
        client.updateQueue(
            UpdateQueueRequest.newBuilder()
                .setQueue(
                    Queue.newBuilder()
                        .setName(queueName("upd"))
                        .setRateLimits(
                            RateLimits.newBuilder()
                                .setMaxDispatchesPerSecond(10)
                                .setMaxConcurrentDispatches(7))
                        .setRetryConfig(RetryConfig.newBuilder().setMaxAttempts(3)))
                .setUpdateMask(
                    FieldMask.newBuilder().addPaths("rate_limits.max_dispatches_per_second"))
                .build());
    assertThat(updated.getRateLimits().getMaxDispatchesPerSecond()).isEqualTo(10.0);
    assertThat(updated.getRateLimits().getMaxBurstSize()).isEqualTo(2);
    assertThat(updated.getRateLimits().getMaxConcurrentDispatches()).isEqualTo(1000);
    assertThat(updated.getRetryConfig().getMaxAttempts()).isEqualTo(100);

    Queue createdByUpdate =
        client.updateQueue(
            UpdateQueueRequest.newBuilder()
                .setQueue(
                    Queue.newBuilder()
                        .setName(queueName("new-by-update"))
                        .setRetryConfig(RetryConfig.newBuilder().setMaxAttempts(3)))
                .setUpdateMask(FieldMask.newBuilder().addPaths("retry_config.max_attempts"))
                .build());
    assertThat(createdByUpdate.getRetryConfig().getMaxAttempts()).isEqualTo(3);
    assertThat(createdByUpdate.getRateLimits().getMaxDispatchesPerSecond()).isEqualTo(500.0);
    assertThat(client.getQueue(queueName("new-by-update")).getState())
        .isEqualTo(Queue.State.RUNNING);

    ApiException badPath =
        apiError(
            () ->
                client.updateQueue(
                    Queue.newBuilder().setName(queueName("upd")).build(),
                    FieldMask.newBuilder().addPaths("no_such_field").build()));
    assertThat(badPath.getStatusCode().getCode()).isEqualTo(StatusCode.Code.INVALID_ARGUMENT);
    assertThat(badPath.getMessage()).contains("no_such_field");
  }

  @Test
  void pauseAndResumeChangeTheState() {
    create("pr");
    assertThat(client.pauseQueue(queueName("pr")).getState()).isEqualTo(Queue.State.PAUSED);
    assertThat(client.getQueue(queueName("pr")).getState()).isEqualTo(Queue.State.PAUSED);
    assertThat(client.resumeQueue(queueName("pr")).getState()).isEqualTo(Queue.State.RUNNING);
  }

  @Test
  void listQueuesPagesInLexicographicOrder() {
    List<String> ids = List.of("q-c", "q-a", "q-e", "q-b", "q-d");
    ids.forEach(QueueRpcTest::create);
    client.createQueue(
        "projects/other/locations/us-central1",
        Queue.newBuilder().setName("projects/other/locations/us-central1/queues/q-0").build());
    List<String> seen = new ArrayList<>();
    String token = "";
    int pages = 0;
    do {
      ListQueuesResponse page =
          client
              .listQueuesCallable()
              .call(
                  ListQueuesRequest.newBuilder()
                      .setParent(PARENT)
                      .setPageSize(2)
                      .setPageToken(token)
                      .build());
      page.getQueuesList().forEach(q -> seen.add(q.getName()));
      token = page.getNextPageToken();
      pages++;
    } while (!token.isEmpty());
    assertThat(pages).isEqualTo(3);
    assertThat(seen)
        .containsExactly(
            queueName("q-a"),
            queueName("q-b"),
            queueName("q-c"),
            queueName("q-d"),
            queueName("q-e"));
  }

  @Test
  void listQueuesFiltersByStateAndName() {
    create("alpha");
    create("beta");
    create("gamma");
    client.pauseQueue(queueName("beta"));
    client.pauseQueue(queueName("gamma"));
    assertThat(names("state: PAUSED")).containsExactly(queueName("beta"), queueName("gamma"));
    assertThat(names("state = RUNNING")).containsExactly(queueName("alpha"));
    assertThat(names("name:gamma")).containsExactly(queueName("gamma"));
    assertThat(names("state: PAUSED AND NOT name:beta")).containsExactly(queueName("gamma"));
    assertThat(names("name:alpha OR name:beta"))
        .containsExactly(queueName("alpha"), queueName("beta"));
    ApiException bad = apiError(() -> names("state PAUSED"));
    assertThat(bad.getStatusCode().getCode()).isEqualTo(StatusCode.Code.INVALID_ARGUMENT);
    assertThat(bad.getMessage()).contains("Invalid filter \"state PAUSED\"");
  }

  private static List<String> names(String filter) {
    List<String> out = new ArrayList<>();
    client
        .listQueues(ListQueuesRequest.newBuilder().setParent(PARENT).setFilter(filter).build())
        .iterateAll()
        .forEach(q -> out.add(q.getName()));
    return out;
  }

  @Test
  void iamPoliciesAreStoredAndReturnedButNeverEnforced() {
    create("iam");
    Policy policy =
        Policy.newBuilder()
            .addBindings(
                Binding.newBuilder()
                    .setRole("roles/cloudtasks.enqueuer")
                    .addMembers("user:a@example.com"))
            .build();
    Policy stored =
        client.setIamPolicy(
            SetIamPolicyRequest.newBuilder()
                .setResource(queueName("iam"))
                .setPolicy(policy)
                .build());
    assertThat(stored.getBindingsList()).isEqualTo(policy.getBindingsList());
    assertThat(stored.getEtag().isEmpty()).isFalse();
    assertThat(
            client.getIamPolicy(
                GetIamPolicyRequest.newBuilder().setResource(queueName("iam")).build()))
        .isEqualTo(stored);
    assertThat(
            client
                .testIamPermissions(
                    TestIamPermissionsRequest.newBuilder()
                        .setResource(queueName("iam"))
                        .addPermissions("cloudtasks.tasks.create")
                        .build())
                .getPermissionsList())
        .containsExactly("cloudtasks.tasks.create");
  }

  @Test
  void declaredQueuesComeBackAfterReset() {
    try (CloudTasksEmulator declared =
        CloudTasksEmulator.builder()
            .queue("declared")
            .queue(
                Queue.newBuilder()
                    .setName("yaml-like")
                    .setRateLimits(
                        RateLimits.newBuilder().setMaxDispatchesPerSecond(1).setMaxBurstSize(20))
                    .build())
            .start()) {
      CloudTasksClient c = EmulatorTestSupport.client(declared);
      try {
        String base = "projects/dev-project/locations/us-central1/queues/";
        assertThat(c.getQueue(base + "declared").getState()).isEqualTo(Queue.State.RUNNING);
        assertThat(c.getQueue(base + "yaml-like").getRateLimits().getMaxBurstSize()).isEqualTo(20);
        c.deleteQueue(base + "declared");
        declared.reset();
        assertThat(c.getQueue(base + "declared").getName()).isEqualTo(base + "declared");
      } finally {
        EmulatorTestSupport.close(c);
      }
    } catch (Exception e) {
      throw new AssertionError(e);
    }
  }
}
