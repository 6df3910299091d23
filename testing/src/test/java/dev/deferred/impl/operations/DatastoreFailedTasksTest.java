package dev.deferred.impl.operations;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.cloud.datastore.Blob;
import com.google.cloud.datastore.Datastore;
import com.google.cloud.datastore.Entity;
import com.google.cloud.datastore.Key;
import dev.deferred.FailedTask;
import dev.deferred.FailedTaskFilter;
import dev.deferred.impl.store.DatastoreFailureStore;
import dev.deferred.impl.store.DatastoreSettings;
import dev.deferred.impl.testing.DeferredTest;
import dev.deferred.impl.testing.DeferredTestExtension;
import dev.deferred.impl.testsupport.DatastoreEmulator;
import dev.deferred.impl.testsupport.DatastoreEmulatorInstance;
import java.nio.charset.StandardCharsets;
import org.jboss.weld.junit5.auto.AddBeanClasses;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The failed-task API over the Datastore failure store (the real Datastore emulator), which is what
 * emulator and cloud mode use; here the store is the one place a record can be altered.
 */
@DatastoreEmulator
@DeferredTest(config = {FailedTasksScenarios.CONFIG_REPORTS, FailedTasksScenarios.CONFIG_AUDIENCE})
@AddBeanClasses({Ledger.class, Auditor.class})
class DatastoreFailedTasksTest extends FailedTasksScenarios {

  private static DatastoreEmulatorInstance emulator;
  private static String namespace;

  @BeforeAll
  static void useDatastore(DatastoreEmulatorInstance instance) {
    emulator = instance;
    namespace = instance.newNamespace();
    DeferredTestExtension.configure(DatastoreSettings.EMULATOR_HOST, instance.hostPort());
    DeferredTestExtension.configure(DatastoreSettings.PROJECT, instance.projectId());
    DeferredTestExtension.configure(DatastoreSettings.NAMESPACE, namespace);
  }

  @Test
  void failuresAreRecordedInDatastore() {
    deferrer.defer(Ledger.class, l -> l.post("kept", 1));
    DeferredTestExtension.awaitIdle();
    FailedTask task = failedTasks.list(FailedTaskFilter.all(), 10).tasks().get(0);
    Datastore datastore = emulator.datastore(namespace);
    Key key =
        datastore
            .newKeyFactory()
            .setKind(DatastoreFailureStore.KIND)
            .newKey(Long.parseLong(task.id()));
    assertThat(datastore.get(key)).isNotNull();
  }

  @Test
  void aRecordAlteredInTheStoreIsNeverSentAgain() {
    deferrer.defer(Ledger.class, l -> l.post("acme", 100));
    DeferredTestExtension.awaitIdle();
    FailedTask task = failedTasks.list(FailedTaskFilter.all(), 10).tasks().get(0);
    assertThat(task.redeferrable()).isTrue();

    Datastore datastore = emulator.datastore(namespace);
    Key key =
        datastore
            .newKeyFactory()
            .setKind(DatastoreFailureStore.KIND)
            .newKey(Long.parseLong(task.id()));
    Entity entity = datastore.get(key);
    String altered =
        new String(entity.getBlob("payload").toByteArray(), StandardCharsets.UTF_8)
            .replace("\"acme\"", "\"mallory\"");
    datastore.put(
        Entity.newBuilder(entity)
            .set("payload", Blob.copyFrom(altered.getBytes(StandardCharsets.UTF_8)))
            .build());

    FailedTask read = failedTasks.find(task.id()).orElseThrow();
    assertThat(read.arguments()).isEmpty();
    assertThat(read.redeferrable()).isFalse();
    Ledger.healed = true;
    assertThatThrownBy(() -> failedTasks.redefer(task.id()))
        .isInstanceOf(IllegalStateException.class)
        .hasMessage(
            "DEFERRED-7502: failed task "
                + task.id()
                + " (Ledger.post(String, long) on queue default) cannot be re-deferred: the"
                + " signature of its recorded payload does not verify with deferred.signing.keys"
                + " (the record was changed in the store, or signed with a key no longer listed);"
                + " nothing was sent");
    assertThat(Ledger.RUNS).isEmpty();
  }
}
