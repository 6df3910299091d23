package dev.deferred.impl.handler;

import static java.util.concurrent.TimeUnit.SECONDS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.deferred.Deferrer;
import dev.deferred.impl.testing.DeferredTest;
import dev.deferred.impl.testing.DeferredTestExtension;
import jakarta.enterprise.context.control.RequestContextController;
import jakarta.inject.Inject;
import org.jboss.weld.junit5.auto.AddBeanClasses;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * {@code @TaskOnly} fails closed: where the JAX-RS filter did not run (here there is no JAX-RS at
 * all, as in an application whose {@code Application} lists its classes without the filter), the
 * method refuses to run; inside a verified task it runs.
 */
@DeferredTest
@AddBeanClasses(Cron.class)
class TaskOnlyGuardTest {

  @Inject Cron cron;
  @Inject Deferrer deferrer;
  @Inject RequestContextController requestContext;

  @AfterEach
  void settle() {
    Cron.RAN.clear();
    DeferredTestExtension.awaitIdle();
  }

  @Test
  void aTaskOnlyMethodCalledOutsideAVerifiedRequestIsRefused() {
    // On a server this is a ForbiddenException (403); here, without a JAX-RS runtime, a plain one.
    assertThatThrownBy(() -> cron.clean())
        .isInstanceOf(SecurityException.class)
        .hasMessage(
            "DEFERRED-0426: Refused a call of @TaskOnly method dev.deferred.impl.handler.Cron.clean"
                + " (403): the request was not verified as coming from Cloud Tasks. If this was an"
                + " HTTP request, the library's filter dev.deferred.impl.handler.TaskOnlyFilter did"
                + " not run: add it to the classes (getClasses()) of the application's"
                + " jakarta.ws.rs.core.Application");
    assertThat(Cron.RAN).isEmpty();
  }

  @Test
  void aTaskOnlyMethodCalledInARequestThatIsNotATaskIsRefused() {
    // A request context without a verified task in it, as in any other HTTP request.
    requestContext.activate();
    try {
      assertThatThrownBy(() -> cron.clean())
          .isInstanceOf(SecurityException.class)
          .hasMessageStartingWith(
              "DEFERRED-0426: Refused a call of @TaskOnly method"
                  + " dev.deferred.impl.handler.Cron.clean (403)");
    } finally {
      requestContext.deactivate();
    }
    assertThat(Cron.RAN).isEmpty();
  }

  @Test
  void aTaskMayRunATaskOnlyMethod() throws Exception {
    deferrer.defer(Cron.class, Cron::clean);
    assertThat(Cron.RAN.poll(30, SECONDS)).isEqualTo("clean");
  }
}
