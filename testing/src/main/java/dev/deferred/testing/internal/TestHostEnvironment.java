package dev.deferred.testing.internal;

import dev.deferred.impl.config.HostEnvironment;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Alternative;

/**
 * The machine as the library sees it in a Deferred test: without environment variables, so that the
 * shell's {@code CLOUD_TASKS_EMULATOR_HOST}, {@code K_SERVICE}, {@code GAE_APPLICATION}, {@code
 * GOOGLE_CLOUD_PROJECT} or {@code DATASTORE_EMULATOR_HOST} cannot change a test's mode, project,
 * stores or accepted requests. The clock is the system's. Added to the container by {@link
 * TestingCdiExtension}; the test's own reading of the configuration uses it too.
 */
@Alternative
@Priority(TestHostEnvironment.PRIORITY)
@ApplicationScoped
public class TestHostEnvironment extends HostEnvironment {

  /** Its priority as an enabled alternative. */
  public static final int PRIORITY = 1000;

  /**
   * No variable is set in a test.
   *
   * @param name the variable's name
   * @return {@code null}
   */
  @Override
  public String variable(String name) {
    return null;
  }
}
