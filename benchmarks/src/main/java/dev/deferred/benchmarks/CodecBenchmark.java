package dev.deferred.benchmarks;

import dev.deferred.DeferOptions;
import dev.deferred.impl.codec.DecodedTask;
import dev.deferred.impl.codec.DeferredInvocation;
import dev.deferred.impl.codec.EntityReferences;
import dev.deferred.impl.codec.PayloadCodec;
import dev.deferred.impl.codec.PayloadException;
import dev.deferred.impl.codec.Signer;
import jakarta.json.bind.Jsonb;
import jakarta.json.bind.JsonbBuilder;
import java.lang.reflect.Method;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * Figure 1, the codec: what the library does to a typical deferred call (three arguments: a long, a
 * string and a small record) on its way to the queue and back: encode it (each argument checked by
 * a JSON round trip), sign the body, verify the signature, decode the payload against the class
 * loader and produce the arguments. The baseline writes the same three arguments with plain JSON-B
 * as one document and reads them back, which is what a hand-written task would do.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class CodecBenchmark {

  /** The small record argument. */
  public record Recipient(String name, String email, int priority) {}

  /** The three arguments as one document, for the plain JSON-B baseline. */
  public record Arguments(long customerId, String report, Recipient recipient) {}

  /** The deferred method's bean. */
  public static class ReportService {
    /**
     * The deferred method.
     *
     * @param customerId a long
     * @param report a string
     * @param recipient a small record
     */
    public void send(long customerId, String report, Recipient recipient) {}
  }

  private Jsonb jsonb;
  private PayloadCodec codec;
  private Signer signer;
  private DeferredInvocation call;
  private Arguments arguments;
  private ClassLoader loader;
  private byte[] encoded;
  private String signature;

  /** Builds the codec as the runtime does: JSON-B, no JPA, a random signing key. */
  @Setup
  public void setUp() throws NoSuchMethodException {
    jsonb = JsonbBuilder.create();
    codec = new PayloadCodec(jsonb, EntityReferences.NONE);
    signer = Signer.random();
    Method send = ReportService.class.getMethod("send", long.class, String.class, Recipient.class);
    Recipient recipient = new Recipient("Ada Lovelace", "ada@example.com", 2);
    call =
        new DeferredInvocation(
            ReportService.class,
            List.of(),
            send,
            new Object[] {42L, "monthly-2026-01", recipient},
            DeferOptions.defaults());
    arguments = new Arguments(42L, "monthly-2026-01", recipient);
    loader = CodecBenchmark.class.getClassLoader();
    encoded = codec.encode(call, Instant.now());
    signature = signer.sign(encoded);
  }

  /** Closes JSON-B. */
  @TearDown
  public void tearDown() throws Exception {
    jsonb.close();
  }

  /**
   * The library's trip: encode, sign, verify, decode, arguments.
   *
   * @return the decoded arguments
   * @throws PayloadException never (the payload is well-formed)
   */
  @Benchmark
  public Object[] envelope() throws PayloadException {
    byte[] body = codec.encode(call, Instant.now());
    String signature = signer.sign(body);
    if (!signer.verify(body, signature)) {
      throw new IllegalStateException("signature not accepted");
    }
    DecodedTask task = codec.decode(body, loader);
    return codec.arguments(task);
  }

  /**
   * The baseline: the same arguments written with plain JSON-B as UTF-8 and read back.
   *
   * @return the arguments read back
   */
  @Benchmark
  public Arguments plainJsonb() {
    byte[] body = jsonb.toJson(arguments).getBytes(StandardCharsets.UTF_8);
    return jsonb.fromJson(new String(body, StandardCharsets.UTF_8), Arguments.class);
  }

  /**
   * Part of the trip: encoding alone.
   *
   * @return the payload
   */
  @Benchmark
  public byte[] encode() {
    return codec.encode(call, Instant.now());
  }

  /**
   * Part of the trip: signing and verifying alone.
   *
   * @return whether the signature was accepted
   */
  @Benchmark
  public boolean signAndVerify() {
    return signer.verify(encoded, signer.sign(encoded));
  }

  /**
   * Part of the trip: verifying, decoding and the arguments alone.
   *
   * @return the decoded arguments
   * @throws PayloadException never (the payload is well-formed)
   */
  @Benchmark
  public Object[] verifyAndDecode() throws PayloadException {
    if (!signer.verify(encoded, signature)) {
      throw new IllegalStateException("signature not accepted");
    }
    return codec.arguments(codec.decode(encoded, loader));
  }

  static JmhFigure figure() {
    return new JmhFigure(
        "codec",
        CodecBenchmark.class,
        Mode.AverageTime,
        List.of(1),
        List.of("envelope", "plainJsonb", "encode", "signAndVerify", "verifyAndDecode"),
        List.of(new JmhFigure.Comparison("envelope", "plainJsonb", 1.5)));
  }
}
