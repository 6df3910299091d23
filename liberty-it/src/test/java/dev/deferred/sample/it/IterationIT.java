package dev.deferred.sample.it;

import static org.assertj.core.api.Assertions.assertThat;

import jakarta.json.JsonObject;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
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

  @Test
  void everyMatchingRowIsProcessedOnceInItsShardAndFinalizeRunsOnce() throws Exception {
    String label = "it" + System.nanoTime();
    // The first iteration of the server compiles queries and opens connections: on a loaded
    // machine that takes longer than the other tests' 30 seconds.
    HttpResponse<String> started =
        HttpClient.newHttpClient()
            .send(
                HttpRequest.newBuilder(
                        SampleApp.uri("/api/iterations?label=" + label + "&rows=50&shards=5"))
                    .POST(HttpRequest.BodyPublishers.noBody())
                    .timeout(Duration.ofMinutes(3))
                    .build(),
                HttpResponse.BodyHandlers.ofString());
    assertThat(started.statusCode()).as(started.body()).isEqualTo(200);
    String id = Json.parse(started.body()).getString("id");

    JsonObject done =
        Poll.until(
            "iteration " + id + " done",
            () -> {
              HttpResponse<String> r = SampleApp.get("/api/iterations/" + id + "?label=" + label);
              return r.statusCode() == 200 ? Json.parse(r.body()) : null;
            },
            p -> p != null && p.getString("state").equals("DONE"),
            Duration.ofMinutes(5));

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
}
