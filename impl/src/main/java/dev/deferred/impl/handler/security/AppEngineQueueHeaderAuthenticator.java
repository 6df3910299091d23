package dev.deferred.impl.handler.security;

import dev.deferred.impl.handler.security.AuthenticationResult.Rejected;
import dev.deferred.impl.handler.security.AuthenticationResult.Verified;
import java.util.function.Function;

/**
 * Accepts a request that carries the {@code X-AppEngine-QueueName} header.
 *
 * <p>Only sound on App Engine: its front end removes {@code X-AppEngine-*} headers from requests
 * that come from outside, so the header can only have been set by App Engine itself, for a task of
 * an App Engine target. Anywhere else (Cloud Run, GKE, a laptop) any client can send the header, so
 * the core handler must install this authenticator only when {@link #isAppEngine} says the
 * application runs on App Engine.
 */
public final class AppEngineQueueHeaderAuthenticator implements CloudTasksAuthenticator {

  /** The header App Engine sets on task requests and strips from external ones. */
  public static final String QUEUE_HEADER = "X-AppEngine-QueueName";

  /**
   * The header App Engine sets, to {@code true}, on requests of App Engine cron, and strips from
   * external requests like the queue headers.
   */
  public static final String CRON_HEADER = "X-Appengine-Cron";

  /**
   * Accepts a request of App Engine cron: {@code X-Appengine-Cron: true}. Sound on App Engine only,
   * under the same rule as the queue header; for {@code @TaskOnly} endpoints, as djangae's {@code
   * task_only} accepts cron.
   */
  public static CloudTasksAuthenticator cron() {
    return header -> {
      String cron = header.apply(CRON_HEADER);
      if (cron == null || !cron.strip().equals("true")) {
        return new Rejected(SecurityMessages.noCronHeader());
      }
      return new Verified("App Engine cron header");
    };
  }

  @Override
  public AuthenticationResult authenticate(Function<String, String> header) {
    String queue = header.apply(QUEUE_HEADER);
    if (queue == null || queue.isBlank()) {
      return new Rejected(SecurityMessages.noAppEngineHeader());
    }
    return new Verified("App Engine queue header (queue " + SecurityMessages.quote(queue) + ")");
  }

  /**
   * Whether this process runs on the App Engine standard or flexible environment. App Engine sets
   * {@code GAE_APPLICATION} (standard, second generation) or {@code GAE_INSTANCE} and {@code
   * GAE_SERVICE} (both environments); Cloud Run and GKE set none of them.
   *
   * @param env the process environment, e.g. {@code System::getenv}
   * @return true on App Engine
   */
  public static boolean isAppEngine(Function<String, String> env) {
    return present(env.apply("GAE_APPLICATION"))
        || (present(env.apply("GAE_SERVICE")) && present(env.apply("GAE_INSTANCE")));
  }

  private static boolean present(String value) {
    return value != null && !value.isBlank();
  }
}
