package dev.deferred.sample.it;

import static org.assertj.core.api.Assertions.assertThat;

import jakarta.json.JsonObject;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * IterationService on Open Liberty: a JPA query over the sample's JTA datasource, split into shards
 * of tasks delivered by the embedded emulator, each row processed once in its own transaction,
 * finalize once.
 */
@ExtendWith(ServerLogOnFailure.class)
class IterationIT {

  /** Starts the scenario's iteration over {@code rows} parcels, half of them in the EU. */
  private static String start(String label, int rows, int shards) throws Exception {
    return start("label=" + label + "&rows=" + rows + "&shards=" + shards);
  }

  private static String start(String query) throws Exception {
    return startAt("/api/iterations?" + query);
  }

  private static String startAt(String pathAndQuery) throws Exception {
    // The first iteration of the server compiles queries and opens connections: on a loaded
    // machine that takes longer than the other tests' 30 seconds.
    HttpResponse<String> started =
        HttpClient.newHttpClient()
            .send(
                HttpRequest.newBuilder(SampleApp.uri(pathAndQuery))
                    .POST(HttpRequest.BodyPublishers.noBody())
                    .timeout(Duration.ofMinutes(3))
                    .build(),
                HttpResponse.BodyHandlers.ofString());
    assertThat(started.statusCode()).as(started.body()).isEqualTo(200);
    return Json.parse(started.body()).getString("id");
  }

  private static JsonObject awaitDone(String id, String label) {
    return Poll.until(
        "iteration " + id + " done",
        () -> {
          HttpResponse<String> r = SampleApp.get("/api/iterations/" + id + "?label=" + label);
          return r.statusCode() == 200 ? Json.parse(r.body()) : null;
        },
        p -> p != null && p.getString("state").equals("DONE"),
        Duration.ofMinutes(5));
  }

  /** The scenario's report, with or without a marker (the status then is 404). */
  private static JsonObject report(String id, String label) {
    return Json.parse(SampleApp.get("/api/iterations/" + id + "?label=" + label).body());
  }

  /** How many rows each shard processed, by shard index, from the rows' counters. */
  private static Map<Integer, Integer> rowsPerShard(JsonObject rows) {
    Map<Integer, Integer> perShard = new TreeMap<>();
    for (String key : rows.keySet()) {
      JsonObject row = rows.getJsonObject(key);
      if (row.getInt("handled") > 0) {
        perShard.merge(row.getInt("shard"), 1, Integer::sum);
      }
    }
    return perShard;
  }

  /** The rows each shard's callback saw, in the order it saw them, by shard index. */
  private static Map<Integer, List<String>> seenPerShard(JsonObject report) {
    Map<Integer, List<String>> perShard = new TreeMap<>();
    for (JsonObject seen : report.getJsonArray("seen").getValuesAs(JsonObject.class)) {
      perShard
          .computeIfAbsent(seen.getInt("shard"), s -> new ArrayList<>())
          .add(seen.getString("row"));
    }
    return perShard;
  }

  /** Every EU row handled once, every other row not at all. */
  private static void assertEuRowsHandledOnce(JsonObject rows) {
    for (String key : rows.keySet()) {
      boolean eu = rows.getJsonObject(key).getString("region").equals("EU");
      assertThat(rows.getJsonObject(key).getInt("handled")).as("row %s", key).isEqualTo(eu ? 1 : 0);
    }
  }

  @Test
  void everyMatchingRowIsProcessedOnceInItsShardAndFinalizeRunsOnce() throws Exception {
    String label = "it" + System.nanoTime();
    String id = start(label, 50, 5);
    JsonObject done = awaitDone(id, label);

    assertThat(done.getInt("shards")).isEqualTo(5);
    assertThat(done.getInt("shardsFinished")).isEqualTo(5);
    assertThat(done.getInt("rowsProcessed")).isEqualTo(25);
    assertThat(done.getInt("finalized")).isEqualTo(1);
    Map<Integer, Integer> rowsPerShard = new TreeMap<>();
    JsonObject rows = done.getJsonObject("rows");
    assertThat(rows).hasSize(50);
    for (String key : rows.keySet()) {
      JsonObject row = rows.getJsonObject(key);
      boolean eu = row.getString("region").equals("EU");
      assertThat(row.getInt("handled")).as("row %s", key).isEqualTo(eu ? 1 : 0);
      if (eu) {
        rowsPerShard.merge(row.getInt("shard"), 1, Integer::sum);
      }
    }
    assertThat(rowsPerShard).containsOnlyKeys(0, 1, 2, 3, 4);
    assertThat(rowsPerShard.values()).allSatisfy(n -> assertThat(n).isEqualTo(5));
  }

  @Test
  void aRowThatFailsAFewTimesIsRetriedAndNoRowIsProcessedTwice() throws Exception {
    String label = "fail" + System.nanoTime();
    // Parcel 6 (EU) fails three times: once after rows 0, 2 and 4 succeeded in the first task, then
    // twice as the first row of its continuation, retried by the queue.
    String id = start("label=" + label + "&rows=12&shards=1&queue=retries&failRow=6&failTimes=3");
    JsonObject done = awaitDone(id, label);

    assertThat(done.getInt("rowsProcessed")).isEqualTo(6);
    assertThat(done.getInt("finalized")).isEqualTo(1);
    JsonObject rows = done.getJsonObject("rows");
    for (String key : rows.keySet()) {
      boolean eu = rows.getJsonObject(key).getString("region").equals("EU");
      // A failed attempt rolls back with its transaction; rows before parcel 6 are not repeated.
      assertThat(rows.getJsonObject(key).getInt("handled")).as("row %s", key).isEqualTo(eu ? 1 : 0);
    }
  }

  @Test
  void tasksDeliveredAgainRunNothingTwiceBeforeOrAfterTheMarkerIsDeleted() throws Exception {
    String label = "again" + System.nanoTime();
    String id = start(label, 8, 2);
    awaitDone(id, label);
    List<String> tasks = List.of(id + "-plan", id + "-s0-0", id + "-s1-0", id + "-finalize");
    List<JsonObject> deliveries = tasks.stream().map(Deliveries::first).toList();

    // Finalize delivered again while the marker records it done: nothing runs.
    JsonObject finalize = deliveries.get(3);
    assertThat(Deliveries.again(finalize).statusCode()).isBetween(200, 299);
    assertThat(awaitDone(id, label).getInt("finalized")).isEqualTo(1);

    // After the marker is deleted, every task of the iteration delivered again stops quietly: the
    // planning task does not start the iteration over.
    assertThat(SampleApp.send(HttpRequest.newBuilder(iteration(id, label)).DELETE()).statusCode())
        .isEqualTo(204);
    for (int i = 0; i < tasks.size(); i++) {
      HttpResponse<String> again = Deliveries.again(deliveries.get(i));
      assertThat(again.statusCode()).as(tasks.get(i) + ": " + again.body()).isBetween(200, 299);
    }
    HttpResponse<String> after = SampleApp.get("/api/iterations/" + id + "?label=" + label);
    assertThat(after.statusCode()).as("no marker is written again").isEqualTo(404);
    JsonObject counters = Json.parse(after.body());
    assertThat(counters.getInt("finalized")).isEqualTo(1);
    JsonObject rows = counters.getJsonObject("rows");
    for (String key : rows.keySet()) {
      boolean eu = rows.getJsonObject(key).getString("region").equals("EU");
      assertThat(rows.getJsonObject(key).getInt("handled")).as("row %s", key).isEqualTo(eu ? 1 : 0);
    }
    assertThat(Deliveries.of(id + "-s0-1")).as("no continuation").isEmpty();
  }

  @Test
  void shardsStopQuietlyWhenTheMarkerIsDeletedMidRun() throws Exception {
    String label = "deleted" + System.nanoTime();
    // One shard of 10 EU parcels, read 4 at a time; its rows wait at the shard's gate.
    String id = start("label=" + label + "&rows=20&shards=1&gated=true");
    Poll.until(
        "the marker of iteration " + id,
        () -> SampleApp.get("/api/iterations/" + id + "?label=" + label).statusCode(),
        status -> status == 200,
        Duration.ofMinutes(2));
    assertThat(SampleApp.send(HttpRequest.newBuilder(iteration(id, label)).DELETE()).statusCode())
        .isEqualTo(204);
    HttpResponse<String> opened =
        SampleApp.post("/api/iterations/gates?label=" + label + "&shard=0", "text/plain", "");
    assertThat(opened.statusCode()).isEqualTo(204);

    // The shard's task ends without an error and without a continuation or finalize: at most the
    // batch it had read before the deletion is processed.
    JsonObject shard = Deliveries.first(id + "-s0-0");
    assertThat(shard.getInt("status")).isBetween(200, 299);
    HttpResponse<String> after = SampleApp.get("/api/iterations/" + id + "?label=" + label);
    assertThat(after.statusCode()).isEqualTo(404);
    JsonObject counters = Json.parse(after.body());
    JsonObject rows = counters.getJsonObject("rows");
    int handled = 0;
    for (String key : rows.keySet()) {
      handled += rows.getJsonObject(key).getInt("handled");
    }
    assertThat(handled).isIn(0, 4);
    assertThat(counters.getInt("finalized")).isZero();
    assertThat(Deliveries.of(id + "-s0-1")).isEmpty();
    assertThat(Deliveries.of(id + "-finalize")).isEmpty();
  }

  private static java.net.URI iteration(String id, String label) {
    return SampleApp.uri("/api/iterations/" + id + "?label=" + label);
  }

  @Test
  void aShardThatHitsItsTimeBudgetContinuesInANewTask() throws Exception {
    String label = "budget" + System.nanoTime();
    // 3 EU parcels in one shard; each takes at least 3 ms against a budget of 1 ms, so each task
    // does one row and defers the shard's continuation.
    String id = start("label=" + label + "&rows=6&shards=1&budgetMillis=1&rowMillis=3");
    JsonObject done = awaitDone(id, label);

    assertThat(done.getInt("rowsProcessed")).isEqualTo(3);
    assertThat(done.getInt("finalized")).isEqualTo(1);
    JsonObject rows = done.getJsonObject("rows");
    for (String key : rows.keySet()) {
      boolean eu = rows.getJsonObject(key).getString("region").equals("EU");
      assertThat(rows.getJsonObject(key).getInt("handled")).as("row %s", key).isEqualTo(eu ? 1 : 0);
    }
    for (String task : List.of(id + "-s0-0", id + "-s0-1", id + "-s0-2")) {
      assertThat(Deliveries.first(task).getInt("status")).as(task).isBetween(200, 299);
    }
    assertThat(Deliveries.of(id + "-s0-3")).isEmpty();
  }

  @Test
  void anEmptyQueryStillRunsFinalize() throws Exception {
    String label = "empty" + System.nanoTime();
    String id = start(label, 0, 5);
    JsonObject done = awaitDone(id, label);

    assertThat(done.getInt("shards")).isZero();
    assertThat(done.getInt("rowsProcessed")).isZero();
    assertThat(done.getInt("finalized")).isEqualTo(1);
    assertThat(done.getJsonObject("rows")).isEmpty();
  }

  @Test
  void aStartInATransactionThatRollsBackLeavesNoMarkerAndNoTask() {
    String label = "rollback" + System.nanoTime();
    HttpResponse<String> r =
        SampleApp.post("/api/iterations/rolled-back?label=" + label, "text/plain", "");
    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    JsonObject started = Json.parse(r.body());

    // Dropped when the transaction rolled back: never sent to Cloud Tasks.
    assertThat(started.getString("startTask")).isEqualTo("DROPPED");
    HttpResponse<String> progress =
        SampleApp.get("/api/iterations/" + started.getString("id") + "?label=" + label);
    assertThat(progress.statusCode()).isEqualTo(404);
  }

  @Test
  void fiftyShardsFinishingAtTheSameMomentRunFinalizeOnceEveryTime() throws Exception {
    for (int round = 1; round <= 3; round++) {
      String label = "together" + round + "n" + System.nanoTime();
      long began = System.nanoTime();
      // 50 EU parcels in 50 shards, one each; each row waits in its callback until all 50 are
      // there, so the 50 shards record their completion in the marker at the same moment. The
      // queue lets all 50 shard tasks be in flight at once.
      String id = start("label=" + label + "&rows=100&shards=50&together=true&queue=iterations");
      JsonObject done = awaitDone(id, label);
      long millis = (System.nanoTime() - began) / 1_000_000;

      assertThat(done.getInt("rendezvousMissed"))
          .as("round %d: rows that stopped waiting", round)
          .isZero();
      assertThat(done.getInt("shards")).isEqualTo(50);
      assertThat(done.getInt("shardsFinished")).isEqualTo(50);
      assertThat(done.getInt("rowsProcessed")).isEqualTo(50);
      assertEuRowsHandledOnce(done.getJsonObject("rows"));
      Map<Integer, Integer> perShard = rowsPerShard(done.getJsonObject("rows"));
      assertThat(perShard).hasSize(50);
      assertThat(perShard.values()).containsOnly(1);
      // Finalize ran once: counted in memory and in the database, by its own transaction.
      assertThat(done.getInt("finalized")).as("round %d", round).isEqualTo(1);
      assertThat(done.getInt("finalizedRuns")).as("round %d", round).isEqualTo(1);
      assertThat(done.getInt("finalizeCalls")).as("round %d", round).isEqualTo(1);
      System.out.printf(
          "IterationIT: round %d, 50 shards finishing together, finalize runs %d, %d ms%n",
          round, done.getInt("finalizedRuns"), millis);
    }
  }

  @Test
  void skewedIdsGiveShardsWithinTwiceOfEachOther() throws Exception {
    String label = "skewed" + System.nanoTime();
    // Ten small ids and 91 large ones: equal value intervals would put 91 rows in one shard.
    String id = start("label=" + label + "&ids=1-10,500000-500090&shards=5");
    JsonObject done = awaitDone(id, label);

    assertThat(done.getInt("rowsProcessed")).isEqualTo(101);
    assertThat(done.getInt("finalizedRuns")).isEqualTo(1);
    assertEuRowsHandledOnce(done.getJsonObject("rows"));
    Map<Integer, Integer> perShard = rowsPerShard(done.getJsonObject("rows"));
    System.out.println("IterationIT: rows per shard with skewed ids: " + perShard);
    assertThat(perShard).containsOnlyKeys(0, 1, 2, 3, 4);
    assertThat(perShard.values().stream().mapToInt(Integer::intValue).sum()).isEqualTo(101);
    int smallest = perShard.values().stream().min(Integer::compare).orElseThrow();
    int largest = perShard.values().stream().max(Integer::compare).orElseThrow();
    assertThat(largest).isLessThanOrEqualTo(2 * smallest);
  }

  @Test
  void sequentialKeyRangesSplitTheIdsIntoEqualValueIntervals() throws Exception {
    String label = "sequential" + System.nanoTime();
    // Ids 0 to 99 and 999 in 4 shards of 250 id values each: [0, 250), [250, 500), [500, 750),
    // [750, ...). The two middle shards hold no row and still finish.
    String id = start("label=" + label + "&ids=0-99,999&shards=4&keyRanges=sequential");
    JsonObject done = awaitDone(id, label);

    assertThat(done.getInt("shards")).isEqualTo(4);
    assertThat(done.getInt("shardsFinished")).isEqualTo(4);
    assertThat(done.getInt("rowsProcessed")).isEqualTo(101);
    assertThat(done.getInt("finalizedRuns")).isEqualTo(1);
    JsonObject rows = done.getJsonObject("rows");
    assertEuRowsHandledOnce(rows);
    for (String key : rows.keySet()) {
      assertThat(rows.getJsonObject(key).getInt("shard"))
          .as("row %s", key)
          .isEqualTo(Long.parseLong(key) < 250 ? 0 : 3);
    }
    Map<Integer, Integer> perShard = rowsPerShard(rows);
    System.out.println("IterationIT: rows per shard with sequential key ranges: " + perShard);
    assertThat(perShard).containsExactly(Map.entry(0, 100), Map.entry(3, 1));
  }

  @Test
  void stringKeysAreEachProcessedOnceInKeyOrderWithinTheirShard() throws Exception {
    String label = "depots" + System.nanoTime();
    String id = startAt("/api/iterations/depots?label=" + label + "&shards=3");
    JsonObject done = awaitDone(id, label);

    assertThat(done.getInt("shards")).isEqualTo(3);
    assertThat(done.getInt("rowsProcessed")).isEqualTo(14);
    assertThat(done.getInt("finalized")).isEqualTo(1);
    assertThat(done.getInt("finalizedRuns")).isEqualTo(1);
    JsonObject depots = done.getJsonObject("depots");
    assertThat(depots).hasSize(14);
    Map<Integer, List<String>> byShard = new TreeMap<>();
    for (String city : depots.keySet()) {
      JsonObject depot = depots.getJsonObject(city);
      assertThat(depot.getInt("inspected")).as(city).isEqualTo(1);
      byShard.computeIfAbsent(depot.getInt("shard"), s -> new ArrayList<>()).add(city);
    }
    assertThat(byShard).containsOnlyKeys(0, 1, 2);
    // Each shard saw its depots in the codes' order (batches of 2, keyset on the code).
    Map<Integer, List<String>> seen = seenPerShard(done);
    System.out.println("IterationIT: depots per shard, in the order seen: " + seen);
    assertThat(seen.keySet()).isEqualTo(byShard.keySet());
    seen.forEach(
        (shard, cities) -> {
          assertThat(cities).as("shard %d", shard).isSorted();
          assertThat(cities)
              .as("shard %d", shard)
              .containsExactlyInAnyOrderElementsOf(byShard.get(shard));
        });
  }

  @Test
  void rowsOfAShardAreProcessedInTheOrderOfAnotherAttribute() throws Exception {
    String label = "ordered" + System.nanoTime();
    // 12 EU parcels (0, 2, ... 22), most urgent first: priority 6 for parcel 0 down to 0 for
    // parcel 22, two parcels of each priority between. Ordered by priority, then id, in batches of
    // 2: the keyset must carry both, or a tie would be skipped or repeated.
    String id = start("label=" + label + "&rows=24&shards=2&orderBy=priority&batchSize=2");
    JsonObject done = awaitDone(id, label);

    assertThat(done.getInt("rowsProcessed")).isEqualTo(12);
    assertThat(done.getInt("finalizedRuns")).isEqualTo(1);
    JsonObject rows = done.getJsonObject("rows");
    assertEuRowsHandledOnce(rows);
    Map<Integer, List<String>> seen = seenPerShard(done);
    System.out.println("IterationIT: parcels per shard, in the order seen: " + seen);
    assertThat(seen).containsOnlyKeys(0, 1);
    Comparator<String> byPriorityThenId =
        Comparator.<String>comparingInt(row -> rows.getJsonObject(row).getInt("priority"))
            .thenComparingLong(Long::parseLong);
    for (Map.Entry<Integer, List<String>> shard : seen.entrySet()) {
      List<String> expected =
          rows.keySet().stream()
              .filter(row -> rows.getJsonObject(row).getInt("shard") == shard.getKey())
              .filter(row -> rows.getJsonObject(row).getInt("handled") == 1)
              .sorted(byPriorityThenId)
              .toList();
      assertThat(shard.getValue()).as("shard %d", shard.getKey()).isEqualTo(expected);
    }
    // Not id order: parcel 0, the most urgent, comes last in its shard.
    assertThat(seen.get(0)).endsWith("0");
  }

  @Test
  void finalizeDeliveredTwiceAtOnceRunsOnce() throws Exception {
    String label = "concurrent" + System.nanoTime();
    // Finalize fails once, so that its first delivery (the request Cloud Tasks retries) is at hand
    // to deliver again; the retry then waits in finalize until the test opens its gate.
    String id =
        start(
            "label="
                + label
                + "&rows=8&shards=2&queue=retries&finalizeFailTimes=1&finalizeGated=true");
    try {
      Poll.until(
          "finalize retried and waiting",
          () -> report(id, label).getInt("finalizeCalls"),
          calls -> calls == 2,
          Duration.ofMinutes(3));
      JsonObject failed = Deliveries.first(id + "-finalize");
      assertThat(failed.getInt("status")).isGreaterThanOrEqualTo(500);

      // Delivered again while the retry runs finalize: finalize is claimed, so the delivery is
      // answered 408 (Cloud Tasks would retry it later) and finalize does not start again.
      HttpResponse<String> concurrent = Deliveries.again(failed);
      assertThat(concurrent.statusCode()).as(concurrent.body()).isEqualTo(408);
      assertThat(report(id, label).getInt("finalizeCalls")).isEqualTo(2);
    } finally {
      SampleApp.post("/api/iterations/gates?label=" + label + "&finalize=true", "text/plain", "");
    }
    JsonObject done = awaitDone(id, label);
    assertThat(done.getInt("finalized")).isEqualTo(1);
    assertThat(done.getInt("finalizedRuns")).isEqualTo(1);
    assertThat(done.getInt("finalizeCalls")).isEqualTo(2);
    assertEuRowsHandledOnce(done.getJsonObject("rows"));

    // Delivered again once finalize is done: nothing runs.
    HttpResponse<String> later = Deliveries.again(Deliveries.first(id + "-finalize"));
    assertThat(later.statusCode()).isBetween(200, 299);
    JsonObject after = awaitDone(id, label);
    assertThat(after.getInt("finalizeCalls")).isEqualTo(2);
    assertThat(after.getInt("finalizedRuns")).isEqualTo(1);
  }

  @Test
  void aFinalizeEnqueueThatFailsAfterTheMarkerCommittedIsRepairedByTheShardsRetry()
      throws Exception {
    String label = "enqueue" + System.nanoTime();
    String id = start("label=" + label + "&rows=8&shards=2&queue=retries&failFinalizeEnqueue=true");
    JsonObject done = awaitDone(id, label);

    assertThat(done.getInt("finalizeEnqueueFailures")).isEqualTo(1);
    assertThat(done.getInt("finalized")).isEqualTo(1);
    assertThat(done.getInt("finalizedRuns")).isEqualTo(1);
    assertThat(done.getInt("rowsProcessed")).isEqualTo(4);
    // The shard task that saw the last shard finish failed on the enqueue and was retried; the
    // retry found its shard recorded, repeated no row and deferred finalize.
    assertEuRowsHandledOnce(done.getJsonObject("rows"));
    List<Integer> statuses = new ArrayList<>();
    for (String task : List.of(id + "-s0-0", id + "-s1-0")) {
      Deliveries.of(task).forEach(d -> statuses.add(d.getInt("status")));
    }
    System.out.println(
        "IterationIT: shard task statuses with a failed finalize enqueue: " + statuses);
    assertThat(statuses).filteredOn(s -> s >= 500).hasSize(1);
    assertThat(statuses).filteredOn(s -> s >= 200 && s < 300).hasSize(2);
    assertThat(Deliveries.of(id + "-finalize")).hasSize(1);
  }
}
