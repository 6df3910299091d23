package dev.deferred.impl.iteration;

import dev.deferred.impl.testing.DeferredTest;
import java.util.List;
import org.jboss.weld.junit5.auto.AddBeanClasses;

/**
 * {@link PersistenceUnitContract} with {@code deferred.iteration.persistence-unit=archive}: the
 * unit of iterations whose options name none.
 */
@DeferredTest(config = "deferred.iteration.persistence-unit=archive")
@AddBeanClasses({TestPersistence.class, ArchivePersistence.class, Visitor.class})
class ConfiguredPersistenceUnitTest extends PersistenceUnitContract {

  @Override
  List<Long> rowsWithoutAUnitInTheOptions() {
    return List.of(101L, 102L, 103L);
  }
}
