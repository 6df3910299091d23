package dev.deferred.impl.testing;

import dev.deferred.impl.config.HostEnvironment;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Alternative;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The environment of CDI tests: only the variables the test class declares ({@link
 * DeferredTest#env()}), never the shell's, so that {@code K_SERVICE} or {@code
 * CLOUD_TASKS_EMULATOR_HOST} set on the machine cannot change a test's mode; and a clock that a
 * test can move forward.
 */
@Alternative
@Priority(1000)
@ApplicationScoped
public class TestEnvironment extends HostEnvironment {
  static final Map<String, String> VARIABLES = new ConcurrentHashMap<>();
  private static final OffsetClock CLOCK = new OffsetClock();

  @Override
  public String variable(String name) {
    return VARIABLES.get(name);
  }

  @Override
  public Clock clock() {
    return CLOCK;
  }

  /** Moves the library's clock forward (or back, with a negative amount). */
  public static void advanceClock(Duration amount) {
    CLOCK.offset = CLOCK.offset.plus(amount);
  }

  static void reset() {
    VARIABLES.clear();
    CLOCK.offset = Duration.ZERO;
  }

  /** The system clock plus an offset. */
  private static final class OffsetClock extends Clock {
    volatile Duration offset = Duration.ZERO;

    @Override
    public ZoneId getZone() {
      return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
      throw new UnsupportedOperationException("UTC only");
    }

    @Override
    public Instant instant() {
      return Instant.now().plus(offset);
    }
  }
}
