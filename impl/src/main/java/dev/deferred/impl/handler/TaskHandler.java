package dev.deferred.impl.handler;

import dev.deferred.PermanentTaskFailure;
import dev.deferred.SingularTaskFailure;
import dev.deferred.impl.codec.DecodedTask;
import dev.deferred.impl.codec.Envelope;
import dev.deferred.impl.codec.PayloadCodec;
import dev.deferred.impl.codec.PayloadException;
import dev.deferred.impl.codec.Signer;
import dev.deferred.impl.config.Messages;
import dev.deferred.impl.config.QueueConfig;
import dev.deferred.impl.defer.Bypass;
import dev.deferred.impl.handler.security.AuthenticationResult;
import dev.deferred.impl.handler.security.CloudTasksAuthenticator;
import dev.deferred.impl.operations.TaskObserver;
import dev.deferred.impl.store.FailureStore;
import dev.deferred.impl.store.PayloadStore;
import dev.deferred.impl.store.TaskFailure;
import dev.deferred.impl.transaction.JtaTransactions;
import dev.deferred.impl.transaction.TransactionalAnnotation;
import jakarta.enterprise.context.control.RequestContextController;
import jakarta.enterprise.inject.spi.Bean;
import jakarta.enterprise.inject.spi.BeanManager;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.lang.reflect.InvocationTargetException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
import java.util.function.Function;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Runs one task request, independent of the HTTP layer: the JAX-RS resource (and, in tests, a plain
 * JDK HTTP server) hands it the headers and the body and sends back the status it returns.
 *
 * <h2>Outcomes</h2>
 *
 * <table>
 *   <caption>What each outcome answers</caption>
 *   <tr><th>outcome</th><th>status</th><th>log</th><th>failure record</th><th>stored payload</th></tr>
 *   <tr><td>not from Cloud Tasks, or bad signature</td><td>403</td><td>warning</td><td>no</td>
 *       <td>kept</td></tr>
 *   <tr><td>success</td><td>200</td><td>none</td><td>no</td><td>deleted</td></tr>
 *   <tr><td>exception, or a failed commit</td><td>500 (retried)</td><td>error with stack
 *       trace</td><td>no</td><td>kept</td></tr>
 *   <tr><td>{@code SingularTaskFailure}</td><td>408 (retried)</td><td>debug</td><td>no</td>
 *       <td>kept</td></tr>
 *   <tr><td>{@code PermanentTaskFailure}, or an entity argument is gone</td><td>200</td>
 *       <td>warning, no stack trace</td><td>yes</td><td>deleted after the record</td></tr>
 *   <tr><td>last allowed attempt fails (the task's {@code maxAttempts}, or the queue's configured
 *       {@code retry-max-attempts}, see {@link #lastAttempt}), or too old</td><td>200</td><td>error</td><td>yes</td>
 *       <td>deleted after the record</td></tr>
 *   <tr><td>malformed payload (signed, so ours, but unreadable)</td><td>200</td><td>error</td>
 *       <td>yes</td><td>deleted after the record</td></tr>
 *   <tr><td>unknown class, method or bean</td><td>500 on attempts 1 to {@value
 *       #UNKNOWN_CODE_ATTEMPTS} - 1; attempt {@value #UNKNOWN_CODE_ATTEMPTS} answers 200</td>
 *       <td>warning, then error</td><td>on the last attempt</td><td>deleted after the record</td></tr>
 *   <tr><td>stored payload missing</td><td>200</td><td>error</td><td>yes</td><td>-</td></tr>
 *   <tr><td>payload store unreachable</td><td>503 (retried)</td><td>warning</td><td>no</td>
 *       <td>kept</td></tr>
 *   <tr><td>a failure record cannot be written</td><td>500 (retried)</td><td>error</td><td>no</td>
 *       <td>kept</td></tr>
 *   <tr><td>authenticated, body above {@link #MAX_BODY_BYTES}</td><td>413</td><td>warning</td>
 *       <td>no</td><td>kept</td></tr>
 *   <tr><td>signed for another queue, past its expiry, or its stored payload changed</td>
 *       <td>200</td><td>warning (changed payload: error)</td><td>yes</td><td>kept</td></tr>
 * </table>
 *
 * <p>A task is acknowledged without running successfully only once a failure record holding its
 * whole payload is written; the stored payload is deleted only after that. So a request that claims
 * a high retry count (the headers are not signed) can end a task early, but cannot lose it.
 *
 * <p>{@code PermanentTaskFailure} and {@code SingularTaskFailure} are found anywhere in the cause
 * chain, so that an {@code EJBException}, a {@code TransactionalException} or a {@code
 * CompletionException} around them keeps their meaning.
 *
 * <p>An unknown class or method is retried because during a rolling deploy a task created by a new
 * version can reach an instance of the old one; a malformed payload is not, because no version can
 * read it (see {@link PayloadException} for the classification). Anything else that fails before
 * the method runs (the payload store, loading entity arguments, CDI contexts) is retried, with the
 * stored payload kept.
 *
 * <p>Entity arguments are loaded just before the method runs. When the method is
 * {@code @Transactional} ({@code REQUIRED}, the default), they are loaded in the transaction it
 * runs in (begun here, see {@link JtaTransactions}), so they are managed and its changes to them
 * are written; the transaction ends the way the method's interceptor would have ended one of its
 * own: rolled back if marked rollback-only or if loading the arguments failed, committed otherwise
 * (a failed commit is a failed attempt, retried). Otherwise they are loaded outside any transaction
 * and arrive detached.
 */
public final class TaskHandler {
  private static final Logger LOG = Logger.getLogger(TaskHandler.class.getName());

  /**
   * How many attempts a task naming unknown code gets in all: attempts before this one answer 500,
   * this one records the task as failed and answers 200.
   */
  public static final int UNKNOWN_CODE_ATTEMPTS = 10;

  /**
   * The largest request body read: Cloud Tasks' own limit on a task (1 MiB as measured on the real
   * service, whose proto documents 100 KB) plus room for an envelope. Payloads above {@code
   * deferred.small-task.max-bytes} (at most 1,000,000) travel through the payload store, so a task
   * of this library never comes near it.
   */
  public static final int MAX_BODY_BYTES = 1024 * 1024 + 128 * 1024;

  /** The status that asks for a retry after {@code SingularTaskFailure}, as djangae answers. */
  public static final int SINGULAR_FAILURE_STATUS = 408;

  /**
   * The HTTP answer.
   *
   * @param status the status
   * @param body a short text for the body
   * @param failure what the task (or the handler, before the task could run) threw, or {@code
   *     null}: for tests, which report a task's own exception rather than read it from the log
   */
  public record Response(int status, String body, Throwable failure) {
    /** An answer without a failure. */
    public Response(int status, String body) {
      this(status, body, null);
    }
  }

  private final CloudTasksAuthenticator authenticator;
  private final Signer signer;
  private final PayloadCodec codec;
  private final PayloadStore payloads;
  private final FailureStore failures;
  private final BeanManager beanManager;
  private final ClassLoader loader;
  private final Clock clock;
  // null without JTA on the class path: then the class is never loaded
  private final JtaTransactions transactions;
  private final TaskObserver observer;
  private final RefusalLog refusals;
  private final Function<String, OptionalInt> queueLastAttempt;

  public TaskHandler(
      CloudTasksAuthenticator authenticator,
      Signer signer,
      PayloadCodec codec,
      PayloadStore payloads,
      FailureStore failures,
      BeanManager beanManager,
      ClassLoader loader,
      Clock clock) {
    this(
        authenticator,
        signer,
        codec,
        payloads,
        failures,
        beanManager,
        loader,
        clock,
        TaskObserver.NONE,
        queue -> OptionalInt.empty());
  }

  /**
   * @param observer told about each task's run
   * @param queueLastAttempt for a queue name, the attempt after which Cloud Tasks stops retrying
   *     (see {@link #lastAttempt}), empty if unknown or unlimited
   */
  public TaskHandler(
      CloudTasksAuthenticator authenticator,
      Signer signer,
      PayloadCodec codec,
      PayloadStore payloads,
      FailureStore failures,
      BeanManager beanManager,
      ClassLoader loader,
      Clock clock,
      TaskObserver observer,
      Function<String, OptionalInt> queueLastAttempt) {
    this.authenticator = authenticator;
    this.signer = signer;
    this.codec = codec;
    this.payloads = payloads;
    this.failures = failures;
    this.beanManager = beanManager;
    this.loader = loader;
    this.clock = clock;
    this.transactions =
        present("jakarta.transaction.TransactionManager", loader)
            ? new JtaTransactions(beanManager)
            : null;
    this.observer = observer;
    this.refusals = new RefusalLog(LOG, clock);
    this.queueLastAttempt = queueLastAttempt;
  }

  /**
   * The attempt after which Cloud Tasks stops retrying a task of this queue, as configured: its
   * {@code retry-max-attempts} when no {@code retry-max-duration} keeps it going longer. On that
   * attempt a failing task is recorded and acknowledged, since Cloud Tasks would otherwise drop it
   * without a trace.
   */
  public static OptionalInt lastAttempt(QueueConfig queue) {
    if (queue == null
        || queue.retryMaxAttempts().isEmpty()
        || queue.retryMaxAttempts().getAsInt() < 1
        || queue.retryMaxDuration().filter(d -> !d.isZero()).isPresent()) {
      return OptionalInt.empty();
    }
    return queue.retryMaxAttempts();
  }

  /**
   * Handles one request whose body is already in memory (tests, and callers that bounded it).
   *
   * @param header request header lookup, case-insensitive, {@code null} when absent
   * @param body the request body
   */
  public Response handle(Function<String, String> header, byte[] body) {
    return handle(header, new ByteArrayInputStream(body));
  }

  /**
   * Handles one request. The body is not touched until the request is authenticated, and then read
   * only up to {@link #MAX_BODY_BYTES}: an unauthenticated caller cannot make the handler hold its
   * body in memory, and nobody can make it hold more than a task can carry.
   *
   * @param header request header lookup, case-insensitive, {@code null} when absent
   * @param body the request body, not closed here
   */
  public Response handle(Function<String, String> header, InputStream body) {
    TaskObserver.Execution execution = observer.executing(header);
    Response response = null;
    try {
      response = receive(header, body, execution);
      return response;
    } finally {
      execution.ended(outcome(response), response == null ? 500 : response.status());
    }
  }

  /** How the answer reads to operations tooling; {@code null} when the handler threw. */
  static TaskObserver.Outcome outcome(Response response) {
    if (response == null) {
      return TaskObserver.Outcome.RETRIED;
    }
    int status = response.status();
    if (status == 400 || status == 403 || status == 413) {
      return TaskObserver.Outcome.REJECTED;
    }
    if (status >= 200 && status < 300) {
      return "OK".equals(response.body())
          ? TaskObserver.Outcome.SUCCEEDED
          : TaskObserver.Outcome.FAILED_PERMANENTLY;
    }
    return TaskObserver.Outcome.RETRIED;
  }

  private Response receive(
      Function<String, String> header, InputStream body, TaskObserver.Execution execution) {
    AuthenticationResult auth = authenticator.authenticate(header);
    if (auth instanceof AuthenticationResult.Rejected rejected) {
      refusals.refused(Messages.rejected(rejected.reason()));
      return new Response(403, "Forbidden");
    }
    byte[] bytes;
    try {
      bytes = readBounded(header.apply("Content-Length"), body);
    } catch (BodyTooLarge e) {
      LOG.warning(Messages.bodyTooLarge(e.getMessage(), MAX_BODY_BYTES));
      return new Response(413, "Payload Too Large");
    } catch (IOException e) {
      LOG.warning(Messages.bodyUnreadable(e.toString()));
      return new Response(400, "Bad Request");
    }
    return handleAuthenticated(header, bytes, execution);
  }

  private Response handleAuthenticated(
      Function<String, String> header, byte[] body, TaskObserver.Execution execution) {
    if (!signer.verify(body, header.apply(Signer.HEADER))) {
      refusals.refused(Messages.badSignature());
      return new Response(403, "Forbidden");
    }
    TaskHeaders task = TaskHeaders.from(header);
    String taskId = task.queueName() + "/" + task.taskName();
    Envelope envelope;
    try {
      envelope = Envelope.read(body);
    } catch (PayloadException e) {
      return undecodable(task, taskId, e, body, null);
    }
    Response refused = refusedEnvelope(envelope, task, taskId, body);
    if (refused != null) {
      return refused;
    }

    // The task's whole payload, and the key it is stored under when it did not travel inline.
    byte[] payload = body;
    String storedKey;
    try {
      storedKey = PayloadCodec.storedKey(body).orElse(null);
    } catch (PayloadException e) {
      return undecodable(task, taskId, e, body, null);
    }
    if (storedKey != null) {
      Optional<byte[]> stored;
      try {
        stored = payloads.get(storedKey);
      } catch (RuntimeException e) {
        LOG.log(
            Level.WARNING, Messages.payloadStoreUnavailable(taskId, storedKey, e.toString()), e);
        return new Response(503, "Payload store unavailable", e);
      }
      if (stored.isEmpty()) {
        String message = Messages.payloadMissing(taskId, storedKey);
        LOG.severe(message);
        // Nothing to delete; the record keeps the reference the task carried.
        return finalOutcome(
            task,
            taskId,
            null,
            null,
            new IllegalStateException(message),
            storedKey,
            body,
            null,
            "Payload missing");
      }
      payload = stored.get();
      if (!envelope.matchesStored(payload)) {
        String message = Messages.storedPayloadChanged(taskId, storedKey);
        LOG.severe(message);
        // Not deleted: the changed bytes stay for whoever investigates how they got there.
        return finalOutcome(
            task,
            taskId,
            null,
            null,
            new SecurityException(message),
            storedKey,
            body,
            null,
            "Refused");
      }
    }

    DecodedTask decoded;
    try {
      decoded = codec.decode(payload, loader);
    } catch (PayloadException e) {
      if (e.kind() == PayloadException.Kind.UNKNOWN_CODE) {
        return unknownCode(
            task, taskId, e.getMessage(), e, e.beanType(), e.method(), payload, storedKey);
      }
      return undecodable(task, taskId, e, payload, storedKey);
    } catch (RuntimeException e) {
      // Not a verdict on the payload (see PayloadException): retry, keep the stored payload.
      LOG.log(Level.SEVERE, Messages.decodingFailed(taskId, e.toString()), e);
      return new Response(500, "Decoding failed", e);
    }
    execution.method(decoded.describe());

    int attempt = task.retryCount() + 1;
    if (decoded.maxAge().isPresent()) {
      Duration age = Duration.between(decoded.scheduledAt(), Instant.now(clock));
      if (age.compareTo(decoded.maxAge().get()) > 0) {
        String limit = "it is " + age + " old, more than its maxAge of " + decoded.maxAge().get();
        return gaveUp(task, taskId, decoded, limit, null, payload, storedKey);
      }
    }
    if (decoded.maxAttempts().isPresent() && attempt > decoded.maxAttempts().getAsInt()) {
      String limit =
          "attempt " + attempt + " is past its maxAttempts of " + decoded.maxAttempts().getAsInt();
      return gaveUp(task, taskId, decoded, limit, null, payload, storedKey);
    }

    Throwable failure;
    try {
      invoke(decoded, task);
    } catch (UnresolvableBean e) {
      return unknownCode(
          task,
          taskId,
          e.getMessage(),
          e,
          decoded.beanType().getName(),
          decoded.method().getName(),
          payload,
          storedKey);
    } catch (Throwable e) {
      failure = e;
      Throwable meaning = meaningful(e);
      if (meaning instanceof PermanentTaskFailure permanent) {
        return permanent(task, taskId, decoded, permanent, e, payload, storedKey);
      }
      boolean last =
          decoded.maxAttempts().isPresent() && attempt >= decoded.maxAttempts().getAsInt();
      if (last) {
        return gaveUp(
            task,
            taskId,
            decoded,
            "attempt "
                + attempt
                + " of its maxAttempts "
                + decoded.maxAttempts().getAsInt()
                + " failed",
            failure,
            payload,
            storedKey);
      }
      OptionalInt queueLast = queueLastAttempt.apply(task.queueName());
      if (queueLast.isPresent() && attempt >= queueLast.getAsInt()) {
        return gaveUp(
            task,
            taskId,
            decoded,
            "attempt "
                + attempt
                + " failed, the last that queue '"
                + task.queueName()
                + "' allows (deferred.queues."
                + task.queueName()
                + ".retry-max-attempts="
                + queueLast.getAsInt()
                + ")",
            failure,
            payload,
            storedKey);
      }
      if (meaning instanceof SingularTaskFailure) {
        LOG.fine(Messages.singularFailure(taskId, meaning.getMessage()));
        return new Response(SINGULAR_FAILURE_STATUS, "Retry requested", failure);
      }
      LOG.log(
          Level.SEVERE,
          Messages.taskFailed(taskId, decoded.describe(), task.retryCount()),
          failure);
      return new Response(500, "Task failed", failure);
    }
    deleteStored(storedKey);
    return new Response(200, "OK");
  }

  /**
   * The outermost {@link PermanentTaskFailure} or {@link SingularTaskFailure} in the cause chain of
   * {@code e}, or {@code e} itself if there is none: containers wrap what a method throws ({@code
   * EJBException}, {@code TransactionalException}, {@code CompletionException}).
   */
  static Throwable meaningful(Throwable e) {
    Set<Throwable> seen = java.util.Collections.newSetFromMap(new java.util.IdentityHashMap<>());
    for (Throwable t = e; t != null && seen.add(t); t = t.getCause()) {
      if (t instanceof PermanentTaskFailure || t instanceof SingularTaskFailure) {
        return t;
      }
    }
    return e;
  }

  /**
   * Refuses a body signed for another queue, or past its expiry: 200, because no retry of this
   * delivery can ever be accepted, and a failure record. Returns {@code null} when the body may
   * run.
   */
  private Response refusedEnvelope(
      Envelope envelope, TaskHeaders task, String taskId, byte[] body) {
    String message;
    Instant now = Instant.now(clock);
    if (!envelope.queue().equals(task.queueName())) {
      message = Messages.wrongQueue(taskId, envelope.queue());
    } else if (now.isAfter(envelope.expiresAt())) {
      message = Messages.signatureExpired(taskId, envelope.expiresAt(), now);
    } else {
      return null;
    }
    LOG.warning(message);
    // The stored payload, if any, is kept: the genuine task may still be queued and need it.
    return finalOutcome(
        task,
        taskId,
        null,
        null,
        new SecurityException(message),
        envelope.storedKey().orElse(null),
        body,
        null,
        "Refused");
  }

  /**
   * Reads at most {@link #MAX_BODY_BYTES}; a declared or actual length above it is refused without
   * reading further.
   */
  private static byte[] readBounded(String contentLength, InputStream in) throws IOException {
    if (contentLength != null) {
      try {
        long declared = Long.parseLong(contentLength.trim());
        if (declared > MAX_BODY_BYTES) {
          throw new BodyTooLarge(String.valueOf(declared));
        }
      } catch (NumberFormatException e) {
        // the container checks the framing; the bound below still holds
      }
    }
    byte[] bytes = in.readNBytes(MAX_BODY_BYTES + 1);
    if (bytes.length > MAX_BODY_BYTES) {
      throw new BodyTooLarge("more than " + MAX_BODY_BYTES);
    }
    return bytes;
  }

  /** A body above {@link #MAX_BODY_BYTES}; the message is its size, for the log. */
  private static final class BodyTooLarge extends IOException {
    private static final long serialVersionUID = 1L;

    BodyTooLarge(String size) {
      super(size, null);
    }
  }

  private void invoke(DecodedTask decoded, TaskHeaders headers) throws Throwable {
    RequestContextController requestContext =
        beanManager.createInstance().select(RequestContextController.class).get();
    boolean activated = requestContext.activate();
    try {
      contextual(TaskState.class).fill(headers);
      Bean<?> bean = resolve(decoded);
      Object instance =
          beanManager.getReference(
              bean, decoded.beanType(), beanManager.createCreationalContext(bean));
      JtaTransactions.Begun tx =
          transactions != null
                  && "REQUIRED"
                      .equals(TransactionalAnnotation.txType(bean.getBeanClass(), decoded.method()))
              ? transactions.beginIfNone()
              : null;
      if (tx == null) {
        call(decoded, instance, codec.arguments(decoded));
        return;
      }
      Object[] arguments;
      try {
        arguments = codec.arguments(decoded);
      } catch (RuntimeException e) {
        tx.rollback();
        throw e;
      }
      try {
        call(decoded, instance, arguments);
      } catch (Throwable e) {
        tx.endAfterFailure(e);
        throw e;
      }
      tx.end();
    } finally {
      if (activated) {
        requestContext.deactivate();
      }
    }
  }

  private static void call(DecodedTask decoded, Object bean, Object[] arguments) throws Throwable {
    Bypass.arm(decoded.method());
    try {
      decoded.method().invoke(bean, arguments);
    } catch (InvocationTargetException e) {
      throw e.getCause();
    } finally {
      Bypass.clear();
    }
  }

  private <T> T contextual(Class<T> type) {
    Bean<?> bean = beanManager.resolve(beanManager.getBeans(type));
    return type.cast(
        beanManager.getReference(bean, type, beanManager.createCreationalContext(bean)));
  }

  private Bean<?> resolve(DecodedTask decoded) throws UnresolvableBean {
    Set<Bean<?>> beans = beanManager.getBeans(decoded.beanType(), decoded.qualifiers());
    Bean<?> bean;
    try {
      bean = beanManager.resolve(beans);
    } catch (RuntimeException e) {
      throw new UnresolvableBean(decoded, beans.size());
    }
    if (bean == null) {
      throw new UnresolvableBean(decoded, 0);
    }
    return bean;
  }

  private Response undecodable(
      TaskHeaders task, String taskId, PayloadException e, byte[] payload, String storedKey) {
    LOG.severe(Messages.undecodable(taskId, e.getMessage()));
    return finalOutcome(
        task, taskId, e.beanType(), e.method(), e, null, payload, storedKey, "Undecodable payload");
  }

  private Response unknownCode(
      TaskHeaders task,
      String taskId,
      String reason,
      Exception e,
      String beanType,
      String method,
      byte[] payload,
      String storedKey) {
    int attempt = task.retryCount() + 1;
    // Cloud Tasks must not drop it before it is recorded: the queue may allow fewer attempts.
    int limit =
        Math.min(
            UNKNOWN_CODE_ATTEMPTS,
            queueLastAttempt.apply(task.queueName()).orElse(UNKNOWN_CODE_ATTEMPTS));
    if (attempt < limit) {
      LOG.warning(Messages.unknownTarget(taskId, reason, task.retryCount(), limit));
      return new Response(500, "Unknown code", e);
    }
    LOG.severe(Messages.unknownTargetGaveUp(taskId, reason, limit));
    return finalOutcome(
        task, taskId, beanType, method, e, null, payload, storedKey, "Unknown code");
  }

  private Response permanent(
      TaskHeaders task,
      String taskId,
      DecodedTask decoded,
      PermanentTaskFailure cause,
      Throwable thrown,
      byte[] payload,
      String storedKey) {
    // Expected by the application: its message says it all, a stack trace would only alarm.
    LOG.warning(Messages.permanentFailure(taskId, decoded.describe(), cause.getMessage()));
    return finalOutcome(
        task,
        taskId,
        decoded.beanType().getName(),
        decoded.describe(),
        thrown,
        null,
        payload,
        storedKey,
        "Failed permanently");
  }

  private Response gaveUp(
      TaskHeaders task,
      String taskId,
      DecodedTask decoded,
      String limit,
      Throwable failure,
      byte[] payload,
      String storedKey) {
    String message = Messages.retryLimitReached(taskId, decoded.describe(), limit);
    if (failure == null) {
      LOG.severe(message);
    } else {
      LOG.log(Level.SEVERE, message, failure);
    }
    return finalOutcome(
        task,
        taskId,
        decoded.beanType().getName(),
        decoded.describe(),
        failure == null ? new IllegalStateException(limit) : failure,
        null,
        payload,
        storedKey,
        "Gave up");
  }

  /**
   * Ends a task that will not run again: records it with its whole payload, then deletes the stored
   * payload and answers 200. If the record cannot be written, answers 500 instead and keeps the
   * stored payload, so that Cloud Tasks delivers the task again rather than it being lost.
   *
   * @param payloadKey the stored payload the record refers to, when {@code payload} is only the
   *     reference to it
   * @param storedKey the stored payload to delete once recorded, or {@code null}
   */
  private Response finalOutcome(
      TaskHeaders task,
      String taskId,
      String beanType,
      String method,
      Throwable e,
      String payloadKey,
      byte[] payload,
      String storedKey,
      String answer) {
    try {
      failures.record(
          TaskFailure.of(
              task.queueName(),
              task.taskName(),
              beanType,
              method,
              e,
              Instant.now(clock),
              task.retryCount(),
              payloadKey,
              payload));
    } catch (RuntimeException storeFailure) {
      LOG.log(
          Level.SEVERE, Messages.failureNotRecorded(taskId, storeFailure.toString()), storeFailure);
      return new Response(500, "Failure not recorded", e);
    }
    deleteStored(storedKey);
    return new Response(200, answer, e);
  }

  private void deleteStored(String key) {
    if (key != null) {
      try {
        payloads.delete(key);
      } catch (RuntimeException e) {
        LOG.log(Level.WARNING, Messages.payloadNotDeleted(key, e.toString()), e);
      }
    }
  }

  private static boolean present(String className, ClassLoader loader) {
    try {
      Class.forName(className, false, loader);
      return true;
    } catch (ClassNotFoundException | LinkageError e) {
      return false;
    }
  }

  /** No single bean matches the payload's type and qualifiers in this deployment. */
  private static final class UnresolvableBean extends Exception {
    private static final long serialVersionUID = 1L;

    UnresolvableBean(DecodedTask decoded, int found) {
      super(
          (found == 0 ? "no bean" : found + " beans")
              + " of type "
              + decoded.beanType().getName()
              + " with qualifiers "
              + java.util.Arrays.toString(decoded.qualifiers()));
    }
  }
}
