package dev.deferred.sample.it;

import static org.assertj.core.api.Assertions.assertThat;

import jakarta.json.JsonObject;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
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
    // The first iteration of the server compiles queries and opens connections: on a loaded
    // machine that takes longer than the other tests' 30 seconds.
    HttpResponse<String> started =
        HttpClient.newHttpClient()
            .send(
                HttpRequest.newBuilder(SampleApp.uri("/api/iterations?" + query))
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
}
