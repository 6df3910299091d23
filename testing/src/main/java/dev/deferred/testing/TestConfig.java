package dev.deferred.testing;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Configuration of one test method of a {@link DeferredTest} class, on top of the class's: {@code
 * key=value} entries, for example a queue's settings ({@code
 * "deferred.queues.reports.rate-per-second=1"}) or a queue that only this test uses.
 *
 * <p>The test's entries win over the class's, which win over the application's {@code
 * META-INF/microprofile-config.properties}; before the test its queues are created, paused, with
 * the settings that result, and the library reads the same.
 *
 * <p>The configuration is read when the container starts, so this needs weld-junit5's default
 * lifecycle (a container per test method); on a class with
 * {@code @TestInstance(Lifecycle.PER_CLASS)} the test fails and says so.
 *
 * <p>The mode is not a test's to choose: {@code deferred.mode}, {@code deferred.emulator.host},
 * {@code deferred.emulator.jwks-url} and {@code deferred.create-queues} point the library at the
 * test's emulator, whose queues stay paused for {@link TaskQueues}, and an entry for one of them
 * fails the test, naming it.
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.METHOD)
public @interface TestConfig {

  /**
   * The entries.
   *
   * @return {@code key=value} entries
   */
  String[] value();
}
