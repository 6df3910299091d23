package dev.deferred.impl.handler;

import static java.util.concurrent.TimeUnit.SECONDS;
import static org.assertj.core.api.Assertions.assertThat;

import com.google.cloud.datastore.Blob;
import com.google.cloud.datastore.BlobValue;
import com.google.cloud.datastore.Entity;
import com.google.cloud.datastore.LongValue;
import com.google.cloud.datastore.Query;
import com.google.cloud.tasks.v2.TaskName;
import dev.deferred.DeferOptions;
import dev.deferred.DeferredTask;
import dev.deferred.Deferrer;
import dev.deferred.impl.config.Messages;
import dev.deferred.impl.store.DatastorePayloadStore;
import dev.deferred.impl.testing.DeferredTest;
import dev.deferred.impl.testing.DeferredTestExtension;
import dev.deferred.impl.testing.EmulatorDatastorePayloads;
import dev.deferred.impl.testing.LibraryParts;
import dev.deferred.impl.testsupport.DatastoreEmulator;
import dev.deferred.impl.testsupport.DatastoreEmulatorInstance;
import dev.deferred.testing.internal.TaskHttpServer;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.jboss.weld.junit5.auto.AddBeanClasses;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Whoever can write the Datastore cannot change what a task runs: the signed body carries the
 * SHA-256 of the stored payload, so a pending task whose stored entity was rewritten (data, size
 * and SHA-256 all consistent) is refused, recorded, and runs nothing.
 */
@DatastoreEmulator
@DeferredTest(config = {"deferred.small-task.max-bytes=1000"})
@AddBeanClasses({Outcomes.class, EmulatorDatastorePayloads.class})
class StoredPayloadTamperingTest {
  @Inject Deferrer deferrer;

  @BeforeAll
  static void connect(DatastoreEmulatorInstance emulator) {
    EmulatorDatastorePayloads.connect(emulator);
  }

  @AfterAll
  static void close() throws Exception {
    EmulatorDatastorePayloads.close();
  }

  @Test
  void aRewrittenStoredPayloadIsRefusedRecordedAndNotRun() throws Exception {
    Outcomes.ATTEMPTS.clear();
    String padding = "x".repeat(2000);
    DeferredTask task =
        deferrer.defer(
            Outcomes.class,
            o -> o.succeed(padding + "real"),
            DeferOptions.defaults().countdown(Duration.ofHours(1)));

    List<Entity> heads = new ArrayList<>();
    EmulatorDatastorePayloads.datastore()
        .run(Query.newEntityQueryBuilder().setKind(DatastorePayloadStore.KIND).build())
        .forEachRemaining(heads::add);
    assertThat(heads).hasSize(1);
    Entity head = heads.get(0);
    String original = new String(head.getBlob("data").toByteArray(), StandardCharsets.UTF_8);
    assertThat(original).contains(padding + "real");
    byte[] evil = original.replace(padding + "real", "evil").getBytes(StandardCharsets.UTF_8);
    EmulatorDatastorePayloads.datastore()
        .put(
            Entity.newBuilder(head)
                .set(
                    "data",
                    BlobValue.newBuilder(Blob.copyFrom(evil)).setExcludeFromIndexes(true).build())
                .set("size", LongValue.newBuilder(evil.length).setExcludeFromIndexes(true).build())
                .set(
                    "sha256",
                    BlobValue.newBuilder(
                            Blob.copyFrom(MessageDigest.getInstance("SHA-256").digest(evil)))
                        .setExcludeFromIndexes(true)
                        .build())
                .build());
    assertThat(LibraryParts.payloadStore().get(head.getKey().getName()))
        .hasValueSatisfying(p -> assertThat(p).isEqualTo(evil));

    DeferredTestExtension.server().exchanges().clear();
    LibraryParts.connection()
        .client()
        .runTask(
            TaskName.of(
                LibraryParts.config().project(),
                LibraryParts.config().location(),
                task.queue(),
                task.name().orElseThrow()));
    TaskHttpServer.Exchange delivery = DeferredTestExtension.server().exchanges().poll(30, SECONDS);
    assertThat(delivery).isNotNull();
    assertThat(delivery.status()).isEqualTo(200);
    assertThat(Outcomes.ATTEMPTS).isEmpty();
    assertThat(LibraryParts.failureStore().recent(10))
        .singleElement()
        .satisfies(
            f ->
                assertThat(f.message())
                    .isEqualTo(
                        Messages.storedPayloadChanged(
                            "default/" + task.name().orElseThrow(), head.getKey().getName())));
  }
}
