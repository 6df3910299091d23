package dev.deferred.impl.handler.security;

import static org.assertj.core.api.Assertions.assertThat;

import dev.deferred.impl.handler.security.AuthenticationResult.Rejected;
import dev.deferred.impl.handler.security.AuthenticationResult.Verified;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class AppEngineQueueHeaderAuthenticatorTest {
  private final AppEngineQueueHeaderAuthenticator authenticator =
      new AppEngineQueueHeaderAuthenticator();

  @Test
  void requestWithQueueHeaderIsVerified() {
    assertThat(authenticator.authenticate(Map.of("X-AppEngine-QueueName", "mail")::get))
        .isEqualTo(new Verified("App Engine queue header (queue 'mail')"));
  }

  @Test
  void requestWithoutQueueHeaderIsRejected() {
    assertThat(authenticator.authenticate(Map.of("X-AppEngine-TaskName", "t1")::get))
        .isEqualTo(
            new Rejected(
                "DEFERRED-2030: no X-AppEngine-QueueName header: not an App Engine task request"));
    assertThat(authenticator.authenticate(Map.of("X-AppEngine-QueueName", " ")::get))
        .isInstanceOf(Rejected.class);
  }

  @Test
  void appEngineIsDetectedFromItsEnvironment() {
    assertThat(AppEngineQueueHeaderAuthenticator.isAppEngine(Map.of("GAE_APPLICATION", "s~p")::get))
        .isTrue();
    assertThat(
            AppEngineQueueHeaderAuthenticator.isAppEngine(
                Map.of("GAE_SERVICE", "default", "GAE_INSTANCE", "i1")::get))
        .isTrue();
    // Cloud Run sets K_SERVICE; it must not be mistaken for App Engine.
    assertThat(AppEngineQueueHeaderAuthenticator.isAppEngine(Map.of("K_SERVICE", "web")::get))
        .isFalse();
    assertThat(AppEngineQueueHeaderAuthenticator.isAppEngine(Map.<String, String>of()::get))
        .isFalse();
  }

  @Test
  void cloudModeOffAppEngineIgnoresTheQueueHeader() {
    CloudTasksAuthenticator cloud =
        CloudTasksAuthenticators.cloud(
            OidcSettings.google(
                "https://app.example.com/_ah/queue/deferred", "sa@p.iam.gserviceaccount.com"),
            Map.of("K_SERVICE", "web")::get,
            java.time.Clock.systemUTC());
    assertThat(cloud.authenticate(Map.of("X-AppEngine-QueueName", "mail")::get))
        .isEqualTo(
            new Rejected(
                "DEFERRED-2010: no Authorization header: Cloud Tasks sends 'Authorization: Bearer"
                    + " <OIDC token>' when the task's HTTP target has an oidc_token"));
  }

  @Test
  void cloudModeOnAppEngineAcceptsTheQueueHeader() {
    CloudTasksAuthenticator cloud =
        CloudTasksAuthenticators.cloud(
            OidcSettings.google(
                "https://app.example.com/_ah/queue/deferred", "sa@p.iam.gserviceaccount.com"),
            Map.of("GAE_APPLICATION", "s~p")::get,
            java.time.Clock.systemUTC());
    assertThat(cloud.authenticate(Map.of("X-AppEngine-QueueName", "mail")::get))
        .isInstanceOf(Verified.class);
  }

  private static CloudTasksAuthenticator taskOnly(Map<String, String> env, boolean acceptCron) {
    java.time.Clock clock = java.time.Clock.systemUTC();
    return CloudTasksAuthenticators.cloud(
        OidcSettings.google("https://app.example.com/cron", "sa@p.iam.gserviceaccount.com"),
        env::get,
        new JwksKeySource(JwksKeySource.GOOGLE_JWKS_URI, clock),
        clock,
        acceptCron);
  }

  @Test
  void onAppEngineTaskOnlyEndpointsAcceptAppEngineCronUnlessTurnedOff() {
    Map<String, String> cron = Map.of("X-Appengine-Cron", "true");
    assertThat(taskOnly(Map.of("GAE_APPLICATION", "s~p"), true).authenticate(cron::get))
        .isEqualTo(new Verified("App Engine cron header"));
    assertThat(
            taskOnly(Map.of("GAE_APPLICATION", "s~p"), true)
                .authenticate(Map.of("X-Appengine-Cron", "false")::get))
        .isInstanceOf(Rejected.class);
    assertThat(taskOnly(Map.of("GAE_APPLICATION", "s~p"), false).authenticate(cron::get))
        .isInstanceOf(Rejected.class);
  }

  @Test
  void offAppEngineTheCronHeaderIsIgnoredLikeTheQueueHeader() {
    Map<String, String> cron = Map.of("X-Appengine-Cron", "true");
    assertThat(taskOnly(Map.of("K_SERVICE", "web"), true).authenticate(cron::get))
        .isEqualTo(
            new Rejected(
                "DEFERRED-2010: no Authorization header: Cloud Tasks sends 'Authorization: Bearer"
                    + " <OIDC token>' when the task's HTTP target has an oidc_token"));
  }

  @Test
  void anyOfReportsEveryReasonWhenAllReject() {
    CloudTasksAuthenticator both =
        CloudTasksAuthenticators.anyOf(
            List.of(authenticator, header -> new Rejected("second reason")));
    assertThat(both.authenticate(name -> null))
        .isEqualTo(
            new Rejected(
                "DEFERRED-2031: not a Cloud Tasks request: DEFERRED-2030: no X-AppEngine-QueueName header:"
                    + " not an App Engine task request; second reason"));
  }
}
