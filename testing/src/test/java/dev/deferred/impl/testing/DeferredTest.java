package dev.deferred.impl.testing;

import com.arjuna.ats.jta.cdi.TransactionExtension;
import dev.deferred.impl.DeferredExtension;
import io.smallrye.config.inject.ConfigExtension;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.jboss.weld.junit5.auto.AddBeanClasses;
import org.jboss.weld.junit5.auto.AddExtensions;
import org.jboss.weld.junit5.auto.EnableAutoWeld;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The one way the library's own CDI tests boot (kept apart from the published {@code
 * dev.deferred.testing.DeferredTest}, which pauses the queues for an application's tests): Weld
 * with Deferred's extension, SmallRye Config with the test's configuration and environment (never
 * the shell's), Narayana JTA, the embedded emulator (started by the library itself, in process,
 * over real gRPC), and a real HTTP server that delivers tasks to the task handler.
 *
 * <pre>{@code
 * @DeferredTest(config = {"deferred.queues.mail.rate-per-second=5"})
 * @AddBeanClasses(Mailer.class)
 * class MailerTest { @Inject Deferrer deferrer; ... }
 * }</pre>
 */
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.TYPE)
@ExtendWith(DeferredTestExtension.class)
@EnableAutoWeld
@AddExtensions({DeferredExtension.class, ConfigExtension.class, TransactionExtension.class})
@AddBeanClasses(TestEnvironment.class)
public @interface DeferredTest {

  /** {@code key=value} entries, on top of quick retries for the {@code default} queue. */
  String[] config() default {};

  /**
   * {@code NAME=value} environment variables the library sees, instead of the shell's (see {@link
   * TestEnvironment}).
   */
  String[] env() default {};
}
