package dev.deferred.impl.iteration;

import static org.assertj.core.api.Assertions.assertThat;

import dev.deferred.impl.store.DatastoreMarkerStore;
import dev.deferred.impl.testing.DeferredTest;
import dev.deferred.impl.testing.DeferredTestExtension;
import dev.deferred.impl.testing.LibraryParts;
import dev.deferred.impl.testsupport.DatastoreEmulator;
import dev.deferred.impl.testsupport.DatastoreEmulatorInstance;
import org.jboss.weld.junit5.auto.AddBeanClasses;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;

/**
 * {@link ShardCompletionContract} on the Datastore marker store, against the real Datastore
 * emulator: collisions are aborted Datastore transactions, retried.
 */
@DatastoreEmulator
@DeferredTest
@AddBeanClasses({TestPersistence.class, Visitor.class})
class DatastoreShardCompletionTest extends ShardCompletionContract {

  @BeforeAll
  static void useTheDatastoreEmulator(DatastoreEmulatorInstance emulator) {
    DeferredTestExtension.configure("deferred.datastore.emulator-host", emulator.hostPort());
    DeferredTestExtension.configure("deferred.datastore.project", emulator.projectId());
    DeferredTestExtension.configure("deferred.datastore.namespace", emulator.newNamespace());
  }

  @BeforeEach
  void theMarkerStoreIsDatastore() {
    assertThat(LibraryParts.markerStore()).isInstanceOf(DatastoreMarkerStore.class);
  }
}
