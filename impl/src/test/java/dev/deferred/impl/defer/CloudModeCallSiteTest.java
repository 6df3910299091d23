package dev.deferred.impl.defer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.arjuna.ats.internal.jta.transaction.arjunacore.TransactionSynchronizationRegistryImple;
import dev.deferred.DeferOptions;
import dev.deferred.impl.client.TaskSender;
import dev.deferred.impl.codec.DeferredInvocation;
import dev.deferred.impl.codec.EntityReferences;
import dev.deferred.impl.codec.PayloadCodec;
import dev.deferred.impl.codec.Signer;
import dev.deferred.impl.config.DeferredConfig;
import dev.deferred.impl.store.InMemoryPayloadStore;
import dev.deferred.impl.transaction.JtaTransactionSupport;
import io.smallrye.config.PropertiesConfigSource;
import io.smallrye.config.SmallRyeConfigBuilder;
import jakarta.json.bind.Jsonb;
import jakarta.json.bind.JsonbBuilder;
import jakarta.transaction.TransactionManager;
import java.net.URI;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * In cloud mode a per-task handler URL in clear text is refused at the call site, inside a
 * transaction too: after the commit the task could no longer be refused to its caller, only logged
 * and lost.
 */
class CloudModeCallSiteTest {

  /** A bean method to defer. */
  public static class Mailer {
    public void send(String to) {}
  }

  private final Jsonb jsonb = JsonbBuilder.create();
  private final InMemoryPayloadStore store = new InMemoryPayloadStore();
  private final AtomicInteger enqueues = new AtomicInteger();
  private final TransactionManager tm = com.arjuna.ats.jta.TransactionManager.transactionManager();

  @AfterEach
  void close() throws Exception {
    if (tm.getTransaction() != null) {
      tm.rollback();
    }
    jsonb.close();
  }

  private DeferEngine engine() {
    DeferredConfig config =
        DeferredConfig.read(
            new SmallRyeConfigBuilder()
                .withSources(
                    new PropertiesConfigSource(
                        Map.of(
                            "deferred.mode", "cloud",
                            "deferred.project", "shop",
                            "deferred.location", "europe-west1",
                            "deferred.handler.url", "https://shop-abc.a.run.app/_ah/queue/deferred",
                            "deferred.oidc.service-account", "tasks@shop.iam.gserviceaccount.com",
                            "deferred.signing.keys",
                                "MDEyMzQ1Njc4OWFiY2RlZjAxMjM0NTY3ODlhYmNkZWY="),
                        "test",
                        100))
                .build(),
            name -> null);
    assertThat(config.problems()).isEmpty();
    // Counts the tasks handed to Cloud Tasks. In cloud mode the real sender calls Google's service,
    // which a test cannot reach; the refusals under test happen before any sender is asked for.
    Supplier<TaskSender> sender =
        () ->
            spec -> {
              enqueues.incrementAndGet();
              return "t-" + enqueues.get();
            };
    return new DeferEngine(
        config,
        new PayloadCodec(jsonb, EntityReferences.NONE),
        Signer.random(),
        store,
        sender,
        new JtaTransactionSupport(TransactionSynchronizationRegistryImple::new),
        Clock.systemUTC());
  }

  private static DeferredInvocation call(DeferOptions options) throws NoSuchMethodException {
    return new DeferredInvocation(
        Mailer.class,
        List.of(),
        Mailer.class.getMethod("send", String.class),
        new Object[] {"ada@example.com"},
        options);
  }

  @Test
  void aClearTextHandlerUrlIsRefusedInsideATransactionBeforeItCommits() throws Exception {
    DeferEngine engine = engine();
    DeferOptions options =
        DeferOptions.defaults()
            .handlerUrl(URI.create("http://mail.example.com/_ah/queue/deferred"));

    tm.begin();
    assertThatThrownBy(() -> engine.submit(call(options)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("http://mail.example.com/_ah/queue/deferred")
        .hasMessageContaining("https");
    tm.commit();

    assertThat(enqueues).hasValue(0);
    assertThat(store.totalBytes()).isZero();
  }

  @Test
  void aClearTextHandlerUrlIsRefusedOutsideATransaction() throws Exception {
    DeferEngine engine = engine();
    DeferOptions options =
        DeferOptions.defaults()
            .handlerUrl(URI.create("http://mail.example.com/_ah/queue/deferred"))
            .transactional(false);

    assertThatThrownBy(() -> engine.submit(call(options)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("http://mail.example.com/_ah/queue/deferred");

    assertThat(enqueues).hasValue(0);
  }

  @Test
  void anHttpsHandlerUrlInsideATransactionIsEnqueuedAtCommit() throws Exception {
    DeferEngine engine = engine();
    DeferOptions options =
        DeferOptions.defaults()
            .handlerUrl(URI.create("https://mail.example.com/_ah/queue/deferred"));

    tm.begin();
    engine.submit(call(options));
    assertThat(enqueues).hasValue(0);
    tm.commit();

    assertThat(enqueues).hasValue(1);
  }
}
