package dev.deferred.impl.handler;

import static java.util.concurrent.TimeUnit.SECONDS;
import static org.assertj.core.api.Assertions.assertThat;

import dev.deferred.Deferrer;
import dev.deferred.impl.codec.Signer;
import dev.deferred.impl.config.Messages;
import dev.deferred.impl.testing.DeferredTest;
import dev.deferred.impl.testing.DeferredTestExtension;
import dev.deferred.impl.testing.LibraryParts;
import dev.deferred.testing.internal.TaskHttpServer;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.jboss.weld.junit5.auto.AddBeanClasses;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A signed payload can call only what a call site could defer: with the signing key in hand, an
 * attacker still cannot reach private or static methods, the platform's beans or the library's.
 */
@DeferredTest(config = {"deferred.signing.keys=" + TaskTargetsTest.KEY})
@AddBeanClasses({Outcomes.class, MethodKinds.class})
class TaskTargetsTest {
  static final String KEY = "MDEyMzQ1Njc4OWFiY2RlZjAxMjM0NTY3ODlhYmNkZWY=";

  @Inject Deferrer deferrer;

  private Map<String, String> headers;

  @BeforeEach
  void deliverOneRealTask() throws Exception {
    Outcomes.EVENTS.clear();
    MethodKinds.RAN.clear();
    DeferredTestExtension.server().exchanges().clear();
    deferrer.defer(Outcomes.class, o -> o.succeed("real"));
    assertThat(Outcomes.EVENTS.poll(30, SECONDS)).startsWith("ok real");
    TaskHttpServer.Exchange delivered =
        DeferredTestExtension.server().exchanges().poll(30, SECONDS);
    headers = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
    headers.putAll(delivered.headers());
  }

  @AfterEach
  void settle() {
    DeferredTestExtension.awaitIdle();
  }

  @Test
  void aPackagePrivateMethodOfAnApplicationBeanRuns() {
    assertThat(call(MethodKinds.class.getName(), "packagePrivate", "a")).isEqualTo(200);
    assertThat(MethodKinds.RAN).containsExactly("package a");
    assertThat(failures()).isEmpty();
  }

  @Test
  void aPrivateMethodIsRefused() {
    assertThat(call(MethodKinds.class.getName(), "hidden", "b")).isEqualTo(200);
    assertThat(MethodKinds.RAN).isEmpty();
    assertThat(failures())
        .containsExactly(
            Messages.notATaskTarget(MethodKinds.class.getName(), "hidden", "it is private"));
  }

  @Test
  void aStaticMethodIsRefused() {
    assertThat(call(MethodKinds.class.getName(), "shared", "c")).isEqualTo(200);
    assertThat(MethodKinds.RAN).isEmpty();
    assertThat(failures())
        .containsExactly(
            Messages.notATaskTarget(MethodKinds.class.getName(), "shared", "it is static"));
  }

  @Test
  void aMethodOfTheLibrarysOwnBeansIsRefused() {
    String runtime = "dev.deferred.impl.DeferredRuntime";
    assertThat(call(runtime, "config")).isEqualTo(200);
    assertThat(failures())
        .containsExactly(
            Messages.notATaskTarget(
                runtime, "config", runtime + " belongs to the Deferred library itself"));
  }

  @Test
  void aMethodOfAPlatformBeanIsRefused() {
    String beanManager = "jakarta.enterprise.inject.spi.BeanManager";
    assertThat(call(beanManager, "createInstance")).isEqualTo(200);
    assertThat(failures())
        .containsExactly(
            Messages.notATaskTarget(
                beanManager,
                "createInstance",
                beanManager + " is a class of the platform, not of the application"));
  }

  private List<String> failures() {
    return LibraryParts.failureStore().recent(10).stream().map(f -> f.message()).toList();
  }

  /** Sends a payload, signed with the application's key, calling {@code bean.method(arg?)}. */
  private int call(String bean, String method, String... arg) {
    String params = arg.length == 0 ? "[]" : "[\"java.lang.String\"]";
    String args = arg.length == 0 ? "[]" : "[{\"value\":\"" + arg[0] + "\"}]";
    byte[] body =
        ("{\"v\":2,\"queue\":\"default\",\"expiresAt\":\""
                + Instant.now().plusSeconds(3600)
                + "\",\"bean\":\""
                + bean
                + "\",\"qualifiers\":[],\"method\":\""
                + method
                + "\",\"parameterTypes\":"
                + params
                + ",\"arguments\":"
                + args
                + ",\"deferredAt\":\""
                + Instant.now()
                + "\"}")
            .getBytes(StandardCharsets.UTF_8);
    Map<String, String> h = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
    h.putAll(headers);
    h.put(Signer.HEADER, new Signer(List.of(Base64.getDecoder().decode(KEY))).sign(body));
    return TaskHttpServer.send(h, body).status();
  }
}
