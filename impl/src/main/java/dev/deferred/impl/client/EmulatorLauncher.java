package dev.deferred.impl.client;

import dev.deferred.impl.config.DeferredConfig;
import dev.deferred.impl.config.Messages;
import java.net.URI;

/**
 * Starts the in-process emulator of embedded mode. The emulator is an optional dependency, so the
 * class that touches it ({@link EmbeddedEmulator}) is loaded by name, only after checking that the
 * emulator is there: an application without it gets a clear message instead of a {@code
 * NoClassDefFoundError}.
 */
public interface EmulatorLauncher extends AutoCloseable {

  String EMULATOR_CLASS = "dev.deferred.emulator.CloudTasksEmulator";

  /** Starts the emulator with the configured project, location and queues. */
  void start(DeferredConfig config);

  /** The gRPC target, {@code 127.0.0.1:PORT}. */
  String grpcTarget();

  /** The emulator's key set, for verifying the OIDC tokens it signs. */
  URI jwksUri();

  /** The emulator console, a page in a browser: {@code http://127.0.0.1:PORT/}. */
  URI consoleUrl();

  /** The issuer of those tokens. */
  String oidcIssuer();

  /**
   * Waits until no task is queued or running, for tests.
   *
   * @return whether it went idle in time
   */
  boolean awaitIdle(java.time.Duration timeout);

  @Override
  void close();

  /**
   * Whether the emulator module can be loaded.
   *
   * @param loader the application's class loader
   */
  static boolean available(ClassLoader loader) {
    try {
      Class.forName(EMULATOR_CLASS, false, loader);
      return true;
    } catch (ClassNotFoundException | LinkageError e) {
      return false;
    }
  }

  /**
   * The startup problem of a configuration that asks for embedded mode, explicitly or by default,
   * when the emulator module is not on the class path: a production server with no {@code
   * deferred.*} settings must fail rather than run an in-memory emulator unnoticed.
   *
   * @param config the configuration
   * @param loader the application's class loader
   * @return the message, or empty when there is no problem
   */
  static java.util.Optional<String> missingEmulator(DeferredConfig config, ClassLoader loader) {
    if (config.mode() != dev.deferred.impl.config.Mode.EMBEDDED || available(loader)) {
      return java.util.Optional.empty();
    }
    return java.util.Optional.of(
        config.modeSource().equals("default")
            ? Messages.embeddedByDefaultWithoutEmulator()
            : Messages.embeddedWithoutEmulator());
  }

  /**
   * A launcher, if the emulator is on the class path.
   *
   * @throws IllegalStateException with {@link Messages#embeddedWithoutEmulator()} otherwise
   */
  static EmulatorLauncher load(ClassLoader loader) {
    try {
      Class.forName(EMULATOR_CLASS, false, loader);
    } catch (ClassNotFoundException | LinkageError e) {
      throw new IllegalStateException(Messages.embeddedWithoutEmulator(), e);
    }
    try {
      return (EmulatorLauncher)
          Class.forName(
                  "dev.deferred.impl.client.EmbeddedEmulator",
                  true,
                  EmulatorLauncher.class.getClassLoader())
              .getDeclaredConstructor()
              .newInstance();
    } catch (ReflectiveOperationException e) {
      throw new IllegalStateException(Messages.embeddedWithoutEmulator(), e);
    }
  }
}
