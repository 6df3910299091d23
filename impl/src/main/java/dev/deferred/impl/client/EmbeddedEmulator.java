package dev.deferred.impl.client;

import dev.deferred.emulator.CloudTasksEmulator;
import dev.deferred.impl.config.DeferredConfig;
import dev.deferred.impl.config.QueueConfig;
import java.net.URI;

/**
 * The in-process emulator of embedded mode, on loopback and free ports. Loaded by name from {@link
 * EmulatorLauncher#load(ClassLoader)} only when the emulator is on the class path.
 */
final class EmbeddedEmulator implements EmulatorLauncher {
  private CloudTasksEmulator emulator;

  @Override
  public void start(DeferredConfig config) {
    CloudTasksEmulator.Builder builder =
        CloudTasksEmulator.builder()
            .host("127.0.0.1")
            .grpcPort(0)
            .httpPort(config.emulatorHttpPort())
            .project(config.project())
            .location(config.location());
    for (QueueConfig q : config.queues().values()) {
      builder.queue(QueueSetup.toQueue(config.project(), config.location(), q));
    }
    emulator = builder.start();
  }

  @Override
  public String grpcTarget() {
    return emulator.grpcTarget();
  }

  @Override
  public URI jwksUri() {
    return emulator.jwksUri();
  }

  @Override
  public URI consoleUrl() {
    return emulator.consoleUrl();
  }

  @Override
  public String oidcIssuer() {
    return emulator.oidcIssuer();
  }

  @Override
  public boolean awaitIdle(java.time.Duration timeout) {
    return emulator.awaitIdle(timeout);
  }

  @Override
  public void close() {
    if (emulator != null) {
      emulator.close();
    }
  }
}
