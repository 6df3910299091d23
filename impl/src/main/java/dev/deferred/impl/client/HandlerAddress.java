package dev.deferred.impl.client;

import dev.deferred.impl.config.DeferredConfig;
import dev.deferred.impl.config.Messages;
import dev.deferred.impl.config.Mode;
import java.net.URI;
import java.util.Optional;

/**
 * Where tasks are sent: an absolute URL (HTTP target with an OIDC token) or, on App Engine, a path
 * relative to the application (App Engine target).
 *
 * <p>Rules: {@code deferred.handler.url} wins. Otherwise, in cloud mode, an App Engine target with
 * the context path plus {@code deferred.handler.path}. Otherwise (embedded and emulator mode)
 * {@code http://localhost:PORT} plus the context path plus the handler path, where PORT is the
 * MicroProfile Config value {@code default.http.port} (Open Liberty's server.xml variable), 9080 if
 * absent.
 *
 * @param url the absolute handler URL, or empty for App Engine targets
 * @param path the handler path including the context path, e.g. {@code /shop/_ah/queue/deferred}
 */
public record HandlerAddress(Optional<URI> url, String path) {

  /** The port Open Liberty uses when server.xml does not say otherwise. */
  public static final int DEFAULT_HTTP_PORT = 9080;

  public static HandlerAddress resolve(DeferredConfig config, String contextPath, int httpPort) {
    String ctx = contextPath == null || contextPath.equals("/") ? "" : contextPath;
    String path = ctx + config.handlerPath();
    if (config.handlerUrl().isPresent()) {
      return new HandlerAddress(config.handlerUrl(), config.handlerUrl().get().getPath());
    }
    if (config.mode() == Mode.CLOUD) {
      return new HandlerAddress(Optional.empty(), path);
    }
    return new HandlerAddress(Optional.of(URI.create("http://localhost:" + httpPort + path)), path);
  }

  /**
   * Refuses a handler URL that would send a signed body and an OIDC token in clear text: {@code
   * http://} in cloud mode. Local modes talk to the emulator on the same machine.
   *
   * @throws IllegalArgumentException naming the URL and the fix
   */
  public static void requireSecure(DeferredConfig config, URI url) {
    if (config.mode() == Mode.CLOUD && url.isAbsolute() && "http".equals(url.getScheme())) {
      throw new IllegalArgumentException(Messages.plainHttpHandlerUrl("The handler URL", url));
    }
  }

  /**
   * The audience of the token sent with a task to {@code target}: ours (the configured audience, or
   * the URL itself) only when the target is this application's own origin. A token whose audience
   * is ours, handed to another host, would let that host call our handler with it.
   */
  public String audienceFor(DeferredConfig config, URI target) {
    boolean ours =
        url.map(
                own ->
                    own.getScheme().equalsIgnoreCase(target.getScheme())
                        && own.getHost() != null
                        && own.getHost().equalsIgnoreCase(target.getHost())
                        && effectivePort(own) == effectivePort(target))
            .orElse(false);
    return ours ? config.oidcAudience().orElse(target.toString()) : target.toString();
  }

  private static int effectivePort(URI u) {
    if (u.getPort() != -1) {
      return u.getPort();
    }
    return "https".equalsIgnoreCase(u.getScheme()) ? 443 : 80;
  }

  /**
   * The OIDC audience expected on a task request to {@code route} of this application (a
   * {@code @TaskOnly} endpoint): the configured audience, else this application's origin (from the
   * handler URL, never from the request's {@code Host}) followed by the route, which is what Cloud
   * Tasks uses by default. On App Engine targets without a handler URL, the route alone.
   *
   * @param route the request's raw path and, if any, {@code ?} and its raw query
   */
  public String audienceForRoute(DeferredConfig config, String route) {
    return config
        .oidcAudience()
        .orElseGet(
            () -> url.map(u -> u.getScheme() + "://" + u.getRawAuthority() + route).orElse(route));
  }

  /** The OIDC audience expected on tasks sent to this address. */
  public String audience(DeferredConfig config) {
    return config.oidcAudience().orElseGet(() -> url.map(URI::toString).orElse(path));
  }
}
