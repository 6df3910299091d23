package dev.deferred.testing.internal;

import dev.deferred.testing.TaskQueues;
import jakarta.enterprise.context.Dependent;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.spi.AfterBeanDiscovery;
import jakarta.enterprise.inject.spi.BeanManager;
import jakarta.enterprise.inject.spi.BeforeBeanDiscovery;
import jakarta.enterprise.inject.spi.Extension;

/**
 * Makes {@link TaskQueues} injectable in a Deferred test, into fields and test parameters, and
 * gives the library the test's environment ({@link TestHostEnvironment}) instead of the shell's.
 */
public class TestingCdiExtension implements Extension {

  void addHostEnvironment(@Observes BeforeBeanDiscovery event, BeanManager beans) {
    event.addAnnotatedType(
        beans.createAnnotatedType(TestHostEnvironment.class), TestHostEnvironment.class.getName());
  }

  void addTaskQueues(@Observes AfterBeanDiscovery event) {
    event
        .addBean()
        .beanClass(TaskQueues.class)
        .types(TaskQueues.class, Object.class)
        .scope(Dependent.class)
        .createWith(c -> TestEnvironment.current().queues());
  }
}
