package dev.deferred.emulator.internal;

import com.google.protobuf.Duration;
import com.google.protobuf.Timestamp;
import java.time.Instant;
import java.time.temporal.ChronoUnit;

/** Conversions between protobuf and java.time values. */
final class Protos {
  private Protos() {}

  static Timestamp ts(Instant i) {
    return Timestamp.newBuilder().setSeconds(i.getEpochSecond()).setNanos(i.getNano()).build();
  }

  static Instant instant(Timestamp t) {
    return Instant.ofEpochSecond(t.getSeconds(), t.getNanos());
  }

  static Instant micros(Instant i) {
    return i.truncatedTo(ChronoUnit.MICROS);
  }

  static Duration duration(java.time.Duration d) {
    return Duration.newBuilder().setSeconds(d.getSeconds()).setNanos(d.getNano()).build();
  }

  static java.time.Duration duration(Duration d) {
    return java.time.Duration.ofSeconds(d.getSeconds(), d.getNanos());
  }

  /** Seconds since the epoch with microseconds, as the TaskETA header carries it. */
  static String eta(Instant i) {
    long micros = i.getNano() / 1000;
    return i.getEpochSecond() + "." + String.format("%06d", micros);
  }
}
