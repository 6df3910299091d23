package dev.deferred.impl.defer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.deferred.DeferOptions;
import dev.deferred.DeferredTask;
import dev.deferred.Deferrer;
import dev.deferred.impl.testing.DeferredTest;
import dev.deferred.impl.testing.DeferredTestExtension;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.literal.NamedLiteral;
import jakarta.inject.Inject;
import jakarta.inject.Named;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import org.jboss.weld.junit5.auto.AddBeanClasses;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A defer names exactly one bean that will run it, or is refused at the call site: a task whose
 * bean cannot be resolved would only fail when it runs, after its caller has moved on.
 */
@DeferredTest
@AddBeanClasses({BeanResolutionTest.MailNotifier.class, BeanResolutionTest.SmsNotifier.class})
class BeanResolutionTest {

  static final Queue<String> SENT = new ConcurrentLinkedQueue<>();

  /** Two beans implement it: deferring to the interface alone is ambiguous. */
  public interface Notifier {
    void send(String message);
  }

  @ApplicationScoped
  @Named("mail")
  public static class MailNotifier implements Notifier {
    @Override
    public void send(String message) {
      SENT.add("mail: " + message);
    }
  }

  @ApplicationScoped
  @Named("sms")
  public static class SmsNotifier implements Notifier {
    @Override
    public void send(String message) {
      SENT.add("sms: " + message);
    }
  }

  /** Not in the deployment: no bean of this type exists. */
  public static class NotABean {
    public void run() {}
  }

  @Inject Deferrer deferrer;

  @AfterEach
  void settle() {
    DeferredTestExtension.awaitIdle();
    SENT.clear();
  }

  @Test
  void aTypeWithoutABeanIsRefusedAtTheCallSiteEveryTime() {
    for (int attempt = 0; attempt < 2; attempt++) {
      assertThatThrownBy(() -> deferrer.defer(NotABean.class, NotABean::run))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageStartingWith(
              "DEFERRED-0205: Cannot defer a call to "
                  + NotABean.class.getName()
                  + " with qualifiers []: no bean match");
    }
  }

  @Test
  void aTypeWithTwoBeansIsRefusedAtTheCallSiteEveryTime() {
    for (int attempt = 0; attempt < 2; attempt++) {
      assertThatThrownBy(() -> deferrer.defer(Notifier.class, n -> n.send("hello")))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageStartingWith(
              "DEFERRED-0205: Cannot defer a call to "
                  + Notifier.class.getName()
                  + " with qualifiers []: 2 beans match")
          .hasMessageContaining("DeferOptions.qualifiers(...)");
    }
  }

  @Test
  void aQualifierThatSelectsOneBeanIsDeferredAndRunsOnThatBean() {
    DeferredTask task =
        deferrer.defer(
            Notifier.class,
            n -> n.send("hello"),
            DeferOptions.defaults().qualifiers(NamedLiteral.of("sms")));

    assertThat(task.state()).isEqualTo(DeferredTask.State.ENQUEUED);
    DeferredTestExtension.awaitIdle();
    assertThat(SENT).containsExactly("sms: hello");
  }
}
