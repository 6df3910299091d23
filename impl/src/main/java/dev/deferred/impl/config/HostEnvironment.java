package dev.deferred.impl.config;

import jakarta.enterprise.context.ApplicationScoped;
import java.time.Clock;

/**
 * What the library reads from the machine it runs on: environment variables (mode detection,
 * project, App Engine routing, Datastore emulator) and the clock. A bean, so that everything that
 * reads the environment reads it through one place, and a test can give the library an environment
 * of its own instead of the shell's.
 */
@ApplicationScoped
public class HostEnvironment {

  /**
   * An environment variable.
   *
   * @param name the variable's name
   * @return its value, or {@code null} if it is not set
   */
  public String variable(String name) {
    return System.getenv(name);
  }

  /** The clock for schedule times, task ages and token checks. */
  public Clock clock() {
    return Clock.systemUTC();
  }
}
