package dev.deferred.impl.defer;

import dev.deferred.DeferOptions;
import dev.deferred.DeferredTask;
import dev.deferred.DuplicateTaskException;
import dev.deferred.EnqueueException;
import dev.deferred.TaskEncodingException;
import dev.deferred.impl.client.HandlerAddress;
import dev.deferred.impl.client.TaskSender;
import dev.deferred.impl.client.TaskSpec;
import dev.deferred.impl.codec.DeferredInvocation;
import dev.deferred.impl.codec.Envelope;
import dev.deferred.impl.codec.PayloadCodec;
import dev.deferred.impl.codec.Signer;
import dev.deferred.impl.config.DeferredConfig;
import dev.deferred.impl.config.Messages;
import dev.deferred.impl.operations.TaskObserver;
import dev.deferred.impl.store.PayloadStore;
import dev.deferred.impl.transaction.TransactionSupport;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.function.Supplier;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The defer path after the call site: encode, sign, store if large, then enqueue now or after
 * commit. Thread-safe.
 */
public final class DeferEngine {
  private static final Logger LOG = Logger.getLogger(DeferEngine.class.getName());

  private final DeferredConfig config;
  private final PayloadCodec codec;
  private final Signer signer;
  private final PayloadStore store;
  private final Supplier<TaskSender> sender;
  private final TransactionSupport transactions;
  private final Clock clock;
  private final TaskObserver observer;

  public DeferEngine(
      DeferredConfig config,
      PayloadCodec codec,
      Signer signer,
      PayloadStore store,
      Supplier<TaskSender> sender,
      TransactionSupport transactions,
      Clock clock) {
    this(config, codec, signer, store, sender, transactions, clock, TaskObserver.NONE);
  }

  public DeferEngine(
      DeferredConfig config,
      PayloadCodec codec,
      Signer signer,
      PayloadStore store,
      Supplier<TaskSender> sender,
      TransactionSupport transactions,
      Clock clock,
      TaskObserver observer) {
    this.config = config;
    this.codec = codec;
    this.signer = signer;
    this.store = store;
    this.sender = sender;
    this.transactions = transactions;
    this.clock = clock;
    this.observer = observer;
  }

  /** Cloud Tasks refuses a schedule time more than 720 hours ahead. */
  static final Duration MAX_SCHEDULE_AHEAD = Duration.ofHours(720);

  /**
   * Defers a captured call.
   *
   * @throws TaskEncodingException, EnqueueException, IllegalArgumentException,
   *     IllegalStateException as documented on {@code Deferrer.defer}
   */
  public DeferredTask submit(DeferredInvocation call) {
    DeferOptions o = call.options();
    TransactionSupport.State tx = transactionState(o);
    boolean transactional = transactional(o, tx, call.describe());
    Instant now = clock.instant();
    checkSchedule(o, now, call.describe());
    // Encoded even when the transaction is doomed, so that a bad argument still fails here.
    return send(o, tx, transactional, codec.encode(call, now), call.describe());
  }

  /**
   * Defers an encoded payload again, as a new task: re-deferring a failed task. The payload must
   * have been verified by the caller; it is signed anew here, like any payload.
   *
   * @param payload an encoded call, as {@link PayloadCodec#encode} wrote it
   * @param o the options: queue, transactional, and the task options that do not travel in the
   *     payload
   * @param description the call, for messages
   * @throws EnqueueException, IllegalArgumentException, IllegalStateException as {@link #submit}
   */
  public DeferredTask resubmit(byte[] payload, DeferOptions o, String description) {
    TransactionSupport.State tx = transactionState(o);
    boolean transactional = transactional(o, tx, description);
    checkSchedule(o, clock.instant(), description);
    // Bound anew to its queue and expiry: the old envelope may name another queue or have expired.
    return send(o, tx, transactional, codec.rebind(payload, o, clock.instant()), description);
  }

  private TransactionSupport.State transactionState(DeferOptions o) {
    if (!config.queues().containsKey(o.queue())) {
      throw new IllegalArgumentException(
          Messages.queueNotConfigured(o.queue(), config.queues().keySet()));
    }
    return transactions.state();
  }

  /**
   * Whether the defer waits for the transaction. By default it does in an open or doomed
   * transaction; in a callback after a commit, the commit a transactional defer waits for has
   * happened, so it is accepted and enqueued at once.
   */
  private static boolean transactional(
      DeferOptions o, TransactionSupport.State tx, String description) {
    boolean open = tx == TransactionSupport.State.OPEN;
    boolean doomed = tx == TransactionSupport.State.DOOMED;
    boolean transactional = o.transactional().orElse(open || doomed);
    if (transactional && !(open || doomed || tx == TransactionSupport.State.COMMITTED)) {
      throw new IllegalStateException(Messages.transactionRequired(description));
    }
    return transactional;
  }

  /**
   * What Cloud Tasks would refuse after commit, refused here: an eta beyond its limit (a countdown
   * beyond it is refused by the options already).
   */
  private static void checkSchedule(DeferOptions o, Instant now, String description) {
    if (o.countdown().isEmpty()
        && o.eta().isPresent()
        && o.eta().get().isAfter(now.plus(MAX_SCHEDULE_AHEAD))) {
      throw new IllegalArgumentException(
          Messages.scheduleTooFar(description, "eta " + o.eta().get()));
    }
  }

  private DeferredTask send(
      DeferOptions o,
      TransactionSupport.State tx,
      boolean transactional,
      byte[] payload,
      String description) {
    o.handlerUrl().ifPresent(url -> HandlerAddress.requireSecure(config, url));
    if (transactional && tx == TransactionSupport.State.DOOMED) {
      // A task that will never be enqueued: nothing stored, nothing enqueued, reported DROPPED.
      LOG.fine(() -> Messages.deferInDoomedTransaction(description));
      DeferredTaskImpl task = DeferredTaskImpl.pending(o.queue());
      task.markDropped();
      return task;
    }
    byte[] body = payload;
    String storedKey = null;
    if (payload.length > config.smallTaskMaxBytes()) {
      if (o.isSmallTask()) {
        String message =
            Messages.payloadTooLarge(description, payload.length, config.smallTaskMaxBytes());
        throw new TaskEncodingException(message, description, -1, null, message, null);
      }
      storedKey = store(o, payload, description);
      body = Envelope.storedReference(storedKey, payload);
    }
    TaskSpec spec =
        new TaskSpec(
            o.queue(),
            o.name().orElse(null),
            body,
            signer.sign(body),
            withTrace(o.headers(), observer.deferring(o.queue(), description)),
            o.eta().orElse(null),
            o.countdown().orElse(null),
            o.service().orElse(null),
            o.version().orElse(null),
            o.instance().orElse(null),
            o.handlerUrl().orElse(null),
            o.dispatchDeadline().orElse(null),
            o.isFailOnDuplicate(),
            description);
    if (transactional && tx == TransactionSupport.State.OPEN) {
      return afterCommit(spec, storedKey);
    }
    return now(spec, storedKey);
  }

  /** Stores a large payload; a store that fails leaves nothing behind and nothing enqueued. */
  private String store(DeferOptions o, byte[] payload, String description) {
    try {
      return store.put(payload);
    } catch (RuntimeException e) {
      throw new EnqueueException(
          o.queue(),
          o.name().orElse(null),
          Messages.payloadStoreFailed(
              description, payload.length, config.smallTaskMaxBytes(), e.toString()),
          e);
    }
  }

  /** The trace headers go under the caller's own, which win on a clash. */
  private static Map<String, String> withTrace(Map<String, String> own, Map<String, String> trace) {
    if (trace.isEmpty()) {
      return own;
    }
    Map<String, String> headers = new HashMap<>(trace);
    headers.putAll(own);
    return headers;
  }

  private DeferredTask now(TaskSpec spec, String storedKey) {
    try {
      DeferredTask task = DeferredTaskImpl.enqueued(spec.queue(), sender.get().create(spec));
      observer.enqueued(spec.queue(), spec.method());
      return task;
    } catch (DuplicateTaskException e) {
      deleteQuietly(storedKey);
      if (spec.failOnDuplicate()) {
        throw e;
      }
      return DeferredTaskImpl.duplicate(spec.queue(), spec.name());
    } catch (EnqueueException e) {
      deleteQuietly(storedKey);
      observer.enqueueFailed(spec.queue(), spec.method(), e);
      throw e;
    } catch (RuntimeException e) {
      // e.g. no connection (shutting down, or it could not be opened): still not enqueued.
      deleteQuietly(storedKey);
      observer.enqueueFailed(spec.queue(), spec.method(), e);
      throw new EnqueueException(
          spec.queue(),
          spec.name(),
          Messages.enqueueFailed(spec.queue(), spec.name(), e.toString()),
          e);
    }
  }

  private DeferredTask afterCommit(TaskSpec spec, String storedKey) {
    DeferredTaskImpl task = DeferredTaskImpl.pending(spec.queue());
    try {
      transactions.afterCompletion(
          new TransactionSupport.Outcome() {
            @Override
            public void committed() {
              enqueueAfterCommit(spec, storedKey, task);
            }

            @Override
            public void rolledBack() {
              deleteQuietly(storedKey);
              task.markDropped();
            }

            @Override
            public void unknown(int status) {
              // Some resources may have committed: the stored payload stays for the re-creation.
              String message =
                  Messages.transactionOutcomeUnknown(
                      spec.queue(), spec.name(), status, spec.recreation());
              LOG.severe(message);
              task.markFailed(new EnqueueException(spec.queue(), spec.name(), message, null));
            }
          });
    } catch (IllegalStateException e) {
      deleteQuietly(storedKey);
      throw new IllegalStateException(
          Messages.transactionClosed(spec.method(), String.valueOf(e.getMessage())), e);
    }
    return task;
  }

  private void enqueueAfterCommit(TaskSpec spec, String storedKey, DeferredTaskImpl task) {
    try {
      task.markEnqueued(sender.get().create(spec));
      observer.enqueued(spec.queue(), spec.method());
    } catch (DuplicateTaskException e) {
      deleteQuietly(storedKey);
      LOG.warning(Messages.duplicateAfterCommit(spec.queue(), spec.name()));
      task.markDuplicate(spec.name());
    } catch (RuntimeException e) {
      // Whatever failed (Cloud Tasks, the connection, a shutdown), the commit stands and the task
      // does not exist: end its state and log it for re-creation. The stored payload stays, since
      // the logged task refers to it.
      LOG.log(
          Level.SEVERE,
          Messages.enqueueAfterCommitFailed(spec.queue(), spec.name(), spec.recreation()),
          e);
      observer.enqueueFailed(spec.queue(), spec.method(), e);
      task.markFailed(
          e instanceof EnqueueException ee
              ? ee
              : new EnqueueException(
                  spec.queue(),
                  spec.name(),
                  Messages.enqueueFailed(spec.queue(), spec.name(), e.toString()),
                  e));
    }
  }

  private void deleteQuietly(String storedKey) {
    if (storedKey == null) {
      return;
    }
    try {
      store.delete(storedKey);
    } catch (RuntimeException e) {
      LOG.log(Level.FINE, "Could not delete unused stored payload " + storedKey, e);
    }
  }
}
