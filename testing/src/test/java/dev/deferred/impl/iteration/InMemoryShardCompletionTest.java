package dev.deferred.impl.iteration;

import dev.deferred.impl.testing.DeferredTest;
import org.jboss.weld.junit5.auto.AddBeanClasses;

/** {@link ShardCompletionContract} on the in-memory marker store (embedded mode). */
@DeferredTest
@AddBeanClasses({TestPersistence.class, Visitor.class})
class InMemoryShardCompletionTest extends ShardCompletionContract {}
