package dev.deferred.testing;

import com.arjuna.ats.jta.cdi.TransactionExtension;
import dev.deferred.impl.DeferredExtension;
import dev.deferred.testing.internal.TestingCdiExtension;
import io.smallrye.config.inject.ConfigExtension;
import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Inherited;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.jboss.weld.junit5.auto.AddExtensions;
import org.jboss.weld.junit5.auto.EnableAutoWeld;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Boots a test of an application that uses Deferred: Weld (weld-junit5's {@code @EnableAutoWeld},
 * so add the application's beans with {@code @AddBeanClasses}) with Deferred's CDI extension,
 * MicroProfile Config (SmallRye) and JTA (Narayana), and a Cloud Tasks emulator started in the
 * test's process that the library is pointed at.
 *
 * <p>Before each test the emulator is emptied, and every configured queue ({@code
 * deferred.queues.*} in the application's {@code META-INF/microprofile-config.properties}, in
 * {@link #config()} or in the test's {@link TestConfig}, plus {@code default}) is created with its
 * settings and <em>paused</em>: deferred tasks wait until the test runs them with {@link
 * TaskQueues}. Tasks run through the library's real handler (signature, decoding, CDI lookup,
 * outcome), delivered by the emulator over HTTP; a transactional defer reaches the queue only when
 * the transaction commits.
 *
 * <p>The library sees no environment variable of the machine: {@code CLOUD_TASKS_EMULATOR_HOST},
 * {@code K_SERVICE}, {@code GAE_APPLICATION}, {@code GOOGLE_CLOUD_PROJECT} or {@code
 * DATASTORE_EMULATOR_HOST} in the shell change neither the mode, the project nor the stores of a
 * test.
 *
 * <pre>{@code
 * @DeferredTest
 * @AddBeanClasses(Mailer.class)
 * class WelcomeMailTest {
 *   @Inject Signup signup;
 *   @Inject TaskQueues tasks;
 *
 *   @Test
 *   void signingUpSendsOneWelcomeMail() {
 *     signup.register("ada@example.com");   // defers Mailer.send(...)
 *     tasks.assertCount("mail", 1);
 *     tasks.process();
 *     assertThat(Mailer.SENT).containsExactly("ada@example.com");
 *   }
 * }
 * }</pre>
 *
 * <p>Tests of one JVM must run one at a time (JUnit's default): the emulator and the configuration
 * belong to the running test class.
 */
@Documented
@Inherited
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.TYPE)
@ExtendWith(DeferredTestExtension.class)
@EnableAutoWeld
@AddExtensions({
  DeferredExtension.class,
  ConfigExtension.class,
  TransactionExtension.class,
  TestingCdiExtension.class
})
public @interface DeferredTest {

  /**
   * Configuration of every test of the class, {@code key=value} entries on top of the application's
   * own (and winning over it), for example {@code "deferred.queues.mail.retry-max-attempts=3"}. A
   * single test adds its own with {@link TestConfig}. The mode and the keys that point the library
   * at the test's emulator are not among them: an entry for one fails the class (see {@link
   * TestConfig}).
   *
   * @return the entries; none by default
   */
  String[] config() default {};
}
