package dev.deferred.impl.client;

import dev.deferred.impl.config.DeferredConfig;
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

  /** The OIDC audience expected on tasks sent to this address. */
  public String audience(DeferredConfig config) {
    return config.oidcAudience().orElseGet(() -> url.map(URI::toString).orElse(path));
  }
}
