package dev.deferred.impl.iteration;

import dev.deferred.DeferredCall;
import dev.deferred.Iteration;
import dev.deferred.IterationOptions;
import dev.deferred.IterationProgress;
import dev.deferred.IterationQuery;
import dev.deferred.IterationService;
import dev.deferred.RowCallback;
import dev.deferred.impl.store.StoreException;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * {@link IterationService}: checks the arguments and hands the work to the {@link IterationEngine}.
 */
@ApplicationScoped
public class IterationServiceImpl implements IterationService {

  @Inject IterationEngine engine;

  @Override
  public <E, T> Iteration iterate(
      IterationQuery<E> query,
      Class<T> beanType,
      RowCallback<T, E> callback,
      DeferredCall<T> finalize,
      IterationOptions options) {
    Objects.requireNonNull(query, "query");
    Objects.requireNonNull(beanType, "beanType");
    Objects.requireNonNull(callback, "callback");
    Objects.requireNonNull(options, "options");
    return engine.start(query, beanType, callback, finalize, options);
  }

  @Override
  public Optional<IterationProgress> progress(String iterationId) {
    Objects.requireNonNull(iterationId, "iterationId");
    return engine.progress(iterationId);
  }

  /** The largest list {@link #recent} serves. */
  static final int MAX_RECENT = 1000;

  @Override
  public List<IterationProgress> recent(int limit) {
    if (limit < 1 || limit > MAX_RECENT) {
      throw new IllegalArgumentException(IterationMessages.recentLimit(limit, MAX_RECENT));
    }
    try {
      return engine.recent(limit);
    } catch (StoreException e) {
      throw new IllegalStateException(IterationMessages.markersUnavailable(e.getMessage()), e);
    }
  }

  @Override
  public boolean deleteMarker(String iterationId) {
    Objects.requireNonNull(iterationId, "iterationId");
    return engine.deleteMarker(iterationId);
  }
}
