package dev.deferred.sample.it;

import static org.assertj.core.api.Assertions.assertThat;

import jakarta.json.JsonObject;
import jakarta.json.JsonString;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.function.BiFunction;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * 1,000 requests derived from one real delivery, each changed so that the handler must refuse it:
 * token, payload signature, body bytes, JSON structure (re-signed with the application's key, as a
 * leaked key would allow), sizes, the delivering queue, the expiry. None may run the task, none may
 * get a 5xx, no answer may carry a stack trace, and the server must still run real tasks
 * afterwards. The generator's seed is printed; {@code -Dfuzz.seed=N} replays a run.
 */
@ExtendWith(ServerLogOnFailure.class)
class HandlerFuzzIT {
  private static final String HANDLER = "/_ah/queue/deferred";
  private static final int REQUESTS = 1000;

  private record Request(String kind, Map<String, String> headers, byte[] body) {}

  @Test
  void athousandMutatedDeliveriesRunNothingAndNeverFailTheServer() {
    long seed = Long.getLong("fuzz.seed", System.nanoTime());
    System.out.println("HandlerFuzzIT seed=" + seed + " (replay with -Dfuzz.seed=" + seed + ")");
    Random random = new Random(seed);

    Defer defer = Defer.task("record").with("message", "fuzzed");
    String name = defer.ok().getString("name");
    String key = defer.key();
    Journal.awaitRun(key);
    JsonObject delivery = Deliveries.first(name);
    Map<String, String> headers = headers(delivery);
    byte[] body = delivery.getString("body").getBytes(StandardCharsets.UTF_8);
    int journalBefore = Journal.entries(key).size();

    List<BiFunction<Random, Request, Request>> mutations =
        List.of(
            HandlerFuzzIT::dropToken,
            HandlerFuzzIT::garbleToken,
            HandlerFuzzIT::dropSignature,
            HandlerFuzzIT::garbleSignature,
            HandlerFuzzIT::flipBodyByte,
            HandlerFuzzIT::truncateOrExtendBody,
            HandlerFuzzIT::otherQueue,
            HandlerFuzzIT::expired,
            HandlerFuzzIT::signedForAnotherQueue,
            HandlerFuzzIT::forbiddenTarget,
            HandlerFuzzIT::brokenStructure,
            HandlerFuzzIT::signedGarbage,
            HandlerFuzzIT::oversize);
    Map<String, Map<Integer, Integer>> figures = new TreeMap<>();
    long started = System.nanoTime();
    for (int i = 0; i < REQUESTS; i++) {
      Request original = new Request("original", new LinkedHashMap<>(headers), body.clone());
      Request mutated = mutations.get(random.nextInt(mutations.size())).apply(random, original);
      HttpResponse<String> response = send(mutated);
      int status = response.statusCode();
      figures.computeIfAbsent(mutated.kind(), k -> new TreeMap<>()).merge(status, 1, Integer::sum);
      String detail = "request " + i + " (" + mutated.kind() + ", seed " + seed + ")";
      assertThat(status).as(detail).isBetween(200, 499);
      assertThat(response.body())
          .as(detail)
          .doesNotContain("Exception", "\tat ", "at dev.deferred", "at java.");
    }
    long millis = (System.nanoTime() - started) / 1_000_000;
    System.out.println(
        "HandlerFuzzIT: " + REQUESTS + " requests in " + millis + " ms, status by kind " + figures);

    assertThat(Journal.entries(key)).as("runs of the fuzzed task").hasSize(journalBefore);
    Defer after = Defer.task("record").with("message", "after fuzzing");
    after.ok();
    Journal.awaitRun(after.key());
  }

  private static HttpResponse<String> send(Request r) {
    Map<String, String> rest = new LinkedHashMap<>(r.headers());
    String contentType = rest.remove("content-type");
    HttpRequest.Builder request =
        HttpRequest.newBuilder(SampleApp.uri(HANDLER))
            .header("Content-Type", contentType == null ? "application/json" : contentType)
            .POST(HttpRequest.BodyPublishers.ofByteArray(r.body()));
    rest.forEach(request::header);
    return SampleApp.send(request);
  }

  private static Map<String, String> headers(JsonObject delivery) {
    Map<String, String> headers = new LinkedHashMap<>();
    for (Map.Entry<String, ?> h : delivery.getJsonObject("headers").entrySet()) {
      String name = h.getKey();
      if (!List.of("host", "content-length", "connection", "expect", "upgrade").contains(name)) {
        headers.put(name, ((JsonString) h.getValue()).getString());
      }
    }
    return headers;
  }

  // --- mutations; each returns a request the handler must refuse ---

  private static Request dropToken(Random random, Request r) {
    r.headers().remove("authorization");
    return new Request("no token", r.headers(), r.body());
  }

  private static Request garbleToken(Random random, Request r) {
    String token = r.headers().get("authorization").substring("Bearer ".length());
    String garbled;
    switch (random.nextInt(4)) {
      case 0 -> garbled = token.substring(0, random.nextInt(token.length() - 1));
      case 1 -> {
        // Not the last character: its low bits may be padding that decoders ignore.
        int at = random.nextInt(token.length() - 2);
        char c = token.charAt(at);
        char other = c == 'A' ? 'B' : (c == '.' ? 'x' : 'A');
        garbled = token.substring(0, at) + other + token.substring(at + 1);
      }
      case 2 -> garbled = randomText(random, 1 + random.nextInt(2000));
      default -> {
        String[] parts = token.split("\\.");
        String header =
            Base64.getUrlEncoder()
                .withoutPadding()
                .encodeToString("{\"alg\":\"none\"}".getBytes(StandardCharsets.UTF_8));
        garbled = header + "." + parts[1] + ".";
      }
    }
    r.headers().put("authorization", "Bearer " + garbled);
    return new Request("token changed", r.headers(), r.body());
  }

  private static Request dropSignature(Random random, Request r) {
    r.headers().remove("x-deferred-signature");
    return new Request("no signature", r.headers(), r.body());
  }

  private static Request garbleSignature(Random random, Request r) {
    String signature = r.headers().get("x-deferred-signature");
    String garbled =
        switch (random.nextInt(3)) {
          case 0 -> "v2=" + signature.substring(3);
          case 1 -> {
            int at = 3 + random.nextInt(signature.length() - 5);
            char c = signature.charAt(at);
            yield signature.substring(0, at) + (c == 'A' ? 'B' : 'A') + signature.substring(at + 1);
          }
          default -> randomText(random, random.nextInt(100));
        };
    r.headers().put("x-deferred-signature", garbled);
    return new Request("signature changed", r.headers(), r.body());
  }

  private static Request flipBodyByte(Random random, Request r) {
    byte[] body = r.body();
    body[random.nextInt(body.length)] ^= (byte) (1 + random.nextInt(255));
    return new Request("body byte changed", r.headers(), body);
  }

  private static Request truncateOrExtendBody(Random random, Request r) {
    byte[] body = r.body();
    byte[] changed;
    if (random.nextBoolean()) {
      changed = java.util.Arrays.copyOf(body, random.nextInt(body.length));
    } else {
      byte[] extra = new byte[1 + random.nextInt(64)];
      random.nextBytes(extra);
      changed = java.util.Arrays.copyOf(body, body.length + extra.length);
      System.arraycopy(extra, 0, changed, body.length, extra.length);
    }
    return new Request("body cut or extended", r.headers(), changed);
  }

  private static Request otherQueue(Random random, Request r) {
    r.headers().put("x-cloudtasks-queuename", "q" + random.nextInt(1_000_000));
    return new Request("delivered by another queue", r.headers(), r.body());
  }

  private static Request expired(Random random, Request r) {
    String json = new String(r.body(), StandardCharsets.UTF_8);
    String past = Instant.now().minusSeconds(1 + random.nextInt(1_000_000)).toString();
    return signed(
        "re-signed, expired",
        r,
        json.replaceFirst("\"expiresAt\":\"[^\"]+\"", "\"expiresAt\":\"" + past + "\""));
  }

  private static Request signedForAnotherQueue(Random random, Request r) {
    String json = new String(r.body(), StandardCharsets.UTF_8);
    return signed(
        "re-signed for another queue",
        r,
        json.replaceFirst("\"queue\":\"[^\"]+\"", "\"queue\":\"mail\""));
  }

  private static Request forbiddenTarget(Random random, Request r) {
    String json = new String(r.body(), StandardCharsets.UTF_8);
    String[][] targets = {
      {"dev.deferred.impl.DeferredRuntime", "config"},
      {"jakarta.enterprise.inject.spi.BeanManager", "createInstance"},
      {"java.lang.Runtime", "gc"},
      {"java.lang.System", "gc"},
    };
    String[] target = targets[random.nextInt(targets.length)];
    String changed =
        json.replaceFirst("\"bean\":\"[^\"]+\"", "\"bean\":\"" + target[0] + "\"")
            .replaceFirst("\"method\":\"[^\"]+\"", "\"method\":\"" + target[1] + "\"")
            .replaceFirst("\"parameterTypes\":\\[[^\\]]*\\]", "\"parameterTypes\":[]")
            .replaceFirst(
                "\"arguments\":\\[.*\\],\"deferredAt\"", "\"arguments\":[],\"deferredAt\"");
    return signed("re-signed, forbidden target", r, changed);
  }

  private static Request brokenStructure(Random random, Request r) {
    String json = new String(r.body(), StandardCharsets.UTF_8);
    String changed =
        switch (random.nextInt(6)) {
          case 0 -> json.replaceFirst("\"bean\":\"[^\"]+\",", "");
          case 1 ->
              json.replaceFirst("\"arguments\":\\[", "\"arguments\":[{\"value\":{\"a\":[1]}},");
          case 2 -> json.replaceFirst("\"v\":2", "\"v\":1");
          case 3 -> json.replaceFirst("\"v\":2", "\"v\":\"2\"");
          case 4 -> "[".repeat(1 + random.nextInt(20_000));
          default -> json.replaceFirst("\"expiresAt\":\"", "\"expiresAt\":\"x");
        };
    return signed("re-signed, broken structure", r, changed);
  }

  private static Request signedGarbage(Random random, Request r) {
    byte[] garbage = new byte[random.nextInt(4096)];
    random.nextBytes(garbage);
    return signed("re-signed random bytes", r, garbage);
  }

  private static Request oversize(Random random, Request r) {
    String json = new String(r.body(), StandardCharsets.UTF_8);
    // Valid JSON, signed, but larger than a Cloud Tasks task can be.
    String padded =
        json.replaceFirst(
            "\\{", "{\"pad\":\"" + "x".repeat(1_200_000 + random.nextInt(100_000)) + "\",");
    return signed("re-signed, larger than a task", r, padded);
  }

  private static Request signed(String kind, Request r, String json) {
    return signed(kind, r, json.getBytes(StandardCharsets.UTF_8));
  }

  private static Request signed(String kind, Request r, byte[] body) {
    r.headers().put("x-deferred-signature", sign(body));
    return new Request(kind, r.headers(), body);
  }

  /** The application's key, set for the integration tests in the POM. */
  private static String sign(byte[] body) {
    String key = System.getProperty("it.signing.key");
    assertThat(key).as("system property it.signing.key (set by the POM)").isNotBlank();
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(Base64.getDecoder().decode(key), "HmacSHA256"));
      return "v1=" + Base64.getUrlEncoder().withoutPadding().encodeToString(mac.doFinal(body));
    } catch (java.security.GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  private static String randomText(Random random, int length) {
    StringBuilder s = new StringBuilder(length);
    for (int i = 0; i < length; i++) {
      s.append((char) (0x21 + random.nextInt(0x5e)));
    }
    return s.toString();
  }
}
