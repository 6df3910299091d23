package dev.deferred.impl.codec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.deferred.DeferOptions;
import dev.deferred.TaskEncodingException;
import jakarta.inject.Qualifier;
import jakarta.json.bind.Jsonb;
import jakarta.json.bind.JsonbBuilder;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import java.lang.annotation.Annotation;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.reflect.Method;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The payload format, both ways: what encodes, every call-site message the codec raises, and how
 * decoding classifies what it cannot read ({@link PayloadException.Kind}).
 */
class PayloadCodecTest {
  private static final Instant NOW = Instant.parse("2026-11-29T12:00:00Z");

  private final Jsonb jsonb = JsonbBuilder.create();
  private final Table table = new Table();
  private final PayloadCodec codec = new PayloadCodec(jsonb, table);
  private final ClassLoader loader = PayloadCodecTest.class.getClassLoader();

  @AfterEach
  void close() throws Exception {
    jsonb.close();
  }

  // --- the beans, values and entities of the tests ----------------------------------------------

  public record Money(long cents, String currency) {}

  @Entity
  public static class Account {
    @Id Long id;

    Account(Long id) {
      this.id = id;
    }

    protected Account() {}
  }

  /** A value with equality whose state JSON-B cannot see: no getters, no setters, no creator. */
  public static class Sealed {
    private final String secret;

    public Sealed() {
      this("");
    }

    Sealed(String secret) {
      this.secret = secret;
    }

    @Override
    public boolean equals(Object o) {
      return o instanceof Sealed other && other.secret.equals(secret);
    }

    @Override
    public int hashCode() {
      return secret.hashCode();
    }

    @Override
    public String toString() {
      return "Sealed[" + secret + "]";
    }
  }

  public interface Shape {}

  public record Circle(int radius) implements Shape {}

  @Qualifier @Retention(RetentionPolicy.RUNTIME)
  public @interface Region {
    String value();
  }

  @Qualifier @Retention(RetentionPolicy.RUNTIME)
  public @interface Weird {
    Region nested();
  }

  public static class Calls {
    public void pay(long id, List<Money> amounts, String note) {}

    public void count(int n) {}

    public void settle(Account account) {}

    public void keep(Sealed sealed) {}

    public void draw(Shape shape) {}

    public void anything(Object value) {}

    public void exact(
        String s,
        boolean b,
        Boolean boxedB,
        byte by,
        Short sh,
        int i,
        Integer boxedI,
        long l,
        Long boxedL,
        double d,
        Double boxedD,
        float f,
        Float boxedF) {}
  }

  /** Entities by id, counting loads: an in-memory stand-in for a persistence context. */
  static final class Table implements EntityReferences {
    final Map<Long, Object> rows = new HashMap<>();
    final AtomicInteger loads = new AtomicInteger();

    @Override
    public boolean available() {
      return true;
    }

    @Override
    public Object idOf(Object entity) {
      return ((Account) entity).id;
    }

    @Override
    public Class<?> idType(Class<?> entityType) {
      return Long.class;
    }

    @Override
    public Object load(Class<?> entityType, Object id) {
      loads.incrementAndGet();
      return rows.get((Long) id);
    }
  }

  private static Method method(String name) {
    for (Method m : Calls.class.getMethods()) {
      if (m.getName().equals(name)) {
        return m;
      }
    }
    throw new AssertionError(name);
  }

  private static DeferredInvocation call(String method, Object... args) {
    return call(List.of(), DeferOptions.defaults(), method, args);
  }

  private static DeferredInvocation call(
      List<Annotation> qualifiers, DeferOptions options, String method, Object... args) {
    return new DeferredInvocation(Calls.class, qualifiers, method(method), args, options);
  }

  private static String json(byte[] payload) {
    return new String(payload, StandardCharsets.UTF_8);
  }

  private static byte[] bytes(String json) {
    return json.getBytes(StandardCharsets.UTF_8);
  }

  // --- encode and decode
  // --------------------------------------------------------------------------

  @Test
  void aCallRoundTripsWithGenericArgumentsQualifiersAndOptions() throws Exception {
    Region region = new RegionLiteral("eu");
    byte[] payload =
        codec.encode(
            call(
                List.of(region),
                DeferOptions.defaults().maxAttempts(4).maxAge(Duration.ofMinutes(5)),
                "pay",
                7L,
                List.of(new Money(150, "EUR"), new Money(2, "USD")),
                null),
            NOW);

    DecodedTask task = codec.decode(payload, loader);

    assertThat(task.beanType()).isEqualTo(Calls.class);
    assertThat(task.method()).isEqualTo(method("pay"));
    assertThat(task.qualifiers()).containsExactly(region);
    assertThat(task.arguments())
        .containsExactly(7L, List.of(new Money(150, "EUR"), new Money(2, "USD")), null);
    assertThat(task.maxAttempts()).hasValue(4);
    assertThat(task.maxAge()).contains(Duration.ofMinutes(5));
    assertThat(task.deferredAt()).isEqualTo(NOW);
    assertThat(codec.arguments(task)).isEqualTo(task.arguments());
  }

  /**
   * Strings, booleans and numbers declared as their own type are written and read without JSON-B
   * and its round-trip check: they must come back exactly, and read the same with JSON-B (as
   * another version of the library, or the format before, reads them).
   */
  @Test
  void stringsBooleansAndNumbersRoundTripExactlyAndReadTheSameWithJsonB() throws Exception {
    List<String> strings =
        List.of(
            "",
            "plain",
            "quote \" backslash \\ slash / tab \t newline \n cr \r bell \u0007 nul \u0000 del \u007f",
            "é ü 漢字 emoji \uD83D\uDE00 line separator \u2028",
            "unpaired high \uD83D here",
            "unpaired low \uDE00 here",
            "ends high \uD83D",
            "\uDE00\uD83D reversed pair");
    Object[][] numbers = {
      {
        Byte.MIN_VALUE,
        Short.MAX_VALUE,
        Integer.MIN_VALUE,
        Integer.MAX_VALUE,
        Long.MIN_VALUE,
        Long.MAX_VALUE,
        0.1,
        Double.MAX_VALUE,
        1.0e-30f,
        Float.MIN_VALUE
      },
      {(byte) 0, (short) -1, 0, -7, 0L, 42L, 0.0, -1.5e10, 0.0f, Float.MAX_VALUE},
      {Byte.MAX_VALUE, Short.MIN_VALUE, 1, 7, 1L, -42L, Double.MIN_VALUE, 123456.789, -3.25f, 1.1f}
    };
    for (String s : strings) {
      for (Object[] n : numbers) {
        Object[] args = {
          s, true, Boolean.FALSE, n[0], n[1], n[2], n[3], n[4], n[5], n[6], n[7], n[8], n[9]
        };
        byte[] payload = codec.encode(call("exact", args), NOW);

        assertThat(codec.decode(payload, loader).arguments()).containsExactly(args);
        // another reader: JSON-P for the payload, JSON-B for each argument
        jakarta.json.JsonArray written;
        try (jakarta.json.JsonReader r = JsonP.reader(payload)) {
          written = r.readObject().getJsonArray("arguments");
        }
        java.lang.reflect.Type[] types = method("exact").getGenericParameterTypes();
        for (int i = 0; i < args.length; i++) {
          String value = written.getJsonObject(i).get("value").toString();
          assertThat(jsonb.<Object>fromJson(value, types[i])).as(value).isEqualTo(args[i]);
        }
      }
    }
  }

  /** The payload is written as the JSON-P tree wrote it before, and a tree-written one decodes. */
  @Test
  void thePayloadIsTheJsonPTreesTextAndATreeWrittenPayloadDecodes() throws Exception {
    DeferredInvocation call =
        call(
            List.of(new RegionLiteral("eu \"west\"")),
            DeferOptions.queue("reports")
                .countdown(Duration.ofMinutes(3))
                .maxAttempts(4)
                .maxAge(Duration.ofMinutes(5))
                .header("X-Tenant", "acme")
                .dispatchDeadline(Duration.ofSeconds(60)),
            "pay",
            7L,
            List.of(new Money(150, "EUR"), new Money(2, "USD")),
            "a \"note\" with \\ and é");
    byte[] payload = codec.encode(call, NOW);
    String tree;
    try (jakarta.json.JsonReader r = JsonP.reader(payload)) {
      tree = r.readObject().toString();
    }

    assertThat(json(payload)).isEqualTo(tree);
    assertThat(codec.decode(bytes(tree), loader).arguments())
        .containsExactly(
            7L, List.of(new Money(150, "EUR"), new Money(2, "USD")), call.arguments()[2]);
  }

  /**
   * {@code jakarta.json.Json}'s static methods look the JSON-P provider up with a {@code
   * ServiceLoader} on every call, which scans every jar of the class path: milliseconds per call on
   * a real class path, hundreds of times the cost of the JSON itself. The codec looks it up once.
   */
  @Test
  void encodingAndDecodingLookUpNoJsonProviderPerCall() throws Exception {
    Region region = new RegionLiteral("eu");
    DeferredInvocation call =
        call(
            List.of(region), DeferOptions.defaults(), "pay", 7L, List.of(new Money(1, "EUR")), "n");
    ProviderLookups lookups = new ProviderLookups(loader);
    Thread thread = Thread.currentThread();
    ClassLoader previous = thread.getContextClassLoader();
    thread.setContextClassLoader(lookups);
    try {
      codec.decode(codec.encode(call, NOW), loader); // the first use may look the provider up
      lookups.count.set(0);
      for (int i = 0; i < 3; i++) {
        byte[] payload = codec.encode(call, NOW);
        Envelope.read(payload);
        codec.arguments(codec.decode(payload, loader));
      }
    } finally {
      thread.setContextClassLoader(previous);
    }
    assertThat(lookups.count).hasValue(0);
  }

  /** Counts the service lookups of a JSON-P provider made through this loader. */
  private static final class ProviderLookups extends ClassLoader {
    final AtomicInteger count = new AtomicInteger();

    ProviderLookups(ClassLoader parent) {
      super(parent);
    }

    @Override
    public java.util.Enumeration<java.net.URL> getResources(String name)
        throws java.io.IOException {
      if (name.equals("META-INF/services/jakarta.json.spi.JsonProvider")) {
        count.incrementAndGet();
      }
      return super.getResources(name);
    }
  }

  @Test
  void anEntityTravelsAsAReferenceAndIsLoadedOnlyWhenTheTaskRuns() throws Exception {
    Account account = new Account(7L);
    table.rows.put(7L, account);
    byte[] payload = codec.encode(call("settle", account), NOW);
    assertThat(json(payload))
        .contains("\"arguments\":[{\"entity\":\"" + Account.class.getName() + "\",\"id\":7}]");

    DecodedTask task = codec.decode(payload, loader);

    assertThat(table.loads).hasValue(0);
    assertThat(task.arguments()[0]).isInstanceOf(EntityReference.class);
    assertThat(codec.arguments(task)).containsExactly(account);
    assertThat(table.loads).hasValue(1);
  }

  @Test
  void anEntityDeletedBeforeTheRunIsAPermanentFailure() throws Exception {
    byte[] payload = codec.encode(call("settle", new Account(7L)), NOW);
    DecodedTask task = codec.decode(payload, loader);

    assertThatThrownBy(() -> codec.arguments(task))
        .isInstanceOf(EntityGoneException.class)
        .isInstanceOf(dev.deferred.PermanentTaskFailure.class)
        .hasMessage("The Account with id 7 that this task refers to no longer exists");
  }

  // --- call-site messages
  // -------------------------------------------------------------------------

  @Test
  void nullForAPrimitiveFailsAtTheCallSite() {
    assertThatThrownBy(() -> codec.encode(call("count", (Object) null), NOW))
        .isInstanceOf(TaskEncodingException.class)
        .hasMessage(
            "DEFERRED-0201: Cannot defer Calls.count(int): argument 0 (n) of type int is null");
  }

  @Test
  void anUnpersistedEntityFailsAtTheCallSite() {
    assertThatThrownBy(() -> codec.encode(call("settle", new Account(null)), NOW))
        .isInstanceOf(TaskEncodingException.class)
        .hasMessage(
            "DEFERRED-0201: Cannot defer Calls.settle(Account): argument 0 (account) of type "
                + Account.class.getName()
                + " is an entity without an id (not persisted yet): persist and flush it first, so"
                + " the task can load it, or defer after the transaction with transactional(true)");
  }

  @Test
  void anEntityWithoutAnEntityManagerFailsAtTheCallSite() {
    PayloadCodec withoutJpa = new PayloadCodec(jsonb, EntityReferences.NONE);
    assertThatThrownBy(() -> withoutJpa.encode(call("settle", new Account(7L)), NOW))
        .isInstanceOf(TaskEncodingException.class)
        .hasMessage(
            "DEFERRED-0209: Cannot defer Calls.settle(Account): argument 0 is the JPA entity "
                + Account.class.getName()
                + ", which travels as a reference, but no CDI bean of type EntityManager exists to"
                + " read its id: produce one (@Produces @PersistenceContext EntityManager em;), or"
                + " pass the id instead of the entity");
  }

  @Test
  void aValueThatDoesNotSurviveTheRoundTripFailsAtTheCallSite() {
    assertThatThrownBy(() -> codec.encode(call("keep", new Sealed("x")), NOW))
        .isInstanceOf(TaskEncodingException.class)
        .hasMessage(
            "DEFERRED-0201: Cannot defer Calls.keep(Sealed): argument 0 (sealed) of type "
                + Sealed.class.getName()
                + " does not survive the JSON round trip: Sealed[x] came back as Sealed[]. Make"
                + " every property readable and writable by JSON-B (getters and setters, or a"
                + " record), and give the class an equals method");
  }

  @Test
  void aValueThatCannotBeReadBackFailsAtTheCallSite() {
    assertThatThrownBy(() -> codec.encode(call("draw", new Circle(3)), NOW))
        .isInstanceOf(TaskEncodingException.class)
        .hasMessageStartingWith(
            "DEFERRED-0201: Cannot defer Calls.draw(Shape): argument 0 (shape) of type "
                + Circle.class.getName()
                + " cannot be read back from its JSON {}: ")
        .hasMessageEndingWith(
            ". Use a type JSON-B can create: a record, or a class with a public no-argument"
                + " constructor and getters/setters, declared as the parameter type");
  }

  @Test
  void aValueDeclaredAsObjectFailsAtTheCallSite() {
    assertThatThrownBy(() -> codec.encode(call("anything", new Money(1, "EUR")), NOW))
        .isInstanceOf(TaskEncodingException.class)
        .hasMessageStartingWith(
            "DEFERRED-0201: Cannot defer Calls.anything(Object): argument 0 (value) of type "
                + Money.class.getName()
                + " does not survive the JSON round trip: ");
  }

  @Test
  void aQualifierWithAnAnnotationMemberFailsAtTheCallSite() {
    Weird weird =
        new Weird() {
          @Override
          public Region nested() {
            return new RegionLiteral("eu");
          }

          @Override
          public Class<? extends Annotation> annotationType() {
            return Weird.class;
          }
        };
    assertThatThrownBy(
            () -> codec.encode(call(List.of(weird), DeferOptions.defaults(), "count", 1), NOW))
        .isInstanceOf(TaskEncodingException.class)
        .hasMessageStartingWith("DEFERRED-0203: Qualifier ")
        .hasMessageContaining(" cannot travel in a task payload: member nested is of type ")
        .hasMessageEndingWith(
            ". Use qualifier members of primitive, String, enum or Class types (or arrays of"
                + " them)");
  }

  // --- decoding: what is final, what may be read by another version
  // --------------------------------

  private PayloadException decodeFailure(String json) {
    try {
      codec.decode(bytes(json), loader);
    } catch (PayloadException e) {
      return e;
    }
    throw new AssertionError("decoded: " + json);
  }

  private String valid() {
    return json(codec.encode(call("count", 3), NOW));
  }

  /** The resolved task target is kept per class loader, and a refused one is never kept. */
  @Test
  void aKeptTargetServesOnlyItsClassLoaderAndARefusedOneStaysRefused() throws Exception {
    byte[] payload = codec.encode(call("count", 3), NOW);
    assertThat(codec.decode(payload, loader).arguments()).containsExactly(3);
    assertThat(codec.decode(payload, loader).method()).isEqualTo(method("count"));

    ClassLoader platform = ClassLoader.getPlatformClassLoader(); // cannot see the test's classes
    assertThatThrownBy(() -> codec.decode(payload, platform))
        .isInstanceOfSatisfying(
            PayloadException.class,
            e -> assertThat(e.kind()).isEqualTo(PayloadException.Kind.UNKNOWN_CODE));

    String refused =
        valid()
            .replace("\"method\":\"count\"", "\"method\":\"wait\"")
            .replace("\"parameterTypes\":[\"int\"]", "\"parameterTypes\":[\"long\"]");
    for (int i = 0; i < 2; i++) {
      PayloadException e = decodeFailure(refused);
      assertThat(e.kind()).isEqualTo(PayloadException.Kind.MALFORMED);
      assertThat(e.getMessage()).contains("it is final");
    }
  }

  @Test
  void aNewerPayloadFormatMayBeReadByAnotherVersion() {
    PayloadException e = decodeFailure(valid().replace("\"v\":2", "\"v\":3"));
    assertThat(e.kind()).isEqualTo(PayloadException.Kind.UNKNOWN_CODE);
    assertThat(e.getMessage())
        .isEqualTo("payload format version 3 is newer than this version of Deferred reads (2)");
  }

  @Test
  void anOlderOrMissingPayloadFormatIsMalformed() {
    PayloadException older = decodeFailure(valid().replace("\"v\":2", "\"v\":1"));
    assertThat(older.kind()).isEqualTo(PayloadException.Kind.MALFORMED);
    assertThat(older.getMessage())
        .isEqualTo("unsupported payload format version 1 (this version reads 2)");

    PayloadException missing = decodeFailure(valid().replace("\"v\":2,", ""));
    assertThat(missing.kind()).isEqualTo(PayloadException.Kind.MALFORMED);
    assertThat(missing.getMessage()).isEqualTo("no payload format version 'v' (found null)");
  }

  @Test
  void somethingThatIsNotJsonIsMalformed() {
    PayloadException e = decodeFailure("not a payload");
    assertThat(e.kind()).isEqualTo(PayloadException.Kind.MALFORMED);
    assertThat(e.getMessage()).startsWith("not JSON: ");
  }

  @Test
  void aWrongStructureIsMalformed() {
    PayloadException e =
        decodeFailure(valid().replace("\"parameterTypes\":[\"int\"]", "\"parameterTypes\":[]"));
    assertThat(e.kind()).isEqualTo(PayloadException.Kind.MALFORMED);
    assertThat(e.getMessage()).isEqualTo("0 parameter types but 1 arguments");

    PayloadException noBean = decodeFailure("{\"v\":2,\"method\":\"count\"}");
    assertThat(noBean.kind()).isEqualTo(PayloadException.Kind.MALFORMED);
    assertThat(noBean.getMessage()).startsWith("not a Deferred payload: ");
  }

  @Test
  void anEntityReferenceWithoutIdIsMalformed() {
    String payload =
        json(codec.encode(call("settle", new Account(7L)), NOW)).replace(",\"id\":7", "");
    PayloadException e = decodeFailure(payload);
    assertThat(e.kind()).isEqualTo(PayloadException.Kind.MALFORMED);
    assertThat(e.getMessage())
        .isEqualTo("argument 0 refers to a " + Account.class.getName() + " without an id");
  }

  @Test
  void anUnknownClassMethodOrEntityMayBeReadByAnotherVersion() {
    PayloadException bean =
        decodeFailure(valid().replace(Calls.class.getName(), "com.example.Gone"));
    assertThat(bean.kind()).isEqualTo(PayloadException.Kind.UNKNOWN_CODE);
    assertThat(bean.beanType()).isEqualTo("com.example.Gone");
    assertThat(bean.getMessage())
        .isEqualTo("com.example.Gone.count: java.lang.ClassNotFoundException: com.example.Gone");

    PayloadException method =
        decodeFailure(valid().replace("\"method\":\"count\"", "\"method\":\"countTwice\""));
    assertThat(method.kind()).isEqualTo(PayloadException.Kind.UNKNOWN_CODE);
    assertThat(method.method()).isEqualTo("countTwice");

    String entity =
        json(codec.encode(call("settle", new Account(7L)), NOW))
            .replace("\"entity\":\"" + Account.class.getName(), "\"entity\":\"com.example.Gone");
    PayloadException gone = decodeFailure(entity);
    assertThat(gone.kind()).isEqualTo(PayloadException.Kind.UNKNOWN_CODE);
    assertThat(gone.getMessage())
        .isEqualTo("entity com.example.Gone: java.lang.ClassNotFoundException: com.example.Gone");
  }

  @Test
  void anArgumentWhoseJsonDoesNotFitThisVersionsClassMayBeReadByAnotherVersion() {
    PayloadException e =
        decodeFailure(valid().replace("[{\"value\":3}]", "[{\"value\":\"three\"}]"));
    assertThat(e.kind()).isEqualTo(PayloadException.Kind.UNKNOWN_CODE);
    assertThat(e.getMessage()).startsWith("argument 0 of type int cannot be read from its JSON: ");
  }

  @Test
  void aStoredReferenceNamesItsKey() throws Exception {
    assertThat(PayloadCodec.storedKey(Envelope.storedReference("k-1", bytes(valid()))))
        .contains("k-1");
    assertThat(PayloadCodec.storedKey(bytes(valid()))).isEmpty();
    assertThatThrownBy(() -> PayloadCodec.storedKey(bytes("{\"v\":2,\"stored\":5}")))
        .isInstanceOf(PayloadException.class)
        .hasMessage("'stored' is not a string")
        .satisfies(
            e ->
                assertThat(((PayloadException) e).kind())
                    .isEqualTo(PayloadException.Kind.MALFORMED));
  }

  /** A {@link Region} instance, as CDI's {@code AnnotationLiteral} would make it. */
  @SuppressWarnings("all")
  static final class RegionLiteral extends jakarta.enterprise.util.AnnotationLiteral<Region>
      implements Region {
    private final String value;

    RegionLiteral(String value) {
      this.value = value;
    }

    @Override
    public String value() {
      return value;
    }
  }
}
