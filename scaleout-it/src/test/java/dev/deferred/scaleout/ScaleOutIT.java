package dev.deferred.scaleout;

import static org.assertj.core.api.Assertions.assertThat;

import jakarta.json.Json;
import jakarta.json.JsonObject;
import jakarta.json.JsonValue;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Predicate;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.extension.TestWatcher;

/**
 * The sample application on two Open Liberty servers behind HAProxy and one Cloud Tasks queue
 * ({@link ScaleOutCluster}): tasks deferred on one server run on the other, the stores are shared,
 * an iteration spreads over both, a failure is handled from either, a server killed with SIGKILL
 * loses nothing, an application with other keys on the same emulator cannot run these tasks, and
 * readiness follows the emulator being killed and started again.
 *
 * <p>Runs are counted from the rows the tasks write to the shared database ({@code TaskRun}), which
 * outlive a killed server.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ScaleOutIT {

  private static final int TASKS = 2_000;
  private static final Duration TASKS_TIMEOUT = Duration.ofMinutes(6);

  private ScaleOutCluster cluster;

  @RegisterExtension
  final TestWatcher logsOnFailure =
      new TestWatcher() {
        @Override
        public void testFailed(ExtensionContext context, Throwable cause) {
          if (cluster != null) {
            System.out.println(cluster.logs());
          }
        }
      };

  @BeforeAll
  void startCluster() throws Exception {
    cluster = ScaleOutCluster.start();
  }

  @AfterAll
  void stopCluster() {
    if (cluster != null) {
      cluster.close();
    }
  }

  @Test
  @Order(1)
  void aTaskDeferredOnOneServerRunsOnTheOther() throws Exception {
    // Both started at once and set up the same queues: neither reports one as failed.
    for (LibertyServer server : List.of(cluster.a, cluster.b)) {
      assertThat(server.messages()).contains("DEFERRED-0020").doesNotContain("DEFERRED-0304");
    }
    for (LibertyServer from : List.of(cluster.a, cluster.b)) {
      LibertyServer to = from == cluster.a ? cluster.b : cluster.a;
      String batch = "cross-from-" + from.instance();
      // The balancer alternates between the servers: of a few tasks, some go to the other one.
      JsonObject answer = Http.post(from.baseUrl() + "/api/scaleout/batches/" + batch + "?count=6");
      assertThat(answer.getString("instance")).isEqualTo(from.instance());

      List<Run> runs = awaitItems(batch, 6, Duration.ofMinutes(2));
      assertThat(runs).allSatisfy(r -> assertThat(r.deferredBy()).isEqualTo(from.instance()));
      assertThat(runs)
          .as("tasks deferred on %s that ran on %s", from.name(), to.name())
          .anySatisfy(r -> assertThat(r.instance()).isEqualTo(to.instance()));
    }
  }

  @Test
  @Order(2)
  void twoThousandTasksDeferredThroughBothServersRunOnBothOnceEach() throws Exception {
    String batch = "spread";
    Set<String> deferredBy = deferThroughBalancer(batch, 0, TASKS);
    assertThat(deferredBy).as("servers that deferred").containsExactlyInAnyOrder("a", "b");

    List<Run> runs = awaitItems(batch, TASKS, TASKS_TIMEOUT);
    Map<Integer, List<Run>> byItem = byItem(runs);
    assertThat(byItem).hasSize(TASKS);
    assertThat(byItem.keySet()).allSatisfy(i -> assertThat(i).isBetween(0, TASKS - 1));
    assertOnceUnlessRetried(byItem);
    Map<String, Long> perServer = perInstance(runs);
    System.out.printf("2,000 tasks through both servers: runs per server %s%n", perServer);
    assertThat(perServer.getOrDefault("a", 0L)).as("runs on a").isGreaterThanOrEqualTo(TASKS / 3);
    assertThat(perServer.getOrDefault("b", 0L)).as("runs on b").isGreaterThanOrEqualTo(TASKS / 3);
    assertQueueDrained("scaleout");
  }

  @Test
  @Order(3)
  void aLargePayloadDeferredOnOneServerRunsOnTheOther() throws Exception {
    int chars = 200_000; // far above the 90,000-byte small-task limit: the payload is stored
    for (LibertyServer from : List.of(cluster.a, cluster.b)) {
      LibertyServer to = from == cluster.a ? cluster.b : cluster.a;
      String batch = "large-from-" + from.instance();
      for (int i = 0; i < 4; i++) {
        Http.post(from.baseUrl() + "/api/scaleout/large/" + batch + "?chars=" + chars);
      }
      List<Run> runs = awaitRuns(batch, r -> r.size() >= 4, Duration.ofMinutes(2));
      assertThat(runs).hasSize(4);
      assertThat(runs).allSatisfy(r -> assertThat(r.detail()).isEqualTo("length=" + chars));
      assertThat(runs)
          .as("large tasks deferred on %s that ran on %s", from.name(), to.name())
          .anySatisfy(r -> assertThat(r.instance()).isEqualTo(to.instance()));
    }
  }

  @Test
  @Order(4)
  void anIterationStartedOnOneServerHasShardsOnBothAndFinalizesOnce() throws Exception {
    String label = "scaleout-iteration";
    int rows = 400;
    String id =
        Http.post(
                cluster.a.baseUrl()
                    + "/api/iterations?label="
                    + label
                    + "&rows="
                    + rows
                    + "&shards=8")
            .getString("id");

    String progressUrl = cluster.b.baseUrl() + "/api/iterations/" + id + "?label=" + label;
    // The iteration's marker exists once its plan task ran (404 until then).
    Poll.until(
        "the plan of iteration " + id + " ran",
        Duration.ofMinutes(3),
        Duration.ofMillis(500),
        () -> Http.status(progressUrl),
        status -> status == 200,
        status -> "status " + status);
    awaitJson(progressUrl, p -> p.getString("state").equals("DONE"));
    // A second finalize would be a task deferred by one of the iteration's tasks, on its queue
    // (default, which no other test of this class uses). The emulator lists a task until its
    // handler has answered, so once the queue is empty every task of the iteration has run to the
    // end, and so has any finalize they deferred: nothing more can come.
    assertQueueDrained("default");
    JsonObject progress = Http.get(progressUrl);

    assertThat(progress.getInt("shards")).isEqualTo(8);
    assertThat(progress.getInt("shardsFinished")).isEqualTo(8);
    assertThat(progress.getJsonNumber("rowsProcessed").longValue()).isEqualTo(rows / 2);
    assertThat(progress.getJsonNumber("finalizedRuns").longValue())
        .as("finalize runs, over both servers")
        .isEqualTo(1);
    Map<String, Integer> handledBy = new TreeMap<>();
    JsonObject rowsJson = progress.getJsonObject("rows");
    for (String key : rowsJson.keySet()) {
      JsonObject row = rowsJson.getJsonObject(key);
      if (row.getString("region").equals("EU")) {
        assertThat(row.getInt("handled")).as("row %s handled", key).isEqualTo(1);
        handledBy.merge(row.getString("handledBy"), 1, Integer::sum);
      } else {
        assertThat(row.getInt("handled")).as("row %s (US) handled", key).isZero();
      }
    }
    System.out.printf("iteration rows per server: %s%n", handledBy);
    assertThat(handledBy.keySet())
        .as("servers that ran shards")
        .containsExactlyInAnyOrder("a", "b");
  }

  @Test
  @Order(5)
  void aFailureRecordedOnOneServerIsListedAndRedeferredThroughTheOther() throws Exception {
    String batch = "failure-" + System.nanoTime();
    Http.post(cluster.a.baseUrl() + "/api/scaleout/failing/" + batch);
    Run failed =
        awaitRuns(
                batch,
                r -> r.stream().anyMatch(x -> x.event().equals("failed")),
                Duration.ofMinutes(2))
            .stream()
            .filter(x -> x.event().equals("failed"))
            .findFirst()
            .orElseThrow();
    LibertyServer ranOn = failed.instance().equals("a") ? cluster.a : cluster.b;
    LibertyServer otherServer = ranOn == cluster.a ? cluster.b : cluster.a;

    JsonObject record = awaitFailure(otherServer, batch);
    assertThat(record.getString("exceptionClass")).isEqualTo("dev.deferred.PermanentTaskFailure");
    assertThat(record.getBoolean("redeferrable")).isTrue();

    JsonObject redeferred =
        Http.post(
            otherServer.baseUrl()
                + "/api/scaleout/failed-tasks/"
                + enc(record.getString("id"))
                + "/redefer");
    assertThat(redeferred.getString("instance")).isEqualTo(otherServer.instance());

    List<Run> runs =
        awaitRuns(
            batch, r -> r.stream().anyMatch(x -> x.event().equals("ran")), Duration.ofMinutes(2));
    assertThat(runs).extracting(Run::event).containsExactly("failed", "ran");
    JsonObject after = awaitFailure(ranOn, batch);
    assertThat(after.getString("redeferredAs", "")).as("seen from %s", ranOn.name()).isNotEmpty();
  }

  @Test
  @Order(6)
  void aServerKilledWhileTasksAreInFlightLosesNothing() throws Exception {
    String batch = "kill";
    String queue = cluster.queuePath("scaleout");
    // Queued first, then released: the tasks are in flight on both servers when one dies.
    Http.postJson(cluster.emulatorRest() + queue + ":pause", "{}");
    try {
      deferThroughBalancer(batch, 0, TASKS);
    } finally {
      Http.postJson(cluster.emulatorRest() + queue + ":resume", "{}");
    }
    awaitRuns(batch, r -> byItem(r).size() >= TASKS / 4, TASKS_TIMEOUT);
    long ranBeforeKill = runs(batch).size();
    Instant killedAt = Instant.now();
    cluster.b.kill();

    List<Run> runs = awaitItems(batch, TASKS, TASKS_TIMEOUT);
    Map<Integer, List<Run>> byItem = byItem(runs);
    long once = byItem.values().stream().filter(l -> l.size() == 1).count();
    long more = byItem.values().stream().filter(l -> l.size() > 1).count();
    long retriedRuns = runs.stream().filter(r -> r.retryCount() > 0).count();
    long lost = TASKS - byItem.size();
    Map<String, Long> perServer = perInstance(runs);
    long retriedOnA =
        runs.stream().filter(r -> r.retryCount() > 0 && r.instance().equals("a")).count();

    // The killed server comes back and takes tasks again.
    Instant restartAt = Instant.now();
    cluster.b.start();
    cluster.b.awaitReady();
    Duration restart = Duration.between(restartAt, Instant.now());
    String after = "kill-after";
    awaitBalancerSees("b");
    deferThroughBalancer(after, 0, 200);
    List<Run> afterRuns = awaitItems(after, 200, TASKS_TIMEOUT);
    Map<String, Long> afterPerServer = perInstance(afterRuns);

    String figures =
        String.format(
            "kill test: %d tasks; server b killed (SIGKILL) after %d runs; %d tasks ran once, %d"
                + " ran more than once (ran, then their answer was lost with the server), %d runs"
                + " were retries (%d of them on a), lost %d; runs per server %s; b restarted in"
                + " %d s and then ran %s of 200 new tasks%n",
            TASKS,
            ranBeforeKill,
            once,
            more,
            retriedRuns,
            retriedOnA,
            lost,
            perServer,
            restart.toSeconds(),
            afterPerServer);
    System.out.print(figures);
    ScaleOutCluster.writeFigures(cluster.work().resolve("kill-figures.txt"), figures);

    assertThat(lost).as("lost tasks").isZero();
    assertOnceUnlessRetried(byItem);
    assertThat(retriedOnA)
        .as(
            "tasks retried by the emulator after the kill that completed on a (killed at %s)",
            killedAt)
        .isPositive();
    assertThat(afterPerServer.getOrDefault("b", 0L)).as("runs on the restarted b").isPositive();
    assertQueueDrained("scaleout");
  }

  @Test
  @Order(7)
  void anApplicationWithOtherKeysOnTheSameEmulatorCannotRunTheseTasks() throws Exception {
    cluster.startOther();
    LibertyServer other = cluster.other;

    // The other application works on the same emulator: its own tasks come back to it.
    Http.post(other.baseUrl() + "/api/scaleout/batches/other-own?count=3");
    List<Run> own = awaitItems("other-own", 3, Duration.ofMinutes(2));
    assertThat(own).allSatisfy(r -> assertThat(r.instance()).isEqualTo("other"));

    // A task of the first application, delivered to the other one by the same emulator with a
    // valid token: the body and its signature header are the first application's.
    String queue = cluster.queuePath("scratch");
    Http.postJson(cluster.emulatorRest() + queue + ":pause", "{}");
    String batch = "foreign";
    Http.post(cluster.a.baseUrl() + "/api/scaleout/batches/" + batch + "?count=1&queue=scratch");
    JsonObject listed = Http.get(cluster.emulatorRest() + queue + "/tasks?responseView=FULL");
    assertThat(listed.getJsonArray("tasks")).hasSize(1);
    JsonObject original = listed.getJsonArray("tasks").getJsonObject(0);
    JsonObject request = original.getJsonObject("httpRequest");
    String otherHandler = "http://127.0.0.1:" + other.httpPort() + ScaleOutCluster.HANDLER_PATH;
    JsonObject forwarded =
        Json.createObjectBuilder()
            .add(
                "task",
                Json.createObjectBuilder()
                    .add(
                        "httpRequest",
                        Json.createObjectBuilder()
                            .add("url", otherHandler)
                            .add("httpMethod", "POST")
                            .add("headers", request.getJsonObject("headers"))
                            .add("body", request.getString("body"))
                            .add(
                                "oidcToken",
                                Json.createObjectBuilder()
                                    .add(
                                        "serviceAccountEmail",
                                        "deferred@"
                                            + ScaleOutCluster.PROJECT
                                            + ".iam.gserviceaccount.com")
                                    .add("audience", otherHandler))))
            .build();
    JsonObject created =
        Http.postJson(cluster.emulatorRest() + queue + "/tasks", forwarded.toString());
    Http.delete(cluster.emulatorRest() + original.getString("name"));
    Http.postJson(cluster.emulatorRest() + queue + ":resume", "{}");

    JsonObject attempted =
        awaitJson(
            cluster.emulatorRest() + created.getString("name") + "?responseView=FULL",
            t ->
                t.containsKey("lastAttempt")
                    && t.getJsonObject("lastAttempt").containsKey("responseStatus"));
    Http.postJson(cluster.emulatorRest() + queue + ":pause", "{}");
    System.out.println("the first application's task at the other one: " + attempted);
    assertThat(
            attempted.getJsonObject("lastAttempt").getJsonObject("responseStatus").getInt("code"))
        .as("gRPC code of the answer (7: PERMISSION_DENIED, from 403)")
        .isEqualTo(7);
    assertThat(runs(batch)).as("runs of the first application's task").isEmpty();
    assertThat(other.messages()).contains("DEFERRED-0408");
    Http.postJson(cluster.emulatorRest() + queue + ":purge", "{}");
    Http.postJson(cluster.emulatorRest() + queue + ":resume", "{}");
  }

  @Test
  @Order(8)
  void readinessIsDownWhileTheEmulatorIsDeadThenNamesTheQueuesItLostUntilAServerRestarts()
      throws Exception {
    List<LibertyServer> servers = List.of(cluster.a, cluster.b);
    String cloudTasks = "emulator at " + cluster.emulatorHost();
    for (LibertyServer server : servers) {
      Http.Reply ready = server.health("ready");
      System.out.printf("readiness of %s, emulator up: %s%n", server.name(), ready.body());
      assertThat(ready.status()).as(ready.body()).isEqualTo(200);
      JsonObject check = deferredCheck(ready);
      assertThat(check.getString("status")).isEqualTo("UP");
      JsonObject data = check.getJsonObject("data");
      assertThat(data.getString("mode")).isEqualTo("emulator");
      assertThat(data.getString("cloudTasks")).isEqualTo(cloudTasks);
      assertThat(queueStates(data)).containsKeys("scaleout", "default", "scratch");
      assertThat(queueStates(data))
          .allSatisfy((q, state) -> assertThat(state).isEqualTo("RUNNING"));
      assertThat(data.getString("payloadStore")).isEqualTo("Datastore, reachable");
      assertThat(data.getString("signingKeys")).isEqualTo("1 key");
      assertThat(data.containsKey("problems")).as(ready.body()).isFalse();
    }

    assertThat(cluster.killEmulator()).as("exit status, 128 + SIGKILL").isEqualTo(137);
    Instant killedAt = Instant.now();

    for (LibertyServer server : servers) {
      Http.Reply down = awaitHealth(server, "ready", r -> r.status() != 200, "DOWN");
      System.out.printf(
          "readiness of %s, %d ms after the emulator was killed: %s%n",
          server.name(), Duration.between(killedAt, Instant.now()).toMillis(), down.body());
      assertThat(down.status()).as(down.body()).isEqualTo(503);
      JsonObject check = deferredCheck(down);
      assertThat(check.getString("status")).isEqualTo("DOWN");
      JsonObject data = check.getJsonObject("data");
      assertThat(data.getString("cloudTasks")).isEqualTo(cloudTasks);
      assertThat(queueStates(data)).containsKeys("scaleout", "default", "scratch");
      assertThat(queueStates(data))
          .allSatisfy((q, state) -> assertThat(state).isEqualTo("UNKNOWN"));
      assertThat(data.getString("payloadStore")).isEqualTo("Datastore, reachable");
      assertThat(data.getString("problems"))
          .startsWith("DEFERRED-7601: Cloud Tasks cannot be reached (")
          .endsWith(
              "): check deferred.emulator.host in emulator mode, the network and credentials in"
                  + " cloud mode")
          .doesNotContain("DEFERRED-7602");
      // A dead emulator must not get the application restarted by its orchestrator.
      Http.Reply live = server.health("live");
      System.out.printf("liveness of %s, emulator killed: %s%n", server.name(), live.body());
      assertThat(live.status()).as(live.body()).isEqualTo(200);
      assertThat(deferredCheck(live).getString("status")).isEqualTo("UP");
    }

    // Started again on the same ports, the emulator is empty: the queues were in its memory. The
    // servers' clients reconnect; the library does not create the queues again by itself.
    cluster.restartEmulator();
    Instant emulatorBackAt = Instant.now();
    for (LibertyServer server : servers) {
      Http.Reply missing =
          awaitHealth(
              server,
              "ready",
              r ->
                  "MISSING"
                      .equals(queueStates(deferredCheck(r).getJsonObject("data")).get("scaleout")),
              "queue scaleout MISSING");
      System.out.printf(
          "readiness of %s, %d ms after the emulator was ready again: %s%n",
          server.name(),
          Duration.between(emulatorBackAt, Instant.now()).toMillis(),
          missing.body());
      assertThat(missing.status()).as(missing.body()).isEqualTo(503);
      JsonObject check = deferredCheck(missing);
      assertThat(check.getString("status")).isEqualTo("DOWN");
      JsonObject data = check.getJsonObject("data");
      assertThat(queueStates(data))
          .allSatisfy((q, state) -> assertThat(state).isEqualTo("MISSING"));
      assertThat(data.getString("problems"))
          .contains(
              "DEFERRED-7602: queue 'scaleout' is configured but missing in Cloud Tasks: restart"
                  + " the application to create it (deferred.create-queues is on)")
          .doesNotContain("DEFERRED-7601");
      assertThat(server.health("live").status()).isEqualTo(200);
    }
    JsonObject queues = Http.get(cluster.emulatorRest() + cluster.queuesPath());
    assertThat(queues.containsKey("queues") ? queues.getJsonArray("queues") : List.of())
        .as("queues in the restarted emulator")
        .isEmpty();

    // The fix the message names: one server restarted creates the queues, which both share.
    Instant restartAt = Instant.now();
    cluster.b.stop();
    cluster.b.start();
    cluster.b.awaitReady();
    for (LibertyServer server : servers) {
      Http.Reply back = awaitHealth(server, "ready", r -> r.status() == 200, "UP");
      System.out.printf(
          "readiness of %s, %d s after b was restarted: %s%n",
          server.name(), Duration.between(restartAt, Instant.now()).toSeconds(), back.body());
      JsonObject check = deferredCheck(back);
      assertThat(check.getString("status")).isEqualTo("UP");
      assertThat(queueStates(check.getJsonObject("data")))
          .allSatisfy((q, state) -> assertThat(state).isEqualTo("RUNNING"));
    }

    // Tasks run again on both, a included: it outlived the emulator, whose tokens are now signed
    // with a new key.
    awaitBalancerSees("b");
    String batch = "after-emulator-restart";
    deferThroughBalancer(batch, 0, 40);
    List<Run> runs = awaitItems(batch, 40, Duration.ofMinutes(3));
    System.out.printf("after the emulator restart: runs per server %s%n", perInstance(runs));
    assertThat(byItem(runs)).hasSize(40);
    assertThat(perInstance(runs).getOrDefault("a", 0L)).as("runs on a").isPositive();
    assertThat(perInstance(runs).getOrDefault("b", 0L)).as("runs on b").isPositive();
    assertQueueDrained("scaleout");
  }

  // ---------------------------------------------------------------------------------------------

  /** The library's check ({@code deferred}) in a MicroProfile Health answer. */
  private static JsonObject deferredCheck(Http.Reply reply) {
    return reply.json().getJsonArray("checks").stream()
        .map(JsonValue::asJsonObject)
        .filter(c -> c.getString("name").equals("deferred"))
        .findFirst()
        .orElseThrow(() -> new AssertionError("no 'deferred' check in " + reply.body()));
  }

  /** Each configured queue's state in the readiness data ({@code queue.ID}), by queue id. */
  private static Map<String, String> queueStates(JsonObject data) {
    Map<String, String> states = new TreeMap<>();
    for (String key : data.keySet()) {
      if (key.startsWith("queue.") && !key.endsWith(".tasks")) {
        states.put(key.substring("queue.".length()), data.getString(key));
      }
    }
    return states;
  }

  /** Asks a health endpoint until its answer satisfies {@code done}, for up to 2 minutes. */
  private static Http.Reply awaitHealth(
      LibertyServer server, String which, Predicate<Http.Reply> done, String what)
      throws InterruptedException {
    return Poll.until(
        server.name() + " /health/" + which + " " + what,
        Duration.ofMinutes(2),
        Duration.ofMillis(500),
        () -> server.health(which),
        done,
        String::valueOf);
  }

  /** One row the tasks wrote. */
  record Run(
      int item,
      String event,
      String instance,
      String deferredBy,
      String taskName,
      int retryCount,
      int executionCount,
      String detail) {
    static Run of(JsonObject o) {
      return new Run(
          o.getInt("item"),
          o.getString("event"),
          o.getString("instance"),
          o.getString("deferredBy", null),
          o.getString("taskName", null),
          o.getInt("retryCount"),
          o.getInt("executionCount"),
          o.getString("detail", null));
    }
  }

  /**
   * Defers items {@code from} to {@code from + count - 1} in requests of 100 through the balancer.
   */
  private Set<String> deferThroughBalancer(String batch, int from, int count) throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(8);
    try {
      List<Future<String>> answers = new ArrayList<>();
      for (int start = from; start < from + count; start += 100) {
        int first = start;
        int n = Math.min(100, from + count - start);
        answers.add(
            pool.submit(
                () ->
                    Http.post(
                            cluster.balancerUrl()
                                + "/api/scaleout/batches/"
                                + batch
                                + "?from="
                                + first
                                + "&count="
                                + n)
                        .getString("instance")));
      }
      java.util.Set<String> instances = new java.util.TreeSet<>();
      for (Future<String> answer : answers) {
        instances.add(answer.get());
      }
      return instances;
    } finally {
      pool.shutdownNow();
    }
  }

  private List<Run> runs(String batch) {
    JsonObject answer = Http.get(cluster.balancerUrl() + "/api/scaleout/batches/" + enc(batch));
    return answer.getJsonArray("runs").stream().map(JsonValue::asJsonObject).map(Run::of).toList();
  }

  private List<Run> awaitItems(String batch, int items, Duration timeout)
      throws InterruptedException {
    return awaitRuns(batch, r -> byItem(r).size() >= items, timeout);
  }

  private List<Run> awaitRuns(String batch, Predicate<List<Run>> done, Duration timeout)
      throws InterruptedException {
    return Poll.until(
        "batch " + batch + " done",
        timeout,
        Duration.ofSeconds(1),
        () -> runs(batch),
        done,
        runs -> byItem(runs).size() + " items ran, " + perInstance(runs));
  }

  private static JsonObject awaitJson(String url, Predicate<JsonObject> done)
      throws InterruptedException {
    return Poll.until(
        url + " done",
        Duration.ofMinutes(3),
        Duration.ofSeconds(1),
        () -> Http.get(url),
        done,
        String::valueOf);
  }

  /** The failure record of the batch's task, listed by {@code server}'s failed-task API. */
  private JsonObject awaitFailure(LibertyServer server, String batch) throws InterruptedException {
    return Poll.until(
            "a failure record for " + batch + " on " + server.name(),
            Duration.ofMinutes(2),
            Duration.ofMillis(500),
            () -> failureOf(server, batch),
            java.util.Optional::isPresent,
            none -> "none listed")
        .orElseThrow();
  }

  private static java.util.Optional<JsonObject> failureOf(LibertyServer server, String batch) {
    JsonObject page = Http.get(server.baseUrl() + "/api/scaleout/failed-tasks?method=failOnce");
    for (JsonValue v : page.getJsonArray("tasks")) {
      JsonObject t = v.asJsonObject();
      if (t.getString("arguments").contains("\"" + batch + "\"")) {
        assertThat(page.getString("instance")).isEqualTo(server.instance());
        return java.util.Optional.of(t);
      }
    }
    return java.util.Optional.empty();
  }

  private void awaitBalancerSees(String instance) throws InterruptedException {
    Poll.until(
        "the balancer sending requests to " + instance,
        Duration.ofMinutes(1),
        Duration.ofMillis(300),
        () -> Http.get(cluster.balancerUrl() + "/api/scaleout/instance").getString("instance"),
        instance::equals,
        seen -> "answered by " + seen);
  }

  private void assertQueueDrained(String queue) throws InterruptedException {
    JsonObject tasks =
        awaitJson(
            cluster.emulatorRest() + cluster.queuePath(queue) + "/tasks",
            t -> !t.containsKey("tasks") || t.getJsonArray("tasks").isEmpty());
    assertThat(tasks.containsKey("tasks") ? tasks.getJsonArray("tasks") : List.of()).isEmpty();
  }

  /** Every item ran once, or more than once only where a later run was a retry. */
  private static void assertOnceUnlessRetried(Map<Integer, List<Run>> byItem) {
    for (Map.Entry<Integer, List<Run>> e : byItem.entrySet()) {
      List<Run> itemRuns = e.getValue();
      if (itemRuns.size() > 1) {
        assertThat(itemRuns)
            .as("item %d ran %d times: a repeat must be a retry", e.getKey(), itemRuns.size())
            .anySatisfy(r -> assertThat(r.retryCount()).isPositive());
      }
    }
  }

  private static Map<Integer, List<Run>> byItem(List<Run> runs) {
    Map<Integer, List<Run>> byItem = new HashMap<>();
    for (Run r : runs) {
      if (r.event().equals("ran")) {
        byItem.computeIfAbsent(r.item(), k -> new ArrayList<>()).add(r);
      }
    }
    return byItem;
  }

  private static Map<String, Long> perInstance(List<Run> runs) {
    return runs.stream()
        .collect(Collectors.groupingBy(Run::instance, TreeMap::new, Collectors.counting()));
  }

  private static String enc(String s) {
    return URLEncoder.encode(s, StandardCharsets.UTF_8);
  }
}
