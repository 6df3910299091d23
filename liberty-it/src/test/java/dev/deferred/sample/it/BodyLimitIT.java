package dev.deferred.sample.it;

import static org.assertj.core.api.Assertions.assertThat;

import jakarta.json.JsonObject;
import java.io.IOException;
import java.io.InputStream;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The task handler reads no body before the request is authenticated: concurrent unauthenticated
 * 100 MB POSTs leave the server's heap flat and the server answering.
 */
@ExtendWith(ServerLogOnFailure.class)
class BodyLimitIT {
  private static final long HUNDRED_MB = 100L * 1024 * 1024;
  private static final int CONCURRENT = 8;

  @Test
  void concurrentUnauthenticatedHundredMegabytePostsLeaveTheHeapFlat() throws Exception {
    SampleApp.awaitStarted();
    long base = heap("reset").getJsonNumber("used").longValue();
    HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
    ExecutorService pool = Executors.newFixedThreadPool(CONCURRENT);
    List<Future<Integer>> answers = new ArrayList<>();
    try {
      for (int i = 0; i < CONCURRENT; i++) {
        answers.add(
            pool.submit(
                () -> {
                  HttpRequest request =
                      HttpRequest.newBuilder(SampleApp.uri("/_ah/queue/deferred"))
                          .timeout(Duration.ofMinutes(2))
                          .header("Content-Type", "application/json")
                          .header("Authorization", "Bearer forged.token.value")
                          .POST(
                              HttpRequest.BodyPublishers.fromPublisher(
                                  HttpRequest.BodyPublishers.ofInputStream(
                                      () -> new Zeros(HUNDRED_MB)),
                                  HUNDRED_MB))
                          .build();
                  try {
                    return http.send(request, HttpResponse.BodyHandlers.discarding()).statusCode();
                  } catch (IOException e) {
                    // The server may answer and close the connection before the body is sent.
                    return -1;
                  }
                }));
      }
      for (Future<Integer> answer : answers) {
        assertThat(answer.get(3, TimeUnit.MINUTES)).isIn(403, -1);
      }
    } finally {
      pool.shutdownNow();
    }
    JsonObject heap = heap("");
    long peak = heap.getJsonNumber("peak").longValue();
    System.out.printf(
        "BodyLimitIT: %d x %d MB refused; heap before %d MB, peak during %d MB%n",
        CONCURRENT, HUNDRED_MB >> 20, base >> 20, peak >> 20);
    // One body held in memory would be 100 MB; eight would be 800 MB.
    assertThat(peak - base).isLessThan(HUNDRED_MB / 2);

    Defer defer = Defer.task("record").with("message", "after the flood");
    defer.ok();
    Journal.awaitRun(defer.key());
  }

  private static JsonObject heap(String action) {
    HttpResponse<String> response =
        action.isEmpty()
            ? SampleApp.get("/api/diagnostics/heap")
            : SampleApp.post("/api/diagnostics/heap/" + action, "application/json", "{}");
    assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
    return Json.parse(response.body());
  }

  /** A body of zeros that exists only as a count. */
  private static final class Zeros extends InputStream {
    private long left;

    Zeros(long size) {
      this.left = size;
    }

    @Override
    public int read() {
      if (left <= 0) {
        return -1;
      }
      left--;
      return 0;
    }

    @Override
    public int read(byte[] b, int off, int len) {
      if (left <= 0) {
        return -1;
      }
      int n = (int) Math.min(len, left);
      java.util.Arrays.fill(b, off, off + n, (byte) 0);
      left -= n;
      return n;
    }
  }
}
