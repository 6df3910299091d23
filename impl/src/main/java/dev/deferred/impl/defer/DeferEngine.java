package dev.deferred.impl.defer;

import dev.deferred.DeferOptions;
import dev.deferred.DeferredTask;
import dev.deferred.DuplicateTaskException;
import dev.deferred.EnqueueException;
import dev.deferred.TaskEncodingException;
import dev.deferred.impl.client.TaskSender;
import dev.deferred.impl.client.TaskSpec;
import dev.deferred.impl.codec.DeferredInvocation;
import dev.deferred.impl.codec.PayloadCodec;
import dev.deferred.impl.codec.Signer;
import dev.deferred.impl.config.DeferredConfig;
import dev.deferred.impl.config.Messages;
import dev.deferred.impl.store.PayloadStore;
import dev.deferred.impl.transaction.TransactionSupport;
import java.time.Clock;
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

  public DeferEngine(
      DeferredConfig config,
      PayloadCodec codec,
      Signer signer,
      PayloadStore store,
      Supplier<TaskSender> sender,
      TransactionSupport transactions,
      Clock clock) {
    this.config = config;
    this.codec = codec;
    this.signer = signer;
    this.store = store;
    this.sender = sender;
    this.transactions = transactions;
    this.clock = clock;
  }

  /**
   * Defers a captured call.
   *
   * @throws TaskEncodingException, EnqueueException, IllegalArgumentException,
   *     IllegalStateException as documented on {@code Deferrer.defer}
   */
  public DeferredTask submit(DeferredInvocation call) {
    DeferOptions o = call.options();
    boolean transactional = transactional(o, call.describe());
    return send(o, transactional, codec.encode(call, clock.instant()), call.describe());
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
    boolean transactional = transactional(o, description);
    return send(o, transactional, payload, description);
  }

  private boolean transactional(DeferOptions o, String description) {
    if (!config.queues().containsKey(o.queue())) {
      throw new IllegalArgumentException(
          Messages.queueNotConfigured(o.queue(), config.queues().keySet()));
    }
    boolean active = transactions.isActive();
    boolean transactional = o.transactional().orElse(active);
    if (transactional && !active) {
      throw new IllegalStateException(Messages.transactionRequired(description));
    }
    return transactional;
  }

  private DeferredTask send(
      DeferOptions o, boolean transactional, byte[] payload, String description) {
    byte[] body = payload;
    String storedKey = null;
    if (payload.length > config.smallTaskMaxBytes()) {
      if (o.isSmallTask()) {
        String message =
            Messages.payloadTooLarge(description, payload.length, config.smallTaskMaxBytes());
        throw new TaskEncodingException(message, description, -1, null, message, null);
      }
      storedKey = store.put(payload);
      body = PayloadCodec.storedReference(storedKey);
    }
    TaskSpec spec =
        new TaskSpec(
            o.queue(),
            o.name().orElse(null),
            body,
            signer.sign(body),
            o.headers(),
            o.eta().orElse(null),
            o.countdown().orElse(null),
            o.service().orElse(null),
            o.version().orElse(null),
            o.instance().orElse(null),
            o.handlerUrl().orElse(null),
            o.dispatchDeadline().orElse(null),
            o.isFailOnDuplicate(),
            description);
    if (transactional) {
      return afterCommit(spec, storedKey);
    }
    return now(spec, storedKey);
  }

  private DeferredTask now(TaskSpec spec, String storedKey) {
    try {
      return DeferredTaskImpl.enqueued(spec.queue(), sender.get().create(spec));
    } catch (DuplicateTaskException e) {
      deleteQuietly(storedKey);
      if (spec.failOnDuplicate()) {
        throw e;
      }
      return DeferredTaskImpl.duplicate(spec.queue(), spec.name());
    } catch (EnqueueException e) {
      deleteQuietly(storedKey);
      throw e;
    }
  }

  private DeferredTask afterCommit(TaskSpec spec, String storedKey) {
    DeferredTaskImpl task = DeferredTaskImpl.pending(spec.queue());
    transactions.afterCompletion(
        () -> {
          try {
            task.markEnqueued(sender.get().create(spec));
          } catch (DuplicateTaskException e) {
            deleteQuietly(storedKey);
            LOG.warning(Messages.duplicateAfterCommit(spec.queue(), spec.name()));
            task.markDuplicate(spec.name());
          } catch (EnqueueException e) {
            // The stored payload stays: the logged task refers to it and can be re-created.
            LOG.log(
                Level.SEVERE,
                Messages.enqueueAfterCommitFailed(spec.queue(), spec.name(), spec.recreation()),
                e);
            task.markFailed(e);
          }
        },
        () -> {
          deleteQuietly(storedKey);
          task.markDropped();
        });
    return task;
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
