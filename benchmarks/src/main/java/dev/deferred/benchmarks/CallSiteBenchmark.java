package dev.deferred.benchmarks;

import com.google.cloud.tasks.v2.CreateTaskRequest;
import com.google.cloud.tasks.v2.HttpMethod;
import com.google.cloud.tasks.v2.HttpRequest;
import com.google.cloud.tasks.v2.OidcToken;
import com.google.cloud.tasks.v2.Task;
import com.google.protobuf.ByteString;
import dev.deferred.DeferOptions;
import dev.deferred.Deferred;
import dev.deferred.DeferredTask;
import dev.deferred.Deferrer;
import dev.deferred.impl.client.HandlerAddress;
import dev.deferred.impl.codec.DeferredInvocation;
import dev.deferred.impl.codec.EntityReferences;
import dev.deferred.impl.codec.PayloadCodec;
import dev.deferred.impl.codec.Signer;
import dev.deferred.impl.config.DeferredConfig;
import dev.deferred.impl.defer.CallRecorder;
import dev.deferred.impl.defer.DeferrerImpl;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.json.bind.JsonbBuilder;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * Figure 2, the call site: {@code Deferrer.defer} and a call of a {@code @Deferred} method, each
 * against a raw {@code CloudTasksClient.createTask} of an equivalent task (same signed payload
 * bytes, same headers, same OIDC token fields, same URL) through the same client to the same
 * in-process emulator; and, on its own, what recording the lambda costs ({@code
 * DeferrerImpl.record}: the call made on the bean type's recording stand-in). Not transactional.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class CallSiteBenchmark {

  static final CodecBenchmark.Recipient RECIPIENT =
      new CodecBenchmark.Recipient("Ada Lovelace", "ada@example.com", 2);

  /** The target of {@code Deferrer.defer}. */
  @ApplicationScoped
  public static class Reports {
    /**
     * A no-op task method.
     *
     * @param customerId a long
     * @param report a string
     * @param recipient a small record
     */
    public void send(long customerId, String report, CodecBenchmark.Recipient recipient) {}
  }

  /** A bean with a {@code @Deferred} method. */
  @ApplicationScoped
  public static class Mailer {
    /**
     * A no-op deferred method.
     *
     * @param customerId a long
     * @param report a string
     * @param recipient a small record
     */
    @Deferred
    public void send(long customerId, String report, CodecBenchmark.Recipient recipient) {}
  }

  private LibraryContainer library;
  private Deferrer deferrer;
  private Mailer mailer;
  private DeferrerImpl recorder;
  private String url;
  private String serviceAccount;
  private byte[] payload;
  private String signature;

  /** Boots the library and prepares the raw task's payload as the library would encode it. */
  @Setup(Level.Trial)
  public void setUp() throws NoSuchMethodException {
    library = new LibraryContainer(Reports.class, Mailer.class);
    deferrer = library.get(Deferrer.class);
    mailer = library.get(Mailer.class);
    recorder = library.get(DeferrerImpl.class);
    url = library.part(HandlerAddress.class).url().orElseThrow().toString();
    serviceAccount = library.part(DeferredConfig.class).oidcServiceAccount();
    payload =
        new PayloadCodec(JsonbBuilder.create(), EntityReferences.NONE)
            .encode(
                new DeferredInvocation(
                    Reports.class,
                    List.of(),
                    Reports.class.getMethod(
                        "send", long.class, String.class, CodecBenchmark.Recipient.class),
                    new Object[] {42L, "monthly-2026-01", RECIPIENT},
                    DeferOptions.defaults()),
                Instant.now());
    signature = Signer.random().sign(payload);
  }

  /** Empties the paused queue after each iteration. */
  @TearDown(Level.Iteration)
  public void purge() {
    library.purge();
  }

  /** Stops the library. */
  @TearDown(Level.Trial)
  public void tearDown() {
    library.close();
  }

  /**
   * {@code Deferrer.defer} of a three-argument call.
   *
   * @return the task
   */
  @Benchmark
  public DeferredTask deferrer() {
    return deferrer.defer(Reports.class, r -> r.send(42L, "monthly-2026-01", RECIPIENT));
  }

  /** A call of a {@code @Deferred} method. */
  @Benchmark
  public void deferredMethod() {
    mailer.send(42L, "monthly-2026-01", RECIPIENT);
  }

  /**
   * The baseline: the equivalent task created with the raw client.
   *
   * @return the created task
   */
  @Benchmark
  public Task rawCreateTask() {
    Task task =
        Task.newBuilder()
            .setHttpRequest(
                HttpRequest.newBuilder()
                    .setUrl(url)
                    .setHttpMethod(HttpMethod.POST)
                    .putHeaders("Content-Type", "application/json")
                    .putHeaders(Signer.HEADER, signature)
                    .setBody(ByteString.copyFrom(payload))
                    .setOidcToken(
                        OidcToken.newBuilder()
                            .setServiceAccountEmail(serviceAccount)
                            .setAudience(url)))
            .build();
    return library
        .client()
        .createTask(
            CreateTaskRequest.newBuilder()
                .setParent(library.queue().toString())
                .setTask(task)
                .build());
  }

  /**
   * What {@code Deferrer.defer} pays to record the lambda, on its own: the call made on the
   * recording stand-in of the bean type (built once per type and kept).
   *
   * @return the recorded call
   */
  @Benchmark
  public CallRecorder.Call recordingStandIn() {
    return recorder.record(Reports.class, r -> r.send(42L, "monthly-2026-01", RECIPIENT));
  }

  static JmhFigure figure() {
    return new JmhFigure(
        "call site",
        CallSiteBenchmark.class,
        Mode.Throughput,
        List.of(1, 16),
        List.of("rawCreateTask", "deferrer", "deferredMethod", "recordingStandIn"),
        List.of(
            new JmhFigure.Comparison("deferrer", "rawCreateTask", 0.8),
            new JmhFigure.Comparison("deferredMethod", "rawCreateTask", 0.8)));
  }
}
