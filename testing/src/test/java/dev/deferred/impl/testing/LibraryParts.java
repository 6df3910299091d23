package dev.deferred.impl.testing;

import dev.deferred.impl.Library;
import dev.deferred.impl.client.CloudTasksConnection;
import dev.deferred.impl.client.HandlerAddress;
import dev.deferred.impl.config.DeferredConfig;
import dev.deferred.impl.defer.DeferEngine;
import dev.deferred.impl.handler.TaskHandler;
import dev.deferred.impl.store.FailureStore;
import dev.deferred.impl.store.MarkerStore;
import dev.deferred.impl.store.PayloadStore;
import jakarta.enterprise.inject.spi.CDI;

/**
 * The library's parts in the running container, as its own beans get them ({@code @Library}
 * injection), for tests that are not beans or that must not add the library's classes as beans a
 * second time.
 */
public final class LibraryParts {

  private LibraryParts() {}

  public static DeferredConfig config() {
    return get(DeferredConfig.class);
  }

  public static PayloadStore payloadStore() {
    return get(PayloadStore.class);
  }

  public static FailureStore failureStore() {
    return get(FailureStore.class);
  }

  public static MarkerStore markerStore() {
    return get(MarkerStore.class);
  }

  /** The connection, opened on first use. */
  public static CloudTasksConnection connection() {
    return get(CloudTasksConnection.class);
  }

  public static TaskHandler handler() {
    return get(TaskHandler.class);
  }

  /** Where tasks are sent, as resolved now. */
  public static HandlerAddress address() {
    return get(HandlerAddress.class);
  }

  public static DeferEngine engine() {
    return get(DeferEngine.class);
  }

  private static <T> T get(Class<T> type) {
    return CDI.current().select(type, Library.LITERAL).get();
  }
}
