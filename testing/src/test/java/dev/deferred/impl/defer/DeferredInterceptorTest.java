package dev.deferred.impl.defer;

import static java.util.concurrent.TimeUnit.SECONDS;
import static org.assertj.core.api.Assertions.assertThat;

import dev.deferred.impl.testing.DeferredTest;
import dev.deferred.impl.testing.DeferredTestExtension;
import jakarta.inject.Inject;
import java.util.ArrayList;
import java.util.List;
import org.jboss.weld.junit5.auto.AddBeanClasses;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

@DeferredTest(config = {"deferred.queues.mail.rate-per-second=20"})
@AddBeanClasses({Mailer.class, Mailer.Archive.class})
class DeferredInterceptorTest {

  @Inject Mailer mailer;

  @AfterEach
  void settle() {
    // No task of this test may reach the next test's container.
    DeferredTestExtension.awaitIdle();
  }

  @BeforeEach
  void clear() {
    Mailer.SENT.clear();
  }

  @Test
  void callingADeferredMethodEnqueuesItAndTheTaskRunsIt() throws Exception {
    mailer.send("ann@example.com", new Mailer.Letter("Hello", "Body"));

    Mailer.Sent sent = Mailer.SENT.poll(30, SECONDS);
    assertThat(sent).isNotNull();
    assertThat(sent.what()).isEqualTo("send ann@example.com Hello");
  }

  @Test
  void aDeferredMethodCalledInsideATaskIsDeferredAgainAsItsOwnTask() throws Exception {
    mailer.send("bob@example.com", new Mailer.Letter("Hi", "Body"));

    List<Mailer.Sent> runs = new ArrayList<>();
    for (int i = 0; i < 2; i++) {
      Mailer.Sent s = Mailer.SENT.poll(30, SECONDS);
      assertThat(s).isNotNull();
      runs.add(s);
    }
    assertThat(runs)
        .extracting(Mailer.Sent::what)
        .containsExactly("send bob@example.com Hi", "archive bob@example.com");
    assertThat(runs.get(0).task()).isNotEqualTo(runs.get(1).task());
  }

  @Test
  void otherInterceptorsOfTheMethodApplyWhenTheTaskRuns() throws Exception {
    mailer.sendInTransaction("cy@example.com");

    Mailer.Sent sent = Mailer.SENT.poll(30, SECONDS);
    assertThat(sent).isNotNull();
    assertThat(sent.what()).isEqualTo("tx cy@example.com");
    assertThat(sent.inTransaction()).isTrue();
  }
}
