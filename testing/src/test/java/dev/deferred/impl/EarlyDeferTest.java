package dev.deferred.impl;

import static java.util.concurrent.TimeUnit.SECONDS;
import static org.assertj.core.api.Assertions.assertThat;

import dev.deferred.impl.defer.ReportService;
import dev.deferred.impl.testing.DeferredTest;
import org.jboss.weld.junit5.auto.AddBeanClasses;
import org.junit.jupiter.api.Test;

/**
 * A defer from the application's own start observer is made after the library has started, so its
 * handler URL has the context root (on a servlet container the start event carries it).
 */
@DeferredTest
@AddBeanClasses({EarlyObserver.class, ReportService.class})
class EarlyDeferTest {

  @Test
  void theLibraryStartsBeforeTheApplicationsStartObservers() throws Exception {
    assertThat(EarlyObserver.RUNTIME_STARTED.get()).isTrue();
    ReportService.Run run = ReportService.RUNS.poll(30, SECONDS);
    assertThat(run).isNotNull();
    assertThat(run.customerId()).isEqualTo(51L);
  }
}
