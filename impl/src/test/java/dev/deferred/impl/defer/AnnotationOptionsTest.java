package dev.deferred.impl.defer;

import static org.assertj.core.api.Assertions.assertThat;

import dev.deferred.DeferOptions;
import dev.deferred.Deferred;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The duration members of @Deferred take the same forms as configuration. */
class AnnotationOptionsTest {

  static class Jobs {
    @Deferred(countdown = "5m", maxAge = "2d", dispatchDeadline = "90s")
    public void shortForm() {}

    @Deferred(countdown = "PT5M", maxAge = "P2D", dispatchDeadline = "PT1M30S")
    public void isoForm() {}
  }

  private static DeferOptions options(String method) throws NoSuchMethodException {
    return AnnotationOptions.of(Jobs.class.getMethod(method).getAnnotation(Deferred.class));
  }

  @Test
  void shortAndIsoDurationsMeanTheSame() throws NoSuchMethodException {
    DeferOptions shortForm = options("shortForm");

    assertThat(shortForm.countdown()).contains(Duration.ofMinutes(5));
    assertThat(shortForm.maxAge()).contains(Duration.ofDays(2));
    assertThat(shortForm.dispatchDeadline()).contains(Duration.ofSeconds(90));
    assertThat(options("isoForm")).isEqualTo(shortForm);
  }
}
