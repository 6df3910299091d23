package dev.deferred.impl.operations;

import dev.deferred.impl.codec.Signer;
import dev.deferred.impl.store.FailurePage;
import dev.deferred.impl.store.FailureStore;
import dev.deferred.impl.store.TaskFailure;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.function.BiFunction;
import java.util.function.Predicate;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The failure store the task handler writes to, seen through what operators need: each recorded
 * failure gets the signature of its payload (so that re-deferring it later sends only what the
 * handler itself recorded) and the time of its first attempt, asked of Cloud Tasks while the task
 * still exists there.
 */
public final class SigningFailureStore implements FailureStore {
  private static final Logger LOG = Logger.getLogger(SigningFailureStore.class.getName());

  private final FailureStore delegate;
  private final Signer signer;
  private final BiFunction<String, String, Optional<Instant>> firstAttempt;

  /**
   * A store.
   *
   * @param delegate where failures are kept
   * @param signer the application's payload signer
   * @param firstAttempt looks up when a task's first attempt was dispatched, by queue and task
   *     name; empty if unknown. Failures of the lookup are logged and ignored.
   */
  public SigningFailureStore(
      FailureStore delegate,
      Signer signer,
      BiFunction<String, String, Optional<Instant>> firstAttempt) {
    this.delegate = delegate;
    this.signer = signer;
    this.firstAttempt = firstAttempt;
  }

  /** The store that keeps the failures, for saying where they are. */
  public static FailureStore unwrap(FailureStore store) {
    return store instanceof SigningFailureStore signing ? signing.delegate : store;
  }

  @Override
  public TaskFailure record(TaskFailure failure) {
    byte[] payload = failure.payload();
    Instant first = null;
    if (failure.taskName() != null) {
      try {
        first = firstAttempt.apply(failure.queue(), failure.taskName()).orElse(null);
      } catch (RuntimeException e) {
        LOG.log(Level.FINE, "First attempt of " + failure.taskName() + " unknown", e);
      }
    }
    return delegate.record(
        failure.withAttemptAndSignature(first, payload == null ? null : signer.sign(payload)));
  }

  /** Whether the failure's payload is the one recorded with it, signed by this application. */
  public boolean verified(TaskFailure failure) {
    byte[] payload = failure.payload();
    return payload != null && signer.verify(payload, failure.payloadSignature());
  }

  @Override
  public List<TaskFailure> recent(int limit) {
    return delegate.recent(limit);
  }

  @Override
  public FailurePage page(int limit, String cursor) {
    return delegate.page(limit, cursor);
  }

  @Override
  public FailurePage page(int limit, String cursor, Predicate<TaskFailure> filter) {
    return delegate.page(limit, cursor, filter);
  }

  @Override
  public Optional<TaskFailure> markRedeferred(String id, String taskName, Instant at) {
    return delegate.markRedeferred(id, taskName, at);
  }

  @Override
  public Optional<TaskFailure> find(String id) {
    return delegate.find(id);
  }

  @Override
  public void delete(String id) {
    delegate.delete(id);
  }
}
