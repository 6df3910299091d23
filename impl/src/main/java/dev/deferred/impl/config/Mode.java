package dev.deferred.impl.config;

import java.util.Locale;

/** Where tasks go: see the modes in the configuration reference. */
public enum Mode {
  /** The emulator runs inside the application; payloads and markers live in memory. */
  EMBEDDED,
  /** An external emulator at {@code deferred.emulator.host}. */
  EMULATOR,
  /** Real Cloud Tasks. */
  CLOUD;

  /** The value as written in configuration. */
  public String configValue() {
    return name().toLowerCase(Locale.ROOT);
  }
}
