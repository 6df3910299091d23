package dev.deferred.benchmarks;

import com.arjuna.ats.jta.cdi.TransactionExtension;
import com.google.cloud.tasks.v2.CloudTasksClient;
import com.google.cloud.tasks.v2.QueueName;
import dev.deferred.impl.DeferredExtension;
import dev.deferred.impl.Library;
import dev.deferred.impl.client.CloudTasksConnection;
import dev.deferred.impl.config.DeferredConfig;
import io.smallrye.config.inject.ConfigExtension;
import java.util.concurrent.atomic.AtomicInteger;
import org.jboss.weld.environment.se.Weld;
import org.jboss.weld.environment.se.WeldContainer;

/**
 * The library in a plain JVM, booted as its own tests boot it: Weld SE with Deferred's extension,
 * SmallRye Config, Narayana JTA and the embedded emulator (in process, over real gRPC). The {@code
 * default} queue is paused, so the figures measure the call site and not the dispatch; {@link
 * #purge()} empties it between iterations.
 */
final class LibraryContainer implements AutoCloseable {

  private static final AtomicInteger IDS = new AtomicInteger();

  private final WeldContainer container;
  private final CloudTasksClient client;
  private final QueueName queue;

  LibraryContainer(Class<?>... beans) {
    System.setProperty("ObjectStoreEnvironmentBean.objectStoreDir", "target/narayana-object-store");
    System.setProperty(
        "com.arjuna.ats.arjuna.objectstore.objectStoreDir", "target/narayana-object-store");
    // Never reached: the queue is paused. Set so that the library need not derive it from a
    // servlet context, which a plain JVM does not have.
    System.setProperty("deferred.handler.url", "http://127.0.0.1:9/_ah/queue/deferred");
    container =
        new Weld("deferred-benchmark-" + IDS.incrementAndGet())
            .disableDiscovery()
            .addExtension(new DeferredExtension())
            .addExtension(new ConfigExtension())
            .addExtension(new TransactionExtension())
            .beanClasses(beans)
            .initialize();
    client = part(CloudTasksConnection.class).client();
    DeferredConfig config = part(DeferredConfig.class);
    queue = QueueName.of(config.project(), config.location(), "default");
    client.pauseQueue(queue);
  }

  <T> T get(Class<T> type) {
    return container.select(type).get();
  }

  /** One of the library's own parts, as its beans inject them ({@code @Library}). */
  <T> T part(Class<T> type) {
    return container.select(type, Library.LITERAL).get();
  }

  CloudTasksClient client() {
    return client;
  }

  QueueName queue() {
    return queue;
  }

  /** Drops the tasks created so far, so that the paused queue does not grow without bound. */
  void purge() {
    client.purgeQueue(queue);
  }

  @Override
  public void close() {
    container.close();
  }
}
