package dev.deferred.testing;

import dev.deferred.testing.internal.TestEnvironment;
import java.util.List;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.platform.commons.support.AnnotationSupport;

/**
 * The JUnit 5 extension behind {@link DeferredTest}: starts the class's task server and emulator,
 * sets the configuration before the Weld container starts, and empties the emulator and creates the
 * configured queues, paused, before each test. Registered by {@code @DeferredTest}, which also
 * orders it before weld-junit5's own extension; use the annotation rather than this class.
 */
public final class DeferredTestExtension
    implements BeforeAllCallback, BeforeEachCallback, AfterAllCallback {

  private static final ExtensionContext.Namespace NAMESPACE =
      ExtensionContext.Namespace.create(DeferredTestExtension.class);

  @Override
  public void beforeAll(ExtensionContext context) {
    setIfAbsent("ObjectStoreEnvironmentBean.objectStoreDir", "target/narayana-object-store");
    setIfAbsent("com.arjuna.ats.arjuna.objectstore.objectStoreDir", "target/narayana-object-store");
    String[] entries =
        AnnotationSupport.findAnnotation(context.getRequiredTestClass(), DeferredTest.class)
            .map(DeferredTest::config)
            .orElse(new String[0]);
    TestEnvironment env = TestEnvironment.start(List.of(entries));
    context.getStore(NAMESPACE).put(TestEnvironment.class, env);
    // A container per class starts right after this: it must see the configuration already.
    env.configure(List.of());
  }

  @Override
  public void beforeEach(ExtensionContext context) {
    TestEnvironment env = environment(context);
    List<String> entries =
        AnnotationSupport.findAnnotation(context.getRequiredTestMethod(), TestConfig.class)
            .map(c -> List.of(c.value()))
            .orElse(List.of());
    boolean perClass =
        context.getTestInstanceLifecycle().orElse(TestInstance.Lifecycle.PER_METHOD)
            == TestInstance.Lifecycle.PER_CLASS;
    if (perClass) {
      if (!entries.isEmpty()) {
        throw new IllegalStateException(
            dev.deferred.testing.internal.TestingMessages.methodConfigPerClass(
                context.getRequiredTestMethod().toGenericString()));
      }
    } else {
      env.configure(entries);
    }
    env.resetQueues();
  }

  @Override
  public void afterAll(ExtensionContext context) {
    TestEnvironment env =
        context.getStore(NAMESPACE).remove(TestEnvironment.class, TestEnvironment.class);
    if (env != null) {
      env.close();
    }
  }

  private static TestEnvironment environment(ExtensionContext context) {
    TestEnvironment env =
        context.getStore(NAMESPACE).get(TestEnvironment.class, TestEnvironment.class);
    return env != null ? env : TestEnvironment.current();
  }

  private static void setIfAbsent(String key, String value) {
    if (System.getProperty(key) == null) {
      System.setProperty(key, value);
    }
  }
}
