package dev.deferred.emulator.internal;

import com.google.cloud.tasks.v2.AppEngineHttpRequest;
import com.google.cloud.tasks.v2.AppEngineRouting;
import com.google.cloud.tasks.v2.Attempt;
import com.google.cloud.tasks.v2.HttpMethod;
import com.google.cloud.tasks.v2.Queue;
import com.google.cloud.tasks.v2.Task;
import com.google.protobuf.ByteString;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedTransferQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Delivers due tasks over HTTP.
 *
 * <p>One scheduler thread sleeps until the earliest moment anything can happen (the next due task,
 * the next token of a queue's bucket, the end of a throttle) or until it is woken by a change (task
 * created, queue resumed, dispatch finished, clock advanced). Each queue keeps its tasks in a heap
 * ordered by due time, so picking the next task is O(log n) and nothing scans the queue. Requests
 * go out through one {@link HttpClient} (HTTP/1.1, redirects never followed), each sent and awaited
 * by a thread of the dispatcher's own bounded pool, which is reused from dispatch to dispatch: no
 * thread is started per task or per dispatch.
 *
 * <p>Why not {@code HttpClient.sendAsync}: the JDK completes every future it returns on {@code
 * CompletableFuture}'s default executor, the common pool, and when the common pool has parallelism
 * 1 (a machine with two cores) that executor starts a new thread for every completion. A profile of
 * a busy emulator on two cores showed nearly half of the runnable threads in {@code Thread.start}.
 */
public final class Dispatcher implements AutoCloseable {
  static final String HTTP_USER_AGENT = "Google-Cloud-Tasks";
  static final String APP_ENGINE_USER_AGENT =
      "AppEngine-Google; (+http://code.google.com/appengine)";
  static final URI DEFAULT_APP_ENGINE_TARGET = URI.create("http://localhost:8080");
  private static final Duration MAX_SLEEP = Duration.ofSeconds(30);
  private static final System.Logger LOG = System.getLogger(Dispatcher.class.getName());

  /**
   * At most this many requests are on the wire at once, over all queues; more due dispatches wait
   * for a free thread (they count as in flight meanwhile). Idle threads end after {@link
   * #IDLE_THREAD_TIMEOUT}.
   */
  static final int MAX_PARALLEL_DISPATCHES = 256;

  private static final Duration IDLE_THREAD_TIMEOUT = Duration.ofSeconds(30);

  private final EmulatorCore core;
  private final OidcSigner signer;
  private final ExecutorService httpExecutor;
  private final ThreadPoolExecutor dispatchExecutor;
  private final HttpClient client;
  private final Thread scheduler;
  private final ReentrantLock lock = new ReentrantLock();
  private final Condition changed = lock.newCondition();
  private final Object idleMonitor = new Object();
  private final Runnable wakeListener = this::wake;
  private boolean signalled;
  private volatile boolean running = true;

  public Dispatcher(EmulatorCore core, OidcSigner signer) {
    this.core = core;
    this.signer = signer;
    AtomicInteger n = new AtomicInteger();
    this.httpExecutor =
        Executors.newFixedThreadPool(
            Math.max(4, Runtime.getRuntime().availableProcessors() * 2),
            r -> {
              Thread t = new Thread(r, "cloud-tasks-emulator-http-" + n.incrementAndGet());
              t.setDaemon(true);
              return t;
            });
    this.dispatchExecutor = dispatchPool();
    this.client =
        HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .followRedirects(HttpClient.Redirect.NEVER)
            .connectTimeout(Duration.ofSeconds(10))
            .executor(httpExecutor)
            .build();
    core.onChange(wakeListener);
    core.settings.clock().addListener(wakeListener);
    this.scheduler = new Thread(this::loop, "cloud-tasks-emulator-scheduler");
    scheduler.setDaemon(true);
    scheduler.start();
  }

  /**
   * A pool that starts a thread only when no idle one can take the dispatch, up to {@link
   * #MAX_PARALLEL_DISPATCHES}, then queues. (A plain fixed pool would start all its threads for its
   * first dispatches, busy or not.) Separate from the client's executor: these threads block in
   * {@code send}, the client's run the non-blocking steps that complete them.
   */
  private static ThreadPoolExecutor dispatchPool() {
    AtomicInteger n = new AtomicInteger();
    HandOffQueue queue = new HandOffQueue();
    return new ThreadPoolExecutor(
        0,
        MAX_PARALLEL_DISPATCHES,
        IDLE_THREAD_TIMEOUT.toSeconds(),
        TimeUnit.SECONDS,
        queue,
        r -> {
          Thread t = new Thread(r, "cloud-tasks-emulator-dispatch-" + n.incrementAndGet());
          t.setDaemon(true);
          return t;
        },
        (r, pool) -> {
          if (pool.isShutdown()) {
            throw new RejectedExecutionException("The emulator is closing.");
          }
          // Every thread is busy: wait in line for the first one free.
          queue.enqueue(r);
        });
  }

  /** Offers succeed only when a thread waits for work, so that the pool grows instead. */
  private static final class HandOffQueue extends LinkedTransferQueue<Runnable> {
    private static final long serialVersionUID = 1L;

    @Override
    public boolean offer(Runnable r) {
      return tryTransfer(r);
    }

    void enqueue(Runnable r) {
      super.offer(r);
    }
  }

  /** Wakes the scheduler: something may have become dispatchable. */
  public void wake() {
    lock.lock();
    try {
      signalled = true;
      changed.signal();
    } finally {
      lock.unlock();
    }
    synchronized (idleMonitor) {
      idleMonitor.notifyAll();
    }
  }

  private void loop() {
    while (running) {
      Instant now = core.now();
      Instant next = now.plus(MAX_SLEEP);
      List<Job> jobs = new ArrayList<>();
      try {
        core.expireQueueTombstones(now);
        for (QueueEntry q : core.queues.values()) {
          try {
            Instant qNext = collect(q, now, jobs);
            if (qNext != null && qNext.isBefore(next)) {
              next = qNext;
            }
          } catch (RuntimeException e) {
            // A bug in one queue must not stop dispatch for the others.
            LOG.log(System.Logger.Level.ERROR, "Dispatching from " + q.name + " failed", e);
          }
        }
      } catch (RuntimeException e) {
        LOG.log(System.Logger.Level.ERROR, "Dispatcher round failed", e);
      }
      for (Job job : jobs) {
        send(job);
      }
      lock.lock();
      try {
        if (!signalled && running && jobs.isEmpty()) {
          long nanos = Duration.between(now, next).toNanos();
          if (nanos > 0) {
            changed.awaitNanos(nanos);
          }
        }
        signalled = false;
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      } finally {
        lock.unlock();
      }
    }
  }

  /** Starts what is due in one queue; returns when the queue next needs attention, or null. */
  private Instant collect(QueueEntry q, Instant now, List<Job> jobs) {
    synchronized (q) {
      q.expireTombstones(now);
      if (q.deleted || q.queue.getState() != Queue.State.RUNNING) {
        return null;
      }
      if (q.throttledUntil.isAfter(now)) {
        return q.throttledUntil;
      }
      q.refill(now);
      int max = q.queue.getRateLimits().getMaxConcurrentDispatches();
      while (q.inFlight < max) {
        QueueEntry.Due d = q.head();
        if (d == null) {
          return null;
        }
        if (d.at().isAfter(now)) {
          return d.at();
        }
        if (q.tokens < 1) {
          double rate = q.queue.getRateLimits().getMaxDispatchesPerSecond();
          long nanos = (long) Math.ceil((1 - q.tokens) / rate * 1e9);
          return now.plusNanos(Math.max(nanos, 1000));
        }
        q.tokens -= 1;
        q.dueHeap.poll();
        jobs.add(prepare(q, d.task(), now));
      }
      return null;
    }
  }

  /**
   * RunTask: dispatches at once, whatever the queue's state, rate or concurrency, and takes the
   * task off its schedule so that the original schedule does not deliver it a second time.
   */
  public Task runTask(String name, Task.View view) {
    Names.TaskName tn = Names.task(name);
    QueueEntry q = core.queueOfTask(tn);
    Job job;
    Task result;
    synchronized (q) {
      TaskEntry t = core.liveTask(q, tn);
      t.generation++;
      job = prepare(q, t, core.now());
      result = EmulatorCore.view(t.task, view);
    }
    send(job);
    return result;
  }

  private record Job(
      QueueEntry queue, TaskEntry task, boolean appEngine, HttpRequest request, String error) {}

  /** Records the attempt and builds the request. Called with the queue's lock held. */
  private Job prepare(QueueEntry q, TaskEntry t, Instant now) {
    Task task = t.task;
    int retryCount = task.getDispatchCount();
    Instant dispatchTime = Protos.micros(now);
    Task.Builder tb = task.toBuilder().setDispatchCount(retryCount + 1);
    if (!tb.hasFirstAttempt()) {
      tb.setFirstAttempt(Attempt.newBuilder().setDispatchTime(Protos.ts(dispatchTime)));
    }
    tb.setLastAttempt(
        Attempt.newBuilder()
            .setScheduleTime(task.getScheduleTime())
            .setDispatchTime(Protos.ts(dispatchTime)));
    t.task = tb.build();
    t.inFlight++;
    q.inFlight++;
    q.dispatched++;
    boolean appEngine = task.hasAppEngineHttpRequest();
    try {
      HttpRequest request =
          appEngine ? appEngineRequest(q, t, retryCount) : httpRequest(q, t, retryCount);
      return new Job(q, t, appEngine, request, null);
    } catch (RuntimeException e) {
      return new Job(q, t, appEngine, null, "The request could not be built: " + e.getMessage());
    }
  }

  private HttpRequest httpRequest(QueueEntry q, TaskEntry t, int retryCount) {
    com.google.cloud.tasks.v2.HttpRequest r = t.task.getHttpRequest();
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(r.getUrl()));
    boolean hasToken = r.hasOidcToken() || r.hasOauthToken();
    copyHeaders(b, r.getHeadersMap(), hasToken);
    // Recorded from the real service: HTTP targets send an empty retry reason.
    taskHeaders(b, "X-CloudTasks-", q, t, retryCount, "");
    b.header("User-Agent", HTTP_USER_AGENT);
    if (r.hasOidcToken()) {
      String email = r.getOidcToken().getServiceAccountEmail();
      if (email.isEmpty()) {
        email = defaultServiceAccount(q);
      }
      String audience =
          r.getOidcToken().getAudience().isEmpty() ? r.getUrl() : r.getOidcToken().getAudience();
      b.header("Authorization", "Bearer " + signer.token(email, audience));
    } else if (r.hasOauthToken()) {
      b.header("Authorization", "Bearer emulator-oauth-access-token");
    }
    method(b, r.getHttpMethod(), r.getBody());
    b.timeout(Protos.duration(t.task.getDispatchDeadline()));
    return b.build();
  }

  /**
   * The queue headers both target types send, under their own prefix; the previous response and the
   * retry reason only on retries.
   */
  private static void taskHeaders(
      HttpRequest.Builder b,
      String prefix,
      QueueEntry q,
      TaskEntry t,
      int retryCount,
      String retryReason) {
    b.header(prefix + "QueueName", q.shortId);
    b.header(prefix + "TaskName", t.id);
    b.header(prefix + "TaskRetryCount", Integer.toString(retryCount));
    b.header(prefix + "TaskExecutionCount", Integer.toString(t.executionCount));
    b.header(prefix + "TaskETA", Protos.eta(Protos.instant(t.task.getScheduleTime())));
    if (retryCount > 0) {
      b.header(prefix + "TaskPreviousResponse", Integer.toString(t.previousResponse));
      b.header(prefix + "TaskRetryReason", retryReason);
    }
  }

  private static String defaultServiceAccount(QueueEntry q) {
    String project = q.name.split("/")[1];
    return project + "@appspot.gserviceaccount.com";
  }

  private HttpRequest appEngineRequest(QueueEntry q, TaskEntry t, int retryCount) {
    AppEngineHttpRequest r = t.task.getAppEngineHttpRequest();
    AppEngineRouting routing =
        q.queue.hasAppEngineRoutingOverride()
            ? q.queue.getAppEngineRoutingOverride()
            : r.getAppEngineRouting();
    URI base = appEngineBase(routing);
    if (base == null) {
      base =
          core.settings.appEngineTarget() != null
              ? core.settings.appEngineTarget()
              : DEFAULT_APP_ENGINE_TARGET;
    }
    String prefix = base.toString();
    if (prefix.endsWith("/")) {
      prefix = prefix.substring(0, prefix.length() - 1);
    }
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(prefix + r.getRelativeUri()));
    copyHeaders(b, r.getHeadersMap(), false);
    taskHeaders(b, "X-AppEngine-", q, t, retryCount, "App Error");
    b.header("User-Agent", APP_ENGINE_USER_AGENT);
    if (!r.getBody().isEmpty()
        && r.getHeadersMap().keySet().stream().noneMatch(k -> k.equalsIgnoreCase("Content-Type"))) {
      b.header("Content-Type", "application/octet-stream");
    }
    method(b, r.getHttpMethod(), r.getBody());
    b.timeout(Protos.duration(t.task.getDispatchDeadline()));
    return b.build();
  }

  /**
   * The most specific mapping wins: {@code instance.version.service}, then {@code version.service},
   * then {@code service}; an empty service is App Engine's {@code default}.
   */
  private URI appEngineBase(AppEngineRouting routing) {
    Map<String, URI> services = core.settings.appEngineServices();
    if (services.isEmpty()) {
      return null;
    }
    String service = routing.getService().isEmpty() ? "default" : routing.getService();
    List<String> keys = new ArrayList<>();
    if (!routing.getVersion().isEmpty()) {
      if (!routing.getInstance().isEmpty()) {
        keys.add(routing.getInstance() + "." + routing.getVersion() + "." + service);
      }
      keys.add(routing.getVersion() + "." + service);
    }
    keys.add(service);
    for (String key : keys) {
      URI uri = services.get(key);
      if (uri != null) {
        return uri;
      }
    }
    return null;
  }

  private static void copyHeaders(
      HttpRequest.Builder b, Map<String, String> headers, boolean dropAuth) {
    for (Map.Entry<String, String> h : headers.entrySet()) {
      String lower = h.getKey().toLowerCase(Locale.ROOT);
      if (lower.startsWith("x-cloudtasks-")
          || lower.startsWith("x-appengine-")
          || lower.startsWith("x-google-")
          || lower.equals("user-agent")
          || (dropAuth && lower.equals("authorization"))) {
        continue;
      }
      try {
        b.header(h.getKey(), h.getValue());
      } catch (IllegalArgumentException restricted) {
        // Host, Content-Length, Connection...: computed by the HTTP client, as Cloud Tasks does.
      }
    }
  }

  private static void method(HttpRequest.Builder b, HttpMethod m, ByteString body) {
    HttpRequest.BodyPublisher publisher =
        body.isEmpty()
            ? HttpRequest.BodyPublishers.noBody()
            : HttpRequest.BodyPublishers.ofByteArray(body.toByteArray());
    String name = m == HttpMethod.HTTP_METHOD_UNSPECIFIED ? "POST" : m.name();
    b.method(name, publisher);
  }

  private void send(Job job) {
    if (job.request() == null) {
      complete(job, -1, Optional.empty(), job.error(), false);
      return;
    }
    try {
      dispatchExecutor.execute(() -> deliver(job));
    } catch (RejectedExecutionException closing) {
      complete(job, -1, Optional.empty(), "The emulator is closing.", false);
    }
  }

  private void deliver(Job job) {
    HttpResponse<Void> response;
    try {
      response = client.send(job.request(), HttpResponse.BodyHandlers.discarding());
    } catch (InterruptedException closing) {
      Thread.currentThread().interrupt();
      complete(job, -1, Optional.empty(), "The emulator closed during the dispatch.", false);
      return;
    } catch (IOException | RuntimeException e) {
      complete(job, -1, Optional.empty(), describe(e, job), e instanceof HttpTimeoutException);
      return;
    }
    complete(job, response.statusCode(), response.headers().firstValue("Retry-After"), null, false);
  }

  private static String describe(Throwable e, Job job) {
    if (e instanceof HttpTimeoutException) {
      return "The handler did not answer within the dispatch deadline ("
          + job.request().timeout().map(Duration::toString).orElse("?")
          + ").";
    }
    if (e instanceof IOException) {
      return "No response from the handler: " + e;
    }
    return "Dispatch failed: " + e;
  }

  private void complete(
      Job job, int code, Optional<String> retryAfter, String error, boolean timeout) {
    QueueEntry q = job.queue();
    TaskEntry t = job.task();
    Instant now = core.now();
    try {
      synchronized (q) {
        q.inFlight--;
        t.inFlight--;
        if (q.deleted || t.removed) {
          return;
        }
        if (code < 200 || code >= 300) {
          q.failedAttempts++;
        }
        t.recordAttempt(
            new TaskEntry.AttemptRecord(
                Protos.instant(t.task.getLastAttempt().getDispatchTime()),
                Protos.micros(now),
                Math.max(code, 0),
                code > 0 ? null : error));
        Task.Builder tb = t.task.toBuilder();
        com.google.rpc.Status.Builder status = com.google.rpc.Status.newBuilder();
        if (code > 0) {
          status.setCode(StatusMapping.fromHttp(code).value());
          tb.setResponseCount(tb.getResponseCount() + 1);
          if (job.appEngine() || code < 500) {
            t.executionCount++;
          }
          t.previousResponse = code;
        } else {
          status.setCode(
              timeout
                  ? io.grpc.Status.Code.DEADLINE_EXCEEDED.value()
                  : io.grpc.Status.Code.UNAVAILABLE.value());
          status.setMessage(error == null ? "" : error);
          // Cloud Tasks reports a timeout to the next attempt as a gateway timeout.
          t.previousResponse = 504;
        }
        tb.getLastAttemptBuilder()
            .setResponseTime(Protos.ts(Protos.micros(now)))
            .setResponseStatus(status);
        t.task = tb.build();
        if (code >= 200 && code < 300) {
          q.remove(t, now, core.settings.taskTombstoneTtl());
          return;
        }
        var retry = q.queue.getRetryConfig();
        int attempts = t.task.getDispatchCount();
        Instant first = Protos.instant(t.task.getFirstAttempt().getDispatchTime());
        Duration age = now.isAfter(first) ? Duration.between(first, now) : Duration.ZERO;
        Instant created = Protos.instant(t.task.getCreateTime());
        boolean expired = !now.isBefore(created.plus(EmulatorCore.RETENTION));
        if (expired || RetryPolicy.exhausted(retry, attempts, age)) {
          q.remove(t, now, core.settings.taskTombstoneTtl());
          return;
        }
        Duration delay = RetryPolicy.backoff(retry, attempts);
        if (!job.appEngine() && (code == 429 || code == 503)) {
          Duration after = retryAfter.flatMap(v -> parseRetryAfter(v, now)).orElse(null);
          if (after != null) {
            delay = after.compareTo(delay) > 0 ? after : delay;
            Instant until = now.plus(after);
            if (until.isAfter(q.throttledUntil)) {
              q.throttledUntil = until;
            }
          } else {
            // Overload without a hint: back off harder than for an ordinary failure, and give
            // the target that long without any request from this queue.
            Duration doubled = delay.multipliedBy(2);
            Duration max = Protos.duration(retry.getMaxBackoff());
            delay = doubled.compareTo(max) > 0 ? (max.compareTo(delay) > 0 ? max : delay) : doubled;
            Instant until = now.plus(delay);
            if (until.isAfter(q.throttledUntil)) {
              q.throttledUntil = until;
            }
          }
        } else if (job.appEngine() && code == 503) {
          Instant until = now.plus(delay);
          if (until.isAfter(q.throttledUntil)) {
            q.throttledUntil = until;
          }
        }
        Instant next = Protos.micros(now.plus(delay));
        t.task = t.task.toBuilder().setScheduleTime(Protos.ts(next)).build();
        q.schedule(t, next);
      }
    } finally {
      wake();
    }
  }

  /**
   * A {@code Retry-After} value as a delay from {@code now}: delay-seconds, or an HTTP date
   * measured against the emulator's clock (so that a manual clock sees the same delay the target
   * meant).
   */
  static Optional<Duration> parseRetryAfter(String value, Instant now) {
    String v = value.trim();
    try {
      long seconds = Long.parseLong(v);
      return seconds >= 0 ? Optional.of(Duration.ofSeconds(seconds)) : Optional.empty();
    } catch (NumberFormatException notSeconds) {
      try {
        ZonedDateTime at = ZonedDateTime.parse(v, DateTimeFormatter.RFC_1123_DATE_TIME);
        Duration d = Duration.between(now, at.toInstant());
        return Optional.of(d.isNegative() ? Duration.ZERO : d);
      } catch (RuntimeException notDate) {
        return Optional.empty();
      }
    }
  }

  /** True when no running queue has a task due now and no dispatch is in flight. */
  boolean isIdle() {
    Instant now = core.now();
    for (QueueEntry q : core.queues.values()) {
      synchronized (q) {
        if (q.inFlight > 0) {
          return false;
        }
        // A throttled queue waits like a task scheduled later: it has nothing to do now.
        if (q.queue.getState() == Queue.State.RUNNING && !q.throttledUntil.isAfter(now)) {
          QueueEntry.Due d = q.head();
          if (d != null && !d.at().isAfter(now)) {
            return false;
          }
        }
      }
    }
    return true;
  }

  public boolean awaitIdle(Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    synchronized (idleMonitor) {
      while (!isIdle()) {
        long left = deadline - System.nanoTime();
        if (left <= 0) {
          return false;
        }
        // Woken by every completion; the cap covers a change that happened between the check and
        // the wait.
        TimeUnit.NANOSECONDS.timedWait(
            idleMonitor, Math.min(left, TimeUnit.MILLISECONDS.toNanos(20)));
      }
      return true;
    }
  }

  @Override
  public void close() {
    running = false;
    core.settings.clock().removeListener(wakeListener);
    wake();
    try {
      scheduler.join(5000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    dispatchExecutor.shutdownNow();
    httpExecutor.shutdownNow();
  }
}
