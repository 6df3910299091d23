package dev.deferred.impl.handler;

import static java.util.concurrent.TimeUnit.SECONDS;
import static org.assertj.core.api.Assertions.assertThat;

import com.google.cloud.datastore.Datastore;
import com.google.cloud.datastore.Query;
import com.google.cloud.tasks.v2.CloudTasksClient;
import com.google.cloud.tasks.v2.QueueName;
import com.google.cloud.tasks.v2.Task;
import dev.deferred.DeferredTask;
import dev.deferred.Deferrer;
import dev.deferred.impl.store.DatastorePayloadStore;
import dev.deferred.impl.testing.DeferredTest;
import dev.deferred.impl.testing.DeferredTestExtension;
import dev.deferred.impl.testing.LibraryParts;
import dev.deferred.impl.testing.LogCapture;
import dev.deferred.impl.testsupport.DatastoreEmulatorExtension;
import jakarta.inject.Inject;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.StreamSupport;
import org.jboss.weld.junit5.auto.AddBeanClasses;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Fault suite, payload store: the Datastore emulator holding the payloads of queued large tasks
 * stops while they are being delivered, and comes back on the same port with the same data. While
 * it is down every delivery is answered 503 (payload store unavailable) and nothing is
 * acknowledged, recorded as failed or deleted; after it is back every task runs exactly once, and
 * its stored payload is deleted.
 */
@DeferredTest(config = {"deferred.small-task.max-bytes=2000"})
@AddBeanClasses(LargeTasks.class)
class DatastoreRestartTest {

  static final int TASKS = 20;
  static final Pattern UNAVAILABLE =
      Pattern.compile("^DEFERRED-0411: Task (\\S+) could not read its stored payload");
  static DatastoreEmulatorExtension.Restartable datastore;
  static String namespace;

  @Inject Deferrer deferrer;

  @BeforeAll
  static void ownDatastore() {
    datastore = new DatastoreEmulatorExtension.Restartable();
    namespace = datastore.instance().newNamespace();
    DeferredTestExtension.configure(
        "deferred.datastore.emulator-host", datastore.instance().hostPort());
    DeferredTestExtension.configure("deferred.datastore.project", datastore.instance().projectId());
    DeferredTestExtension.configure("deferred.datastore.namespace", namespace);
  }

  @AfterAll
  static void stopDatastore() {
    datastore.close();
  }

  @Test
  void queuedLargeTasksWaitForTheDatastoreAndRunOnceWhenItIsBack() throws Exception {
    LargeTasks.reset();
    CloudTasksClient client = LibraryParts.connection().client();
    String queue =
        QueueName.of(LibraryParts.config().project(), LibraryParts.config().location(), "default")
            .toString();
    String large = "p".repeat(5000);

    // Held in a paused queue, so that every delivery happens while the Datastore is down.
    client.pauseQueue(queue);
    for (int i = 1; i <= TASKS; i++) {
      int id = i;
      DeferredTask task = deferrer.defer(LargeTasks.class, t -> t.take(id, large));
      assertThat(task.state()).isEqualTo(DeferredTask.State.ENQUEUED);
    }
    assertThat(storedPayloads()).isEqualTo(TASKS);

    Set<String> refused = ConcurrentHashMap.newKeySet();
    AtomicInteger answers503 = new AtomicInteger();
    long down;
    try (LogCapture log = LogCapture.of(TaskHandler.class)) {
      datastore.stop();
      down = System.nanoTime();
      client.resumeQueue(queue);
      // Every task is delivered at least once while the store is down, and answered 503.
      long deadline = System.nanoTime() + SECONDS.toNanos(300);
      while (refused.size() < TASKS) {
        assertThat(System.nanoTime())
            .as("every task delivered while the Datastore is down")
            .isLessThan(deadline);
        assertThat(LargeTasks.RAN.poll(500, TimeUnit.MILLISECONDS)).as("nothing runs").isNull();
        answers503.set(0);
        for (String m : log.messages()) {
          Matcher matcher = UNAVAILABLE.matcher(m);
          if (matcher.find()) {
            refused.add(matcher.group(1));
            answers503.incrementAndGet();
          }
        }
      }
      // Cloud Tasks still holds every task, dispatched at least once: none was acknowledged.
      List<Task> queued = tasks(client, queue);
      assertThat(queued).hasSize(TASKS).allMatch(t -> t.getDispatchCount() >= 1);
    }
    long downMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - down);

    long restart = System.nanoTime();
    datastore.start();
    long restartMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - restart);
    long back = System.nanoTime();
    for (int i = 0; i < TASKS; i++) {
      assertThat(LargeTasks.RAN.poll(180, SECONDS)).as("run %d of %d", i + 1, TASKS).isNotNull();
    }
    long finishMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - back);
    DeferredTestExtension.awaitIdle();

    assertThat(LargeTasks.RUNS).hasSize(TASKS);
    assertThat(LargeTasks.RUNS.values()).allMatch(count -> count.get() == 1);
    assertThat(tasks(client, queue)).isEmpty();
    assertThat(LibraryParts.failureStore().recent(10)).isEmpty();
    assertThat(storedPayloads()).as("stored payloads left").isZero();
    System.out.printf(
        "Fault suite, Datastore restarted under delivery: %d large tasks queued; Datastore down"
            + " %d ms, %d deliveries answered 503 (every task at least once), 0 ran, 0"
            + " acknowledged, 0 failure records; restart %d ms; all %d ran within %d ms after it,"
            + " each exactly once; 0 stored payloads left%n",
        TASKS, downMillis, answers503.get(), restartMillis, TASKS, finishMillis);
  }

  private static List<Task> tasks(CloudTasksClient client, String queue) {
    return StreamSupport.stream(client.listTasks(queue).iterateAll().spliterator(), false).toList();
  }

  private static int storedPayloads() {
    Datastore store = datastore.instance().datastore(namespace);
    Query<com.google.cloud.datastore.Key> heads =
        Query.newKeyQueryBuilder().setKind(DatastorePayloadStore.KIND).build();
    int count = 0;
    for (var it = store.run(heads); it.hasNext(); it.next()) {
      count++;
    }
    return count;
  }
}
