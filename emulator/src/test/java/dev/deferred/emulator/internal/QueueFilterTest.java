package dev.deferred.emulator.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.google.cloud.tasks.v2.Queue;
import com.google.cloud.tasks.v2.RateLimits;
import com.google.cloud.tasks.v2.RetryConfig;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import org.junit.jupiter.api.Test;

class QueueFilterTest {
  static final Queue PAUSED_SLOW =
      Queue.newBuilder()
          .setName("projects/p/locations/l/queues/billing-slow")
          .setState(Queue.State.PAUSED)
          .setRateLimits(RateLimits.newBuilder().setMaxDispatchesPerSecond(5))
          .setRetryConfig(RetryConfig.newBuilder().setMaxAttempts(3))
          .build();

  private static boolean matches(String filter) {
    return QueueFilter.parse(filter).matches(PAUSED_SLOW);
  }

  @Test
  void comparesEnumsStringsAndNumbers() {
    assertThat(matches("state: PAUSED")).isTrue();
    assertThat(matches("state = RUNNING")).isFalse();
    assertThat(matches("state != RUNNING")).isTrue();
    assertThat(matches("name:billing")).isTrue();
    assertThat(matches("name = billing-slow")).isTrue();
    assertThat(matches("name = \"projects/p/locations/l/queues/billing-slow\"")).isTrue();
    assertThat(matches("name = billing")).isFalse();
    assertThat(matches("name:bill*slow")).isTrue();
    assertThat(matches("rate_limits.max_dispatches_per_second < 10")).isTrue();
    assertThat(matches("rateLimits.maxDispatchesPerSecond >= 10")).isFalse();
    assertThat(matches("retry_config.max_attempts = 3")).isTrue();
  }

  @Test
  void combinesWithAndOrNotAndParentheses() {
    assertThat(matches("state: PAUSED AND name:billing")).isTrue();
    assertThat(matches("state: PAUSED name:other")).isFalse();
    assertThat(matches("state: RUNNING OR name:billing")).isTrue();
    assertThat(matches("NOT state: RUNNING")).isTrue();
    assertThat(matches("-state: PAUSED")).isFalse();
    assertThat(matches("(state: RUNNING OR name:slow) AND retry_config.max_attempts > 2")).isTrue();
  }

  @Test
  void malformedFiltersAreInvalidArgumentsNamingTheFilter() {
    for (String bad :
        new String[] {
          "state",
          "state:",
          "nosuch: 1",
          "rate_limits: 5",
          "state: PAUSED AND",
          "(state: PAUSED",
          "name: \"open",
          "rate_limits.max_burst_size > x"
        }) {
      StatusRuntimeException e =
          catchThrowableOfType(StatusRuntimeException.class, () -> QueueFilter.parse(bad));
      assertThat(e).as(bad).isNotNull();
      assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
      assertThat(e.getStatus().getDescription()).startsWith("Invalid filter \"" + bad + "\"");
    }
  }
}
