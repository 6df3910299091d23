package dev.deferred.impl;

import static org.assertj.core.api.Assertions.assertThat;

import dev.deferred.Deferred;
import dev.deferred.impl.testing.Deployments;
import jakarta.enterprise.context.Dependent;
import java.io.InputStream;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Every @Deferred method that can never work fails the deployment, all reported at once. */
class InvalidDeferredMethodsTest {

  @Dependent
  static class BadMailer {
    @Deferred
    private void hidden(String to) {}

    @Deferred
    public static void shared(String to) {}

    @Deferred
    public final void locked(String to) {}

    @Deferred
    public String answer(String to) {
      return to;
    }

    @Deferred
    public void stream(InputStream in) {}

    @Deferred
    public void anything(Object value) {}

    @Deferred(countdown = "soon")
    public void later() {}

    @Deferred
    public void fine(String to) {}
  }

  private static final String WHERE = BadMailer.class.getName() + ".";

  @Test
  void everyProblemIsReportedWithClassMethodAndFix() {
    String message = Deployments.failure(Map.of(), BadMailer.class);

    assertThat(message)
        .contains(
            "DEFERRED-0101: @Deferred method "
                + WHERE
                + "hidden(String) is private, so CDI cannot intercept it: make it public")
        .contains(
            "DEFERRED-0101: @Deferred method "
                + WHERE
                + "shared(String) is static, so CDI cannot intercept it: make it an instance"
                + " method")
        .contains(
            "DEFERRED-0101: @Deferred method "
                + WHERE
                + "locked(String) is final, so CDI cannot intercept it: remove the final modifier")
        .contains(
            "DEFERRED-0101: @Deferred method "
                + WHERE
                + "answer(String) returns a value, but a deferred call returns before the method"
                + " runs: make it return void; to learn the task's name, defer it with"
                + " Deferrer.defer(...), which returns a DeferredTask")
        .contains(
            "DEFERRED-0101: @Deferred method "
                + WHERE
                + "stream(InputStream) has parameter 0 (in) of type java.io.InputStream that"
                + " cannot be encoded into a task payload: it is a resource or behaviour, not"
                + " data: pass the data it works on (an id, a name, the bytes) instead")
        .contains(
            "DEFERRED-0101: @Deferred method "
                + WHERE
                + "anything(Object) has parameter 0 (value) of type java.lang.Object that cannot"
                + " be encoded into a task payload: it is java.lang.Object, so JSON cannot tell"
                + " which class to decode: declare a concrete type")
        .contains(
            "DEFERRED-0103: @Deferred method "
                + WHERE
                + "later() has an invalid countdown 'soon': 'soon' is not a duration: write e.g."
                + " 10s, 500ms, 5m, 1h, 2d or PT10S")
        .doesNotContain("fine(String)");
  }
}
