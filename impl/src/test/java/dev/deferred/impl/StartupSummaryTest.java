package dev.deferred.impl;

import static org.assertj.core.api.Assertions.assertThat;

import dev.deferred.impl.client.HandlerAddress;
import dev.deferred.impl.client.QueueSetup;
import dev.deferred.impl.config.DeferredConfig;
import dev.deferred.impl.store.InMemoryFailureStore;
import dev.deferred.impl.store.InMemoryPayloadStore;
import io.smallrye.config.PropertiesConfigSource;
import io.smallrye.config.SmallRyeConfigBuilder;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The startup summary outside embedded mode: what was done to each queue, and nothing secret. */
class StartupSummaryTest {
  private static final String KEY = "MDEyMzQ1Njc4OWFiY2RlZjAxMjM0NTY3ODlhYmNkZWY=";

  private static DeferredConfig config(Map<String, String> extra) {
    Map<String, String> values = new HashMap<>(extra);
    values.put("deferred.project", "shop");
    values.put("deferred.location", "europe-west1");
    values.put("deferred.signing.keys", KEY);
    values.put("deferred.queues.mail.rate-per-second", "5");
    values.put("deferred.queues.reports.rate-per-second", "1");
    return DeferredConfig.read(
        new SmallRyeConfigBuilder()
            .withSources(new PropertiesConfigSource(values, "test", 100))
            .build(),
        k -> null);
  }

  @Test
  void emulatorModeSaysWhatHappenedToEachQueue() {
    DeferredConfig config =
        config(
            Map.of(
                "deferred.mode", "emulator",
                "deferred.emulator.host", "localhost:9022",
                "deferred.emulator.jwks-url", "http://localhost:9023/oauth2/v3/certs",
                "deferred.handler.url",
                    "http://user:secret@shop.local:8080/_ah/queue/deferred?t=1"));

    String message =
        StartupSummary.message(
            config,
            null,
            HandlerAddress.resolve(config, "", 9080),
            Optional.of(
                new QueueSetup.Outcome(
                    List.of("reports"), List.of("mail"), List.of(), List.of("default"))),
            new InMemoryPayloadStore(1000),
            new InMemoryFailureStore());

    assertThat(message)
        .isEqualTo(
            "DEFERRED-0020: Deferred started in emulator mode (project shop, location"
                + " europe-west1); Cloud Tasks: the emulator at localhost:9022; queues: default"
                + " (not set up, see DEFERRED-0304), mail (updated), reports (created); tasks are"
                + " sent to http://shop.local:8080/_ah/queue/deferred; payloads in memory, failure"
                + " records in memory")
        .doesNotContain(KEY)
        .doesNotContain("secret");
  }

  @Test
  void cloudModeNamesTheAppEngineTargetAndRouting() {
    DeferredConfig config =
        config(
            Map.of(
                "deferred.mode", "cloud",
                "deferred.routing.service", "worker",
                "deferred.create-queues", "false"));

    String message =
        StartupSummary.message(
            config,
            null,
            HandlerAddress.resolve(config, "/shop", 9080),
            Optional.empty(),
            new InMemoryPayloadStore(1000),
            new InMemoryFailureStore());

    assertThat(message)
        .startsWith(
            "DEFERRED-0020: Deferred started in cloud mode (project shop, location europe-west1);"
                + " Cloud Tasks: Google Cloud Tasks; queues: default, mail, reports (neither"
                + " created nor updated: deferred.create-queues=false); tasks are sent to App"
                + " Engine targets at /shop/_ah/queue/deferred, service worker");
  }
}
