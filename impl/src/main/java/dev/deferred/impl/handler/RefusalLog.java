package dev.deferred.impl.handler;

import dev.deferred.impl.config.Messages;
import java.time.Clock;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Logs refused requests at warning level, at most {@value #PER_MINUTE} a minute: a flood of forged
 * requests must not flood the log (or its bill). The refusals beyond the limit are logged at fine
 * level and counted; the count is added to the next warning. Thread-safe.
 */
public final class RefusalLog {

  /** Warnings per minute, at most. */
  public static final int PER_MINUTE = 20;

  private static final long WINDOW_MILLIS = 60_000;

  private final Logger log;
  private final Clock clock;
  private long windowStart = Long.MIN_VALUE;
  private int logged;
  private long suppressed;

  public RefusalLog(Logger log, Clock clock) {
    this.log = log;
    this.clock = clock;
  }

  /** Logs one refusal. */
  public void refused(String message) {
    long now = clock.millis();
    long skipped;
    synchronized (this) {
      if (windowStart == Long.MIN_VALUE || now - windowStart >= WINDOW_MILLIS) {
        windowStart = now;
        logged = 0;
      }
      if (logged >= PER_MINUTE) {
        suppressed++;
        skipped = -1;
      } else {
        logged++;
        skipped = suppressed;
        suppressed = 0;
      }
    }
    if (skipped < 0) {
      log.log(Level.FINE, message);
    } else if (skipped == 0) {
      log.warning(message);
    } else {
      log.warning(message + " " + Messages.refusalsNotLogged(skipped, PER_MINUTE));
    }
  }
}
