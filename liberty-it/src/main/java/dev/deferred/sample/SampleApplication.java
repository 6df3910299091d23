package dev.deferred.sample;

import jakarta.ws.rs.ApplicationPath;
import jakarta.ws.rs.core.Application;

/**
 * The sample application's JAX-RS application.
 *
 * <p>It deliberately lists no classes: that is the set-up in which Open Liberty would also serve
 * the library's task handler under {@code /api}, so the integration tests can check that the
 * handler is reachable only at its own path.
 */
@ApplicationPath("/api")
public class SampleApplication extends Application {}
