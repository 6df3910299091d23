package dev.deferred.impl.iteration;

import dev.deferred.impl.testing.DeferredTest;
import java.util.List;
import org.jboss.weld.junit5.auto.AddBeanClasses;

/** {@link PersistenceUnitContract} with no unit configured: the default one is iterated. */
@DeferredTest
@AddBeanClasses({TestPersistence.class, ArchivePersistence.class, Visitor.class})
class PersistenceUnitTest extends PersistenceUnitContract {

  @Override
  List<Long> rowsWithoutAUnitInTheOptions() {
    return List.of(1L, 2L);
  }
}
