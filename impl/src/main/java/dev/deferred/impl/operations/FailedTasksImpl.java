package dev.deferred.impl.operations;

import dev.deferred.DeferOptions;
import dev.deferred.DeferredTask;
import dev.deferred.FailedTask;
import dev.deferred.FailedTaskFilter;
import dev.deferred.FailedTaskPage;
import dev.deferred.FailedTasks;
import dev.deferred.impl.Library;
import dev.deferred.impl.defer.DeferEngine;
import dev.deferred.impl.store.FailurePage;
import dev.deferred.impl.store.FailureStore;
import dev.deferred.impl.store.StoreException;
import dev.deferred.impl.store.TaskFailure;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Clock;
import java.util.HashSet;
import java.util.NoSuchElementException;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.logging.Logger;

/**
 * {@link FailedTasks} over the application's failure store. Re-deferring sends a record's payload
 * only after its signature verified, through the defer engine, which signs it anew.
 */
@ApplicationScoped
public class FailedTasksImpl implements FailedTasks {
  private static final Logger LOG = Logger.getLogger(FailedTasksImpl.class.getName());

  /** The largest page {@link #list} serves. */
  static final int MAX_PAGE_SIZE = 1000;

  @Inject @Library FailureStore failures;
  @Inject @Library DeferEngine engine;

  private final Clock clock = Clock.systemUTC();

  private FailureStore store() {
    return failures;
  }

  private boolean verified(TaskFailure f) {
    return store() instanceof SigningFailureStore signing && signing.verified(f);
  }

  @Override
  public FailedTaskPage list(FailedTaskFilter filter, int pageSize, String cursor) {
    Objects.requireNonNull(filter, "filter");
    if (pageSize < 1 || pageSize > MAX_PAGE_SIZE) {
      throw new IllegalArgumentException(OperationsMessages.pageSize(pageSize));
    }
    FailurePage page;
    try {
      page = store().page(pageSize, cursor, f -> FailureViews.matches(filter, f));
    } catch (StoreException e) {
      throw new IllegalStateException(
          OperationsMessages.storeUnavailable("list", e.getMessage()), e);
    }
    return new FailedTaskPage(
        page.failures().stream().map(f -> FailureViews.view(f, verified(f))).toList(),
        page.nextCursor());
  }

  @Override
  public Optional<FailedTask> find(String id) {
    return read(id).map(f -> FailureViews.view(f, verified(f)));
  }

  private Optional<TaskFailure> read(String id) {
    Objects.requireNonNull(id, "id");
    try {
      return store().find(id);
    } catch (StoreException e) {
      throw new IllegalStateException(
          OperationsMessages.storeUnavailable("read", e.getMessage()), e);
    }
  }

  @Override
  public DeferredTask redefer(String id) {
    TaskFailure f =
        read(id)
            .orElseThrow(() -> new NoSuchElementException(OperationsMessages.noSuchFailure(id)));
    String what =
        (f.method() == null ? "an unreadable call" : f.method()) + " on queue " + f.queue();
    if (f.payload() == null) {
      throw new IllegalStateException(
          OperationsMessages.notRedeferrable(
              id, what, OperationsMessages.noPayload(f.payloadKey())));
    }
    if (f.payloadSignature() == null) {
      throw new IllegalStateException(
          OperationsMessages.notRedeferrable(id, what, OperationsMessages.unsigned()));
    }
    if (!verified(f)) {
      throw new IllegalStateException(
          OperationsMessages.notRedeferrable(id, what, OperationsMessages.badSignature()));
    }
    byte[] payload;
    DeferOptions options;
    try {
      payload = FailureViews.renewed(f.payload(), clock.instant());
      // The same queue and delivery as the original; the name is new, the schedule is now.
      options = FailureViews.deliveryOptions(f.payload(), DeferOptions.queue(f.queue()));
    } catch (FailureViews.UnreadablePayload e) {
      throw new IllegalStateException(
          OperationsMessages.notRedeferrable(
              id, what, OperationsMessages.unreadable(e.getMessage())));
    }
    DeferredTask task =
        engine.resubmit(payload, options, f.method() == null ? "failed task " + id : f.method());
    task.completion()
        .thenAccept(
            t ->
                t.name()
                    .ifPresent(
                        name -> {
                          try {
                            store().markRedeferred(id, name, clock.instant());
                          } catch (RuntimeException e) {
                            LOG.warning(OperationsMessages.markFailed(id, name, e.toString()));
                          }
                        }));
    return task;
  }

  @Override
  public boolean delete(String id) {
    Optional<TaskFailure> existing = read(id);
    if (existing.isEmpty()) {
      return false;
    }
    try {
      store().delete(id);
    } catch (StoreException e) {
      throw new IllegalStateException(
          OperationsMessages.storeUnavailable("delete", e.getMessage()), e);
    }
    return true;
  }

  @Override
  public int deleteAll(FailedTaskFilter filter) {
    Objects.requireNonNull(filter, "filter");
    Set<String> deleted = new HashSet<>();
    try {
      while (true) {
        // Start from the newest each round: what was deleted is gone, so no cursor is needed, and
        // a round that finds nothing new ends the loop even if a store is slow to forget.
        FailurePage page = store().page(MAX_PAGE_SIZE, null, f -> FailureViews.matches(filter, f));
        int before = deleted.size();
        for (TaskFailure f : page.failures()) {
          if (deleted.add(f.id())) {
            store().delete(f.id());
          }
        }
        if (deleted.size() == before) {
          return deleted.size();
        }
      }
    } catch (StoreException e) {
      throw new IllegalStateException(
          OperationsMessages.storeUnavailable("delete", e.getMessage()), e);
    }
  }
}
