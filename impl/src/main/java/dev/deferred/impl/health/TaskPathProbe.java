package dev.deferred.impl.health;

import com.google.cloud.tasks.v2.CloudTasksClient;
import com.google.cloud.tasks.v2.GetQueueRequest;
import com.google.cloud.tasks.v2.ListTasksRequest;
import com.google.cloud.tasks.v2.Queue;
import com.google.cloud.tasks.v2.QueueName;
import com.google.cloud.tasks.v2.Task;
import dev.deferred.impl.codec.Signer;
import dev.deferred.impl.config.DeferredConfig;
import dev.deferred.impl.config.Mode;
import dev.deferred.impl.store.PayloadStore;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;

/**
 * What the health checks look at, without MicroProfile Health types: readiness asks Cloud Tasks (or
 * the emulator) for every configured queue and reads one key of the payload store; liveness looks
 * only inside this JVM. Every remote question is bounded by {@link #TIMEOUT_SECONDS}.
 */
public final class TaskPathProbe {

  /** How long one remote question may take before the check reports it unanswered. */
  public static final long TIMEOUT_SECONDS = 5;

  /** The most tasks counted per queue (emulator modes only); more shows as this plus one. */
  public static final int MAX_COUNTED_TASKS = 1000;

  /**
   * The key the payload store is asked for: in the store's form (a UUID), so the read reaches
   * Datastore, but one that {@code put} never returns (its keys are random, version 4, UUIDs).
   */
  private static final String PROBE_KEY = "00000000-0000-0000-0000-000000000000";

  /** A check's outcome: up or down, with what it saw and, when down, what is wrong. */
  public record Result(boolean up, Map<String, Object> data) {
    public Result {
      data = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(data));
    }
  }

  private final DeferredConfig config;
  private final Supplier<CloudTasksClient> client;
  private final PayloadStore payloads;
  private final boolean sharedStore;

  /**
   * A probe.
   *
   * @param config the configuration
   * @param client the Cloud Tasks client (opening the connection on first use)
   * @param payloads the payload store
   * @param sharedStore whether the payload store is remote (Datastore) and so worth asking
   */
  public TaskPathProbe(
      DeferredConfig config,
      Supplier<CloudTasksClient> client,
      PayloadStore payloads,
      boolean sharedStore) {
    this.config = config;
    this.client = client;
    this.payloads = payloads;
    this.sharedStore = sharedStore;
  }

  /** Readiness: Cloud Tasks reachable, every queue present, payload store reachable, keys valid. */
  public Result readiness() {
    Map<String, Object> data = new LinkedHashMap<>();
    List<String> problems = new ArrayList<>();
    data.put("mode", config.mode().configValue());
    queues(data, problems);
    payloadStore(data, problems);
    signingKeys(data, problems);
    if (!problems.isEmpty()) {
      data.put("problems", String.join("; ", problems));
    }
    return new Result(problems.isEmpty(), data);
  }

  /** Liveness: only what lives in this JVM: the configuration and the signer. */
  public Result liveness() {
    Map<String, Object> data = new LinkedHashMap<>();
    List<String> problems = new ArrayList<>();
    data.put("mode", config.mode().configValue());
    data.put("queues", String.join(", ", config.queues().keySet()));
    signingKeys(data, problems);
    if (!problems.isEmpty()) {
      data.put("problems", String.join("; ", problems));
    }
    return new Result(problems.isEmpty(), data);
  }

  private void queues(Map<String, Object> data, List<String> problems) {
    data.put(
        "cloudTasks",
        switch (config.mode()) {
          case CLOUD -> "Google Cloud Tasks";
          case EMULATOR -> "emulator at " + config.emulatorHost().orElse("?");
          case EMBEDDED -> "embedded emulator";
        });
    CloudTasksClient c;
    try {
      c = client.get();
    } catch (RuntimeException e) {
      problems.add(HealthMessages.cloudTasksUnavailable(describe(e)));
      return;
    }
    List<String> queues = new ArrayList<>(config.queues().keySet());
    for (int i = 0; i < queues.size(); i++) {
      String queue = queues.get(i);
      QueueName name = QueueName.of(config.project(), config.location(), queue);
      String key = "queue." + queue;
      try {
        Queue q =
            answer(
                c.getQueueCallable()
                    .futureCall(GetQueueRequest.newBuilder().setName(name.toString()).build()));
        data.put(key, q.getState().name());
        if (config.mode() != Mode.CLOUD) {
          data.put(key + ".tasks", countTasks(c, name));
        }
      } catch (com.google.api.gax.rpc.NotFoundException e) {
        data.put(key, "MISSING");
        problems.add(HealthMessages.queueMissing(queue, config.createQueues()));
      } catch (TimeoutException e) {
        unknownFrom(queues, i, data);
        problems.add(
            HealthMessages.cloudTasksUnavailable("no answer in " + TIMEOUT_SECONDS + " s"));
        return;
      } catch (RuntimeException e) {
        unknownFrom(queues, i, data);
        problems.add(HealthMessages.cloudTasksUnavailable(describe(e)));
        return;
      }
    }
  }

  /**
   * Once Cloud Tasks did not answer for one queue, the rest are not asked (each would wait as long
   * again), but every one is still listed, as not known.
   */
  private static void unknownFrom(List<String> queues, int first, Map<String, Object> data) {
    for (int i = first; i < queues.size(); i++) {
      data.put("queue." + queues.get(i), "UNKNOWN");
    }
  }

  /** Tasks waiting on the queue, counted up to {@link #MAX_COUNTED_TASKS} (plus one for more). */
  private static long countTasks(CloudTasksClient c, QueueName queue) throws TimeoutException {
    var page =
        answer(
            c.listTasksCallable()
                .futureCall(
                    ListTasksRequest.newBuilder()
                        .setParent(queue.toString())
                        .setPageSize(MAX_COUNTED_TASKS)
                        .build()));
    List<Task> tasks = page.getTasksList();
    // MicroProfile Health data holds strings, longs and booleans.
    return page.getNextPageToken().isEmpty() ? tasks.size() : MAX_COUNTED_TASKS + 1L;
  }

  private void payloadStore(Map<String, Object> data, List<String> problems) {
    if (!sharedStore) {
      data.put("payloadStore", "memory");
      return;
    }
    try {
      java.util.concurrent.CompletableFuture<Object> read =
          java.util.concurrent.CompletableFuture.supplyAsync(() -> payloads.get(PROBE_KEY));
      answer(read);
      data.put("payloadStore", "Datastore, reachable");
    } catch (TimeoutException e) {
      data.put("payloadStore", "Datastore, no answer");
      problems.add(HealthMessages.storeUnavailable("no answer in " + TIMEOUT_SECONDS + " s"));
    } catch (RuntimeException e) {
      data.put("payloadStore", "Datastore, unreachable");
      problems.add(HealthMessages.storeUnavailable(describe(e)));
    }
  }

  private void signingKeys(Map<String, Object> data, List<String> problems) {
    List<byte[]> keys = config.signingKeys();
    if (keys.isEmpty()) {
      if (config.mode() == Mode.EMBEDDED) {
        data.put("signingKeys", "random key (embedded mode)");
      } else {
        data.put("signingKeys", "none");
        problems.add(HealthMessages.noSigningKeys());
      }
      return;
    }
    data.put("signingKeys", keys.size() + (keys.size() == 1 ? " key" : " keys"));
    for (int i = 0; i < keys.size(); i++) {
      if (keys.get(i).length < 32) {
        problems.add(HealthMessages.shortKey(i, keys.get(i).length));
      }
    }
    // Each key must also verify what the first signs: a listed key that cannot is a typo.
    try {
      Signer signer = new Signer(keys);
      byte[] probe = "deferred".getBytes(java.nio.charset.StandardCharsets.UTF_8);
      if (!signer.verify(probe, signer.sign(probe))) {
        problems.add(HealthMessages.signerBroken("a signature does not verify"));
      }
    } catch (RuntimeException e) {
      problems.add(HealthMessages.signerBroken(describe(e)));
    }
  }

  private static <T> T answer(Future<T> future) throws TimeoutException {
    try {
      return future.get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
    } catch (TimeoutException e) {
      future.cancel(true);
      throw e;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      future.cancel(true);
      throw new IllegalStateException("interrupted", e);
    } catch (ExecutionException e) {
      if (e.getCause() instanceof RuntimeException r) {
        throw r;
      }
      throw new IllegalStateException(e.getCause());
    }
  }

  private static String describe(Throwable e) {
    String message = e.getMessage();
    return e.getClass().getSimpleName() + (message == null ? "" : ": " + message);
  }
}
