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
 * <p>The configuration is read when the container starts, so this needs weld-junit5's default
 * lifecycle (a container per test method); on a class with
 * {@code @TestInstance(Lifecycle.PER_CLASS)} the test fails and says so.
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
