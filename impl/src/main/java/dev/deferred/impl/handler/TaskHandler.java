package dev.deferred.impl.handler;

import dev.deferred.PermanentTaskFailure;
import dev.deferred.SingularTaskFailure;
import dev.deferred.impl.codec.DecodedTask;
import dev.deferred.impl.codec.PayloadCodec;
import dev.deferred.impl.codec.PayloadException;
import dev.deferred.impl.codec.Signer;
import dev.deferred.impl.config.Messages;
import dev.deferred.impl.defer.Bypass;
import dev.deferred.impl.handler.security.AuthenticationResult;
import dev.deferred.impl.handler.security.CloudTasksAuthenticator;
import dev.deferred.impl.store.FailureStore;
import dev.deferred.impl.store.PayloadStore;
import dev.deferred.impl.store.TaskFailure;
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
 *   <tr><th>outcome</th><th>status</th><th>log</th><th>failure record</th></tr>
 *   <tr><td>not from Cloud Tasks, or bad signature</td><td>403</td><td>warning</td><td>no</td></tr>
 *   <tr><td>success</td><td>200</td><td>none</td><td>no</td></tr>
 *   <tr><td>exception</td><td>500 (retried)</td><td>error with stack trace</td><td>no</td></tr>
 *   <tr><td>{@code SingularTaskFailure}</td><td>500 (retried)</td><td>debug</td><td>no</td></tr>
 *   <tr><td>{@code PermanentTaskFailure}</td><td>200</td><td>error</td><td>yes</td></tr>
 *   <tr><td>last allowed attempt fails, or too old</td><td>200</td><td>error</td><td>yes</td></tr>
 *   <tr><td>malformed payload (signed, so ours, but unreadable)</td><td>200</td><td>error</td><td>yes</td></tr>
 *   <tr><td>unknown class, method or bean</td><td>500 for {@value #UNKNOWN_CODE_ATTEMPTS}
 *       attempts, then 200</td><td>warning, then error</td><td>at the end</td></tr>
 * </table>
 *
 * An unknown class or method is retried because during a rolling deploy a task created by a new
 * version can reach an instance of the old one; a malformed payload is not, because no version can
 * read it.
 */
public final class TaskHandler {
  private static final Logger LOG = Logger.getLogger(TaskHandler.class.getName());

  /** How many attempts a task naming unknown code gets before it is recorded as failed. */
  public static final int UNKNOWN_CODE_ATTEMPTS = 10;

  /**
   * The largest request body read: Cloud Tasks' own limit on a task (1 MiB as measured on the real
   * service, whose proto documents 100 KB) plus room for an envelope. Payloads above {@code
   * deferred.small-task.max-bytes} (at most 1,000,000) travel through the payload store, so a task
   * of this library never comes near it.
   */
  public static final int MAX_BODY_BYTES = 1024 * 1024 + 128 * 1024;

  /** The HTTP answer. */
  public record Response(int status, String body) {}

  private final CloudTasksAuthenticator authenticator;
  private final Signer signer;
  private final PayloadCodec codec;
  private final PayloadStore payloads;
  private final FailureStore failures;
  private final BeanManager beanManager;
  private final ClassLoader loader;
  private final Clock clock;

  public TaskHandler(
      CloudTasksAuthenticator authenticator,
      Signer signer,
      PayloadCodec codec,
      PayloadStore payloads,
      FailureStore failures,
      BeanManager beanManager,
      ClassLoader loader,
      Clock clock) {
    this.authenticator = authenticator;
    this.signer = signer;
    this.codec = codec;
    this.payloads = payloads;
    this.failures = failures;
    this.beanManager = beanManager;
    this.loader = loader;
    this.clock = clock;
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
    AuthenticationResult auth = authenticator.authenticate(header);
    if (auth instanceof AuthenticationResult.Rejected rejected) {
      LOG.warning(Messages.rejected(rejected.reason()));
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
    return handleAuthenticated(header, bytes);
  }

  private Response handleAuthenticated(Function<String, String> header, byte[] body) {
    if (!signer.verify(body, header.apply(Signer.HEADER))) {
      LOG.warning(Messages.badSignature());
      return new Response(403, "Forbidden");
    }
    TaskHeaders task = TaskHeaders.from(header);
    String taskId = task.queueName() + "/" + task.taskName();

    byte[] payload = body;
    String storedKey = null;
    try {
      Optional<String> key = PayloadCodec.storedKey(body);
      if (key.isPresent()) {
        storedKey = key.get();
        Optional<byte[]> stored = payloads.get(storedKey);
        if (stored.isEmpty()) {
          String message = Messages.payloadMissing(taskId, storedKey);
          LOG.severe(message);
          record(task, null, null, new IllegalStateException(message), storedKey, null);
          return new Response(200, "payload missing");
        }
        payload = stored.get();
      }
    } catch (PayloadException e) {
      return malformed(task, taskId, e, body);
    }

    DecodedTask decoded;
    try {
      decoded = codec.decode(payload, loader);
    } catch (PayloadException e) {
      if (e.kind() == PayloadException.Kind.UNKNOWN_CODE) {
        return unknownCode(
            task, taskId, e.getMessage(), e, e.beanType(), e.method(), payload, storedKey);
      }
      return malformed(task, taskId, e, payload);
    } catch (PermanentTaskFailure e) {
      // An entity reference whose entity is gone.
      return permanent(task, taskId, null, e, payload, storedKey);
    } catch (RuntimeException e) {
      return malformed(task, taskId, e, payload);
    }

    int attempt = task.retryCount() + 1;
    if (decoded.maxAge().isPresent()) {
      Duration age = Duration.between(decoded.scheduledAt(), Instant.now(clock));
      if (age.compareTo(decoded.maxAge().get()) > 0) {
        String limit = "it is " + age + " old, more than its maxAge of " + decoded.maxAge().get();
        return gaveUp(
            task, taskId, decoded, limit, new IllegalStateException(limit), payload, storedKey);
      }
    }
    if (decoded.maxAttempts().isPresent() && attempt > decoded.maxAttempts().getAsInt()) {
      String limit =
          "attempt " + attempt + " is past its maxAttempts of " + decoded.maxAttempts().getAsInt();
      return gaveUp(
          task, taskId, decoded, limit, new IllegalStateException(limit), payload, storedKey);
    }

    Throwable failure;
    try {
      invoke(decoded, task);
      deleteStored(storedKey);
      return new Response(200, "OK");
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
    } catch (PermanentTaskFailure e) {
      return permanent(task, taskId, decoded, e, payload, storedKey);
    } catch (Throwable e) {
      failure = e;
    }

    boolean last = decoded.maxAttempts().isPresent() && attempt >= decoded.maxAttempts().getAsInt();
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
    if (failure instanceof SingularTaskFailure) {
      LOG.fine(Messages.singularFailure(taskId, failure.getMessage()));
      return new Response(500, "Retry requested");
    }
    LOG.log(
        Level.SEVERE, Messages.taskFailed(taskId, decoded.describe(), task.retryCount()), failure);
    return new Response(500, "Task failed");
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
      Object bean = reference(decoded);
      Bypass.arm(decoded.method());
      try {
        decoded.method().invoke(bean, decoded.arguments());
      } catch (InvocationTargetException e) {
        throw e.getCause();
      } finally {
        Bypass.clear();
      }
    } finally {
      if (activated) {
        requestContext.deactivate();
      }
    }
  }

  private <T> T contextual(Class<T> type) {
    Bean<?> bean = beanManager.resolve(beanManager.getBeans(type));
    return type.cast(
        beanManager.getReference(bean, type, beanManager.createCreationalContext(bean)));
  }

  private Object reference(DecodedTask decoded) throws UnresolvableBean {
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
    return beanManager.getReference(
        bean, decoded.beanType(), beanManager.createCreationalContext(bean));
  }

  private Response malformed(TaskHeaders task, String taskId, Exception e, byte[] payload) {
    LOG.log(Level.SEVERE, Messages.undecodable(taskId, e.getMessage()), e);
    record(task, null, null, e, null, payload);
    return new Response(200, "Undecodable payload");
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
    if (attempt < UNKNOWN_CODE_ATTEMPTS) {
      LOG.warning(Messages.unknownTarget(taskId, reason, task.retryCount(), UNKNOWN_CODE_ATTEMPTS));
      return new Response(500, "Unknown code");
    }
    LOG.log(Level.SEVERE, Messages.unknownTargetGaveUp(taskId, reason, UNKNOWN_CODE_ATTEMPTS), e);
    record(task, beanType, method, e, null, payload);
    deleteStored(storedKey);
    return new Response(200, "Unknown code");
  }

  private Response permanent(
      TaskHeaders task,
      String taskId,
      DecodedTask decoded,
      Throwable e,
      byte[] payload,
      String storedKey) {
    LOG.log(
        Level.SEVERE,
        Messages.permanentFailure(taskId, decoded == null ? "?" : decoded.describe()),
        e);
    record(task, decoded, e, payload);
    deleteStored(storedKey);
    return new Response(200, "Failed permanently");
  }

  private Response gaveUp(
      TaskHeaders task,
      String taskId,
      DecodedTask decoded,
      String limit,
      Throwable e,
      byte[] payload,
      String storedKey) {
    LOG.log(Level.SEVERE, Messages.retryLimitReached(taskId, decoded.describe(), limit), e);
    record(task, decoded, e, payload);
    deleteStored(storedKey);
    return new Response(200, "Gave up");
  }

  private void record(TaskHeaders task, DecodedTask decoded, Throwable e, byte[] payload) {
    record(
        task,
        decoded == null ? null : decoded.beanType().getName(),
        decoded == null ? null : decoded.describe(),
        e,
        null,
        payload);
  }

  private void record(
      TaskHeaders task,
      String beanType,
      String method,
      Throwable e,
      String payloadKey,
      byte[] payload) {
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
          Level.SEVERE, "Could not record the failure of task " + task.taskName(), storeFailure);
    }
  }

  private void deleteStored(String key) {
    if (key != null) {
      try {
        payloads.delete(key);
      } catch (RuntimeException e) {
        LOG.log(Level.WARNING, "Could not delete stored payload " + key, e);
      }
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
