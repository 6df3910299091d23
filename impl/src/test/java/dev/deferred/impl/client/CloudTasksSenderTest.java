package dev.deferred.impl.client;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.cloud.tasks.v2.Task;
import dev.deferred.impl.config.DeferredConfig;
import io.smallrye.config.PropertiesConfigSource;
import io.smallrye.config.SmallRyeConfigBuilder;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** How a task spec becomes a Cloud Tasks task for each target type (no network involved). */
class CloudTasksSenderTest {

  private static final Map<String, String> APP_ENGINE_ENV =
      Map.of("GAE_APPLICATION", "s~shop", "GAE_VERSION", "v42", "GOOGLE_CLOUD_PROJECT", "shop");

  private static DeferredConfig config(Map<String, String> values, Map<String, String> env) {
    return DeferredConfig.read(
        new SmallRyeConfigBuilder()
            .withSources(new PropertiesConfigSource(values, "test", 100))
            .build(),
        env::get);
  }

  private static TaskSpec spec(String service, String version, URI url) {
    return new TaskSpec(
        "mail",
        "t-1",
        "{}".getBytes(StandardCharsets.UTF_8),
        "v1=sig",
        Map.of("X-Tenant", "acme"),
        null,
        null,
        service,
        version,
        null,
        url,
        null,
        false,
        "Mailer.send(String)");
  }

  private static Task task(DeferredConfig config, String contextPath, TaskSpec spec) {
    HandlerAddress address = HandlerAddress.resolve(config, contextPath, 9080);
    Clock clock = Clock.fixed(Instant.parse("2026-01-01T00:00:00Z"), ZoneOffset.UTC);
    return new CloudTasksSender(null, config, () -> address, clock).toTask(spec);
  }

  @Test
  void onANonDefaultAppEngineServiceTasksGoToThatService() {
    Map<String, String> env = new java.util.HashMap<>(APP_ENGINE_ENV);
    env.put("GAE_SERVICE", "worker");
    DeferredConfig config =
        config(
            Map.of(
                "deferred.location",
                "europe-west1",
                "deferred.signing.keys",
                "MDEyMzQ1Njc4OWFiY2RlZjAxMjM0NTY3ODlhYmNkZWY="),
            env);

    Task task = task(config, "", spec(null, null, null));

    assertThat(task.getAppEngineHttpRequest().getAppEngineRouting().getService())
        .isEqualTo("worker");
    assertThat(task.getAppEngineHttpRequest().getAppEngineRouting().getVersion()).isEqualTo("v42");
    // A per-task service still wins.
    assertThat(
            task(config, "", spec("billing", null, null))
                .getAppEngineHttpRequest()
                .getAppEngineRouting()
                .getService())
        .isEqualTo("billing");
  }

  @Test
  void onAppEngineTasksAreAppEngineTargetsRoutedToTheRunningVersion() {
    DeferredConfig config =
        config(
            Map.of(
                "deferred.location",
                "europe-west1",
                "deferred.signing.keys",
                "MDEyMzQ1Njc4OWFiY2RlZjAxMjM0NTY3ODlhYmNkZWY="),
            APP_ENGINE_ENV);
    assertThat(config.problems()).isEmpty();

    Task task = task(config, "", spec(null, null, null));

    assertThat(task.getName())
        .isEqualTo("projects/shop/locations/europe-west1/queues/mail/tasks/t-1");
    assertThat(task.hasHttpRequest()).isFalse();
    assertThat(task.getAppEngineHttpRequest().getRelativeUri()).isEqualTo("/_ah/queue/deferred");
    assertThat(task.getAppEngineHttpRequest().getAppEngineRouting().getVersion()).isEqualTo("v42");
    assertThat(task.getAppEngineHttpRequest().getHeadersMap())
        .containsEntry("X-Tenant", "acme")
        .containsEntry("X-Deferred-Signature", "v1=sig")
        .containsEntry("Content-Type", "application/json");
  }

  @Test
  void perTaskRoutingWinsOverTheDefaults() {
    DeferredConfig config =
        config(
            Map.of(
                "deferred.location",
                "europe-west1",
                "deferred.routing.service",
                "web",
                "deferred.signing.keys",
                "MDEyMzQ1Njc4OWFiY2RlZjAxMjM0NTY3ODlhYmNkZWY="),
            APP_ENGINE_ENV);

    Task task = task(config, "", spec("worker", "v43", URI.create("/tasks/run")));

    assertThat(task.getAppEngineHttpRequest().getAppEngineRouting().getService())
        .isEqualTo("worker");
    assertThat(task.getAppEngineHttpRequest().getAppEngineRouting().getVersion()).isEqualTo("v43");
    assertThat(task.getAppEngineHttpRequest().getRelativeUri()).isEqualTo("/tasks/run");
  }

  @Test
  void aConfiguredHandlerUrlMakesHttpTargetsWithAnOidcToken() {
    DeferredConfig config =
        config(
            Map.of(
                "deferred.mode", "cloud",
                "deferred.project", "shop",
                "deferred.location", "europe-west1",
                "deferred.handler.url", "https://shop-abc.a.run.app/_ah/queue/deferred",
                "deferred.oidc.service-account", "tasks@shop.iam.gserviceaccount.com",
                "deferred.signing.keys", "MDEyMzQ1Njc4OWFiY2RlZjAxMjM0NTY3ODlhYmNkZWY="),
            Map.of());
    assertThat(config.problems()).isEmpty();

    Task task = task(config, "", spec(null, null, null));

    assertThat(task.getHttpRequest().getUrl())
        .isEqualTo("https://shop-abc.a.run.app/_ah/queue/deferred");
    assertThat(task.getHttpRequest().getOidcToken().getServiceAccountEmail())
        .isEqualTo("tasks@shop.iam.gserviceaccount.com");
    assertThat(task.getHttpRequest().getOidcToken().getAudience())
        .isEqualTo("https://shop-abc.a.run.app/_ah/queue/deferred");
  }

  @Test
  void embeddedModeSendsToLocalhostUnderTheContextRoot() {
    DeferredConfig config = config(Map.of(), Map.of());

    Task task = task(config, "/shop", spec(null, null, null));

    assertThat(task.getHttpRequest().getUrl())
        .isEqualTo("http://localhost:9080/shop/_ah/queue/deferred");
    assertThat(task.getHttpRequest().getOidcToken().getServiceAccountEmail())
        .isEqualTo("deferred@deferred-local.iam.gserviceaccount.com");
  }

  private static DeferredConfig cloudRun(Map<String, String> extra) {
    Map<String, String> values = new java.util.HashMap<>(extra);
    values.putAll(
        Map.of(
            "deferred.mode", "cloud",
            "deferred.project", "shop",
            "deferred.location", "europe-west1",
            "deferred.oidc.service-account", "tasks@shop.iam.gserviceaccount.com",
            "deferred.signing.keys", "MDEyMzQ1Njc4OWFiY2RlZjAxMjM0NTY3ODlhYmNkZWY="));
    values.putIfAbsent("deferred.handler.url", "https://shop-abc.a.run.app/_ah/queue/deferred");
    return config(values, Map.of());
  }

  @Test
  void aTaskForAnotherHostNeverCarriesATokenWithOurAudience() {
    DeferredConfig config = cloudRun(Map.of("deferred.oidc.audience", "shop-tasks"));
    assertThat(config.problems()).isEmpty();

    Task elsewhere =
        task(config, "", spec(null, null, URI.create("https://evil.example.com/collect")));
    assertThat(elsewhere.getHttpRequest().getOidcToken().getAudience())
        .isEqualTo("https://evil.example.com/collect");
    Task otherPort =
        task(config, "", spec(null, null, URI.create("https://shop-abc.a.run.app:8443/x")));
    assertThat(otherPort.getHttpRequest().getOidcToken().getAudience())
        .isEqualTo("https://shop-abc.a.run.app:8443/x");

    // Our own origin, another path (a @TaskOnly endpoint): our audience, as configured.
    Task ours =
        task(config, "", spec(null, null, URI.create("https://shop-abc.a.run.app/cron/clean")));
    assertThat(ours.getHttpRequest().getOidcToken().getAudience()).isEqualTo("shop-tasks");
    assertThat(
            task(config, "", spec(null, null, null)).getHttpRequest().getOidcToken().getAudience())
        .isEqualTo("shop-tasks");
  }

  @Test
  void plainHttpHandlerUrlsAreRefusedInCloudMode() {
    DeferredConfig config =
        cloudRun(Map.of("deferred.handler.url", "http://shop-abc.a.run.app/_ah/queue/deferred"));
    assertThat(config.problems())
        .containsExactly(
            "DEFERRED-0041: deferred.handler.url 'http://shop-abc.a.run.app/_ah/queue/deferred' is"
                + " http://: in cloud mode tasks carry a signed body and an OIDC token, which must"
                + " not travel in clear text; use https://");

    DeferredConfig secure = cloudRun(Map.of());
    org.assertj.core.api.Assertions.assertThatThrownBy(
            () -> task(secure, "", spec(null, null, URI.create("http://shop.example.com/t"))))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(
            "DEFERRED-0041: The handler URL 'http://shop.example.com/t' is http://: in cloud mode"
                + " tasks carry a signed body and an OIDC token, which must not travel in clear"
                + " text; use https://");
  }

  @Test
  void theAudienceOfATaskOnlyRouteComesFromConfigurationNotFromTheRequest() {
    DeferredConfig config = cloudRun(Map.of());
    HandlerAddress address = HandlerAddress.resolve(config, "", 8080);
    assertThat(address.audienceForRoute(config, "/cron/clean?all=1"))
        .isEqualTo("https://shop-abc.a.run.app/cron/clean?all=1");
    DeferredConfig fixed = cloudRun(Map.of("deferred.oidc.audience", "shop-tasks"));
    assertThat(HandlerAddress.resolve(fixed, "", 8080).audienceForRoute(fixed, "/cron/clean"))
        .isEqualTo("shop-tasks");
  }
}
