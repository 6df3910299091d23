package dev.deferred.impl.handler;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.junit.jupiter.api.Test;

class RefusalLogTest {

  @Test
  void aFloodOfRefusalsLogsAtMostTwentyWarningsAMinuteAndThenTheCount() {
    Logger logger = Logger.getLogger("refusal-log-test");
    logger.setUseParentHandlers(false);
    logger.setLevel(Level.ALL);
    List<LogRecord> records = new CopyOnWriteArrayList<>();
    Handler capture =
        new Handler() {
          @Override
          public void publish(LogRecord record) {
            records.add(record);
          }

          @Override
          public void flush() {}

          @Override
          public void close() {}
        };
    logger.addHandler(capture);
    AtomicLong millis = new AtomicLong(1_000_000);
    Clock clock =
        new Clock() {
          @Override
          public ZoneId getZone() {
            return ZoneOffset.UTC;
          }

          @Override
          public Clock withZone(ZoneId zone) {
            return this;
          }

          @Override
          public Instant instant() {
            return Instant.ofEpochMilli(millis.get());
          }
        };
    try {
      RefusalLog log = new RefusalLog(logger, clock);
      for (int i = 0; i < 1000; i++) {
        log.refused("refused " + i);
      }
      assertThat(records.stream().filter(r -> r.getLevel() == Level.WARNING)).hasSize(20);
      assertThat(records.stream().filter(r -> r.getLevel() == Level.FINE)).hasSize(980);

      millis.addAndGet(60_000);
      records.clear();
      log.refused("refused again");
      assertThat(records)
          .singleElement()
          .satisfies(
              r ->
                  assertThat(r.getMessage())
                      .isEqualTo(
                          "refused again (DEFERRED-0427: 980 more refused requests were logged"
                              + " only at FINE level: at most 20 refusals a minute are logged as"
                              + " warnings)"));
    } finally {
      logger.removeHandler(capture);
    }
  }
}
