package dev.deferred.emulator.internal;

import com.google.cloud.tasks.v2.AppEngineHttpRequest;
import com.google.cloud.tasks.v2.AppEngineRouting;
import com.google.cloud.tasks.v2.HttpMethod;
import com.google.cloud.tasks.v2.HttpRequest;
import com.google.cloud.tasks.v2.Queue;
import com.google.cloud.tasks.v2.Task;
import com.google.iam.v1.Policy;
import com.google.protobuf.ByteString;
import com.google.protobuf.FieldMask;
import com.google.protobuf.util.FieldMaskUtil;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentSkipListMap;

/**
 * The emulator's state and every operation on it, in protobuf terms. Validation failures and
 * missing entities surface as {@link io.grpc.StatusRuntimeException}s carrying the real service's
 * codes and messages; the gRPC and REST layers only translate.
 */
public final class EmulatorCore {

  static final int MAX_TASK_BYTES = 1024 * 1024;
  static final int MAX_URL_LENGTH = 2083;
  static final int MAX_TASK_PAGE = 1000;
  static final int MAX_QUEUE_PAGE = 9800;
  static final Duration MAX_SCHEDULE_AHEAD = Duration.ofHours(720);

  /** Cloud Tasks keeps a task at most 31 days after its creation, retries included. */
  static final Duration RETENTION = Duration.ofDays(31);

  static final Duration DEFAULT_DEADLINE = Duration.ofMinutes(10);
  static final Duration MIN_DEADLINE = Duration.ofSeconds(15);
  static final Duration MAX_HTTP_DEADLINE = Duration.ofMinutes(30);
  static final Duration MAX_APP_ENGINE_DEADLINE = Duration.ofHours(24).plusSeconds(15);
  private static final Set<String> QUEUE_MASK_OUTPUT_ONLY =
      Set.of("name", "state", "purge_time", "rate_limits.max_burst_size");

  final Settings settings;
  final ConcurrentSkipListMap<String, QueueEntry> queues = new ConcurrentSkipListMap<>();
  private final Map<String, Instant> queueTombstones = new HashMap<>();
  private final SecureRandom random = new SecureRandom();
  private volatile Runnable onChange = () -> {};

  public EmulatorCore(Settings settings) {
    this.settings = settings;
  }

  void onChange(Runnable listener) {
    this.onChange = listener;
  }

  Instant now() {
    return settings.clock().now();
  }

  // ---------------------------------------------------------------- queues

  /** Drops everything, then re-creates the declared queues. */
  public void reset() {
    for (QueueEntry q : queues.values()) {
      synchronized (q) {
        q.deleted = true;
        q.clearTasks();
      }
    }
    queues.clear();
    synchronized (queueTombstones) {
      queueTombstones.clear();
    }
    for (Queue q : settings.declaredQueues()) {
      declare(q);
    }
    onChange.run();
  }

  /** Creates a queue given at start (queue.yaml's bucket_size is kept as max_burst_size). */
  public void declare(Queue queue) {
    Names.QueueName name = Names.queue(queue.getName());
    Queue normalized = QueueConfigs.normalize(queue, true);
    Queue.State state =
        queue.getState() == Queue.State.PAUSED ? Queue.State.PAUSED : Queue.State.RUNNING;
    normalized = normalized.toBuilder().setName(name.name()).setState(state).build();
    queues.put(name.name(), new QueueEntry(name.name(), normalized, now()));
  }

  public Queue createQueue(String parent, Queue queue) {
    Names.Parent p = Names.parent(parent);
    if (queue.getName().isEmpty()) {
      throw Errors.invalid("Queue.name is required: set it to " + p.name() + "/queues/QUEUE_ID.");
    }
    Names.QueueName name = Names.queue(queue.getName());
    if (!name.parent().equals(p)) {
      throw Errors.invalid(
          "The queue name '"
              + queue.getName()
              + "' must be a child of the parent '"
              + parent
              + "' given in the request.");
    }
    Queue normalized =
        QueueConfigs.normalize(queue, false).toBuilder()
            .setName(name.name())
            .setState(Queue.State.RUNNING)
            .clearPurgeTime()
            .build();
    synchronized (queueTombstones) {
      if (queues.containsKey(name.name())) {
        throw Errors.alreadyExists();
      }
      checkQueueTombstone(name.name());
      queues.put(name.name(), new QueueEntry(name.name(), normalized, now()));
    }
    return normalized;
  }

  private void checkQueueTombstone(String name) {
    Instant until = queueTombstones.get(name);
    if (until != null) {
      if (until.isAfter(now())) {
        throw Errors.failedPrecondition(Errors.QUEUE_TOMBSTONED);
      }
      queueTombstones.remove(name);
    }
  }

  public Queue updateQueue(Queue queue, FieldMask mask) {
    if (queue.getName().isEmpty()) {
      throw Errors.invalid(
          "Queue.name is required: set it to projects/PROJECT_ID/locations/LOCATION_ID/queues/QUEUE_ID.");
    }
    Names.QueueName name = Names.queue(queue.getName());
    FieldMask normalizedMask = normalizeMask(mask);
    synchronized (queueTombstones) {
      QueueEntry existing = queues.get(name.name());
      if (existing == null) {
        checkQueueTombstone(name.name());
        Queue merged = merge(Queue.getDefaultInstance(), queue, normalizedMask);
        Queue created =
            QueueConfigs.normalize(merged, false).toBuilder()
                .setName(name.name())
                .setState(Queue.State.RUNNING)
                .clearPurgeTime()
                .build();
        queues.put(name.name(), new QueueEntry(name.name(), created, now()));
        return created;
      }
      Queue updated;
      synchronized (existing) {
        Queue merged = merge(existing.queue, queue, normalizedMask);
        updated =
            QueueConfigs.normalize(merged, false).toBuilder()
                .setName(name.name())
                .setState(existing.queue.getState())
                .build();
        if (existing.queue.hasPurgeTime()) {
          updated = updated.toBuilder().setPurgeTime(existing.queue.getPurgeTime()).build();
        }
        int burst = updated.getRateLimits().getMaxBurstSize();
        existing.tokens = Math.min(existing.tokens, burst);
        existing.queue = updated;
      }
      onChange.run();
      return updated;
    }
  }

  private static Queue merge(Queue base, Queue source, FieldMask mask) {
    if (mask.getPathsCount() == 0) {
      // No mask: every updatable field is replaced, as for a full PUT.
      Queue.Builder b = base.toBuilder();
      b.setAppEngineRoutingOverride(source.getAppEngineRoutingOverride());
      b.setRateLimits(source.getRateLimits());
      b.setRetryConfig(source.getRetryConfig());
      b.setStackdriverLoggingConfig(source.getStackdriverLoggingConfig());
      return b.build();
    }
    Queue.Builder b = base.toBuilder();
    FieldMaskUtil.merge(
        mask,
        source,
        b,
        new FieldMaskUtil.MergeOptions()
            .setReplaceMessageFields(true)
            .setReplaceRepeatedFields(true)
            .setReplacePrimitiveFields(true));
    return b.build();
  }

  private static FieldMask normalizeMask(FieldMask mask) {
    FieldMask.Builder out = FieldMask.newBuilder();
    for (String raw : mask.getPathsList()) {
      for (String path : raw.split(",")) {
        String snake = toSnake(path.trim());
        if (snake.isEmpty()) {
          continue;
        }
        if (!FieldMaskUtil.isValid(Queue.class, snake)) {
          throw Errors.invalid(
              "Invalid update_mask path \""
                  + path
                  + "\": it is not a field of Queue. Valid paths include rate_limits,"
                  + " retry_config, app_engine_routing_override and their subfields.");
        }
        if (!QUEUE_MASK_OUTPUT_ONLY.contains(snake)) {
          out.addPaths(snake);
        }
      }
    }
    return out.build();
  }

  private static String toSnake(String path) {
    StringBuilder sb = new StringBuilder();
    for (char c : path.toCharArray()) {
      if (Character.isUpperCase(c)) {
        sb.append('_').append(Character.toLowerCase(c));
      } else {
        sb.append(c);
      }
    }
    return sb.toString();
  }

  QueueEntry queueEntry(String name) {
    Names.QueueName n = Names.queue(name);
    QueueEntry q = queues.get(n.name());
    if (q == null) {
      throw Errors.notFound(Errors.ENTITY_NOT_FOUND);
    }
    return q;
  }

  public Queue getQueue(String name) {
    QueueEntry q = queueEntry(name);
    synchronized (q) {
      return q.queue;
    }
  }

  public void deleteQueue(String name) {
    QueueEntry q = queueEntry(name);
    synchronized (queueTombstones) {
      if (queues.remove(q.name, q)) {
        Duration ttl = settings.queueTombstoneTtl();
        if (!ttl.isZero() && !ttl.isNegative()) {
          queueTombstones.put(q.name, now().plus(ttl));
        }
      }
    }
    synchronized (q) {
      q.deleted = true;
      q.clearTasks();
    }
    onChange.run();
  }

  public Queue purgeQueue(String name) {
    QueueEntry q = queueEntry(name);
    Instant now = now();
    synchronized (q) {
      for (TaskEntry t : new ArrayList<>(q.tasks.values())) {
        q.remove(t, now, settings.taskTombstoneTtl());
      }
      q.dueHeap.clear();
      q.queue = q.queue.toBuilder().setPurgeTime(Protos.ts(Protos.micros(now))).build();
      return q.queue;
    }
  }

  public Queue setState(String name, Queue.State state) {
    QueueEntry q = queueEntry(name);
    Queue result;
    synchronized (q) {
      q.queue = q.queue.toBuilder().setState(state).build();
      result = q.queue;
    }
    onChange.run();
    return result;
  }

  /** One page of queues. */
  public record QueuePage(List<Queue> queues, String nextPageToken) {}

  public QueuePage listQueues(String parent, String filter, int pageSize, String pageToken) {
    Names.Parent p = Names.parent(parent);
    if (pageSize < 0) {
      throw Errors.invalid("Invalid page_size " + pageSize + ": it must not be negative.");
    }
    int size = pageSize == 0 ? MAX_QUEUE_PAGE : Math.min(pageSize, MAX_QUEUE_PAGE);
    QueueFilter f = QueueFilter.parse(filter);
    String prefix = p.name() + "/queues/";
    String after = pageToken.isEmpty() ? prefix : decodeToken(pageToken, "q:");
    if (!after.startsWith(prefix)) {
      throw invalidToken(pageToken);
    }
    List<Queue> out = new ArrayList<>();
    String last = null;
    boolean more = false;
    for (Map.Entry<String, QueueEntry> e : queues.tailMap(after, false).entrySet()) {
      if (!e.getKey().startsWith(prefix)) {
        break;
      }
      if (out.size() == size) {
        more = true;
        break;
      }
      Queue queue;
      synchronized (e.getValue()) {
        queue = e.getValue().queue;
      }
      last = e.getKey();
      if (f.matches(queue)) {
        out.add(queue);
      }
    }
    return new QueuePage(out, more ? encodeToken("q:" + last) : "");
  }

  private static String encodeToken(String value) {
    return Base64.getUrlEncoder()
        .withoutPadding()
        .encodeToString(value.getBytes(StandardCharsets.UTF_8));
  }

  private static String decodeToken(String token, String kind) {
    try {
      String value = new String(Base64.getUrlDecoder().decode(token), StandardCharsets.UTF_8);
      if (!value.startsWith(kind)) {
        throw invalidToken(token);
      }
      return value.substring(kind.length());
    } catch (IllegalArgumentException e) {
      throw invalidToken(token);
    }
  }

  private static io.grpc.StatusRuntimeException invalidToken(String token) {
    return Errors.invalid(
        "Invalid page_token \""
            + token
            + "\": pass the next_page_token of the previous response unchanged, with the same"
            + " parent and filter.");
  }

  // ---------------------------------------------------------------- IAM

  public Policy getIamPolicy(String resource) {
    QueueEntry q = queueEntry(resource);
    synchronized (q) {
      return q.policy;
    }
  }

  public Policy setIamPolicy(String resource, Policy policy) {
    QueueEntry q = queueEntry(resource);
    synchronized (q) {
      byte[] etag = new byte[8];
      random.nextBytes(etag);
      q.policy = policy.toBuilder().setEtag(ByteString.copyFrom(etag)).build();
      return q.policy;
    }
  }

  // ---------------------------------------------------------------- tasks

  /** The view of a task a response carries: BASIC (the default) hides the body. */
  static Task view(Task stored, Task.View requested) {
    if (requested == Task.View.FULL) {
      return stored.toBuilder().setView(Task.View.FULL).build();
    }
    Task.Builder b = stored.toBuilder().setView(Task.View.BASIC);
    if (b.hasHttpRequest()) {
      b.getHttpRequestBuilder().clearBody();
    }
    if (b.hasAppEngineHttpRequest()) {
      b.getAppEngineHttpRequestBuilder().clearBody();
    }
    return b.build();
  }

  public Task createTask(String parent, Task task, Task.View view) {
    Names.QueueName queueName = Names.queue(parent);
    String id = null;
    if (!task.getName().isEmpty()) {
      String prefix = queueName.name() + "/tasks/";
      int i = task.getName().lastIndexOf("/tasks/");
      if (i >= 0 && !task.getName().startsWith(prefix)) {
        throw Errors.invalid(
            Errors.taskQueueMismatch(queueName.name(), task.getName().substring(0, i)));
      }
      Names.TaskName tn = Names.task(task.getName());
      id = tn.id();
    }
    if (task.getSerializedSize() > MAX_TASK_BYTES) {
      throw Errors.invalid(
          "Task size is "
              + task.getSerializedSize()
              + " bytes; the maximum is "
              + MAX_TASK_BYTES
              + " bytes (1 MiB). Store large payloads elsewhere and pass a reference.");
    }
    Instant now = Protos.micros(now());
    Task.Builder b = task.toBuilder().clearView();
    b.clearDispatchCount().clearResponseCount().clearFirstAttempt().clearLastAttempt();
    validateTarget(b, queueName);
    Instant schedule = now;
    if (task.hasScheduleTime()) {
      Instant requested = Protos.instant(task.getScheduleTime());
      if (requested.isAfter(now.plus(MAX_SCHEDULE_AHEAD))) {
        throw Errors.invalid(Errors.SCHEDULE_TOO_FAR);
      }
      if (requested.isAfter(now)) {
        schedule = Protos.micros(requested);
      }
    }
    QueueEntry q = queues.get(queueName.name());
    if (q == null) {
      throw Errors.notFound(Errors.QUEUE_MISSING_FOR_TASK);
    }
    TaskEntry entry;
    synchronized (q) {
      if (q.deleted) {
        throw Errors.notFound(Errors.QUEUE_MISSING_FOR_TASK);
      }
      if (id == null) {
        do {
          id = generateId();
        } while (q.tasks.containsKey(id) || q.isTombstoned(id, now));
      } else if (q.tasks.containsKey(id) || q.isTombstoned(id, now)) {
        throw Errors.alreadyExists();
      }
      if (b.hasAppEngineHttpRequest()) {
        AppEngineRouting routing =
            q.queue.hasAppEngineRoutingOverride()
                ? q.queue.getAppEngineRoutingOverride()
                : b.getAppEngineHttpRequest().getAppEngineRouting();
        b.getAppEngineHttpRequestBuilder()
            .setAppEngineRouting(routing.toBuilder().setHost(host(routing, queueName.project())));
      }
      Task stored =
          b.setName(queueName.name() + "/tasks/" + id)
              .setScheduleTime(Protos.ts(schedule))
              .setCreateTime(Protos.ts(now))
              .build();
      entry = new TaskEntry(id, stored, schedule);
      q.tasks.put(id, entry);
      q.schedule(entry, schedule);
    }
    onChange.run();
    return view(entry.task, view);
  }

  private String generateId() {
    // The real service hands out long decimal ids; spreading them keeps the TreeMap balanced.
    long v = random.nextLong() & Long.MAX_VALUE;
    return Long.toString(v);
  }

  static String host(AppEngineRouting r, String project) {
    StringBuilder sb = new StringBuilder();
    for (String part : new String[] {r.getInstance(), r.getVersion(), r.getService()}) {
      if (!part.isEmpty()) {
        sb.append(part).append('.');
      }
    }
    return sb.append(project).append(".appspot.com").toString();
  }

  private static void validateTarget(Task.Builder b, Names.QueueName queue) {
    if (b.hasHttpRequest()) {
      HttpRequest.Builder r = b.getHttpRequestBuilder();
      String url = r.getUrl();
      if (url.isEmpty()
          || url.length() > MAX_URL_LENGTH
          || !(url.startsWith("http://") || url.startsWith("https://"))) {
        throw Errors.invalid(Errors.HTTP_URL_REQUIRED);
      }
      try {
        URI uri = new URI(url);
        if (uri.getHost() == null) {
          throw new URISyntaxException(url, "no host");
        }
      } catch (URISyntaxException e) {
        throw Errors.invalid(
            "HttpRequest.url \"" + url + "\" is not a valid URL: " + e.getMessage() + ".");
      }
      if (r.getHttpMethod() == HttpMethod.HTTP_METHOD_UNSPECIFIED) {
        r.setHttpMethod(HttpMethod.POST);
      }
      if (r.getHttpMethod() == HttpMethod.UNRECOGNIZED) {
        throw Errors.invalid("HttpRequest.httpMethod is not a known HTTP method.");
      }
      HttpMethod m = r.getHttpMethod();
      if (!r.getBody().isEmpty()
          && m != HttpMethod.POST
          && m != HttpMethod.PUT
          && m != HttpMethod.PATCH) {
        throw Errors.invalid(
            "HttpRequest.body is only allowed for POST, PUT and PATCH; this task uses "
                + m
                + ". Remove the body or change the method.");
      }
      if (r.hasOidcToken() && r.hasOauthToken()) {
        throw Errors.invalid("HttpRequest can carry an oidc_token or an oauth_token, not both.");
      }
      checkDeadline(b, MAX_HTTP_DEADLINE, Errors.HTTP_DEADLINE);
    } else if (b.hasAppEngineHttpRequest()) {
      AppEngineHttpRequest.Builder r = b.getAppEngineHttpRequestBuilder();
      if (r.getRelativeUri().isEmpty()) {
        r.setRelativeUri("/");
      }
      if (!r.getRelativeUri().startsWith("/")) {
        throw Errors.invalid(
            "AppEngineHttpRequest.relativeUri \""
                + r.getRelativeUri()
                + "\" must begin with \"/\", for example /tasks/handler.");
      }
      if (r.getRelativeUri().length() > MAX_URL_LENGTH) {
        throw Errors.invalid(
            "AppEngineHttpRequest.relativeUri is longer than " + MAX_URL_LENGTH + " characters.");
      }
      if (r.getHttpMethod() == HttpMethod.HTTP_METHOD_UNSPECIFIED) {
        r.setHttpMethod(HttpMethod.POST);
      }
      if (r.getHttpMethod() == HttpMethod.UNRECOGNIZED) {
        throw Errors.invalid("AppEngineHttpRequest.httpMethod is not a known HTTP method.");
      }
      HttpMethod m = r.getHttpMethod();
      if (!r.getBody().isEmpty() && m != HttpMethod.POST && m != HttpMethod.PUT) {
        throw Errors.invalid(
            "AppEngineHttpRequest.body is only allowed for POST and PUT; this task uses "
                + m
                + ". Remove the body or change the method.");
      }
      checkDeadline(b, MAX_APP_ENGINE_DEADLINE, Errors.APP_ENGINE_DEADLINE);
    } else {
      throw Errors.invalid(
          "Task.message_type is required: set http_request or app_engine_http_request.");
    }
  }

  private static void checkDeadline(Task.Builder b, Duration max, String message) {
    if (!b.hasDispatchDeadline()) {
      b.setDispatchDeadline(Protos.duration(DEFAULT_DEADLINE));
      return;
    }
    Duration d = Protos.duration(b.getDispatchDeadline());
    if (d.compareTo(MIN_DEADLINE) < 0 || d.compareTo(max) > 0) {
      throw Errors.invalid(message);
    }
  }

  /** Finds a live task or throws the right NOT_FOUND. Call with the queue's lock held. */
  TaskEntry liveTask(QueueEntry q, Names.TaskName name) {
    TaskEntry t = q.tasks.get(name.id());
    if (t == null || t.removed) {
      if (q.isTombstoned(name.id(), now())) {
        throw Errors.notFound(Errors.TASK_TOMBSTONED);
      }
      throw Errors.notFound(Errors.ENTITY_NOT_FOUND);
    }
    return t;
  }

  QueueEntry queueOfTask(Names.TaskName name) {
    QueueEntry q = queues.get(name.queue().name());
    if (q == null) {
      throw Errors.notFound(Errors.ENTITY_NOT_FOUND);
    }
    return q;
  }

  public Task getTask(String name, Task.View view) {
    Names.TaskName tn = Names.task(name);
    QueueEntry q = queueOfTask(tn);
    synchronized (q) {
      return view(liveTask(q, tn).task, view);
    }
  }

  public void deleteTask(String name) {
    Names.TaskName tn = Names.task(name);
    QueueEntry q = queueOfTask(tn);
    synchronized (q) {
      TaskEntry t = liveTask(q, tn);
      q.remove(t, now(), settings.taskTombstoneTtl());
    }
    onChange.run();
  }

  /** One page of tasks. */
  public record TaskPage(List<Task> tasks, String nextPageToken) {}

  public TaskPage listTasks(String parent, Task.View view, int pageSize, String pageToken) {
    QueueEntry q = queueEntry(parent);
    if (pageSize < 0) {
      throw Errors.invalid("Invalid page_size " + pageSize + ": it must not be negative.");
    }
    int size = pageSize == 0 ? MAX_TASK_PAGE : Math.min(pageSize, MAX_TASK_PAGE);
    String after = pageToken.isEmpty() ? null : decodeToken(pageToken, "t:" + q.name + "/");
    List<Task> out = new ArrayList<>(Math.min(size, 64));
    boolean more = false;
    String last = null;
    synchronized (q) {
      Iterator<TaskEntry> it =
          (after == null ? q.tasks : q.tasks.tailMap(after, false)).values().iterator();
      while (it.hasNext()) {
        TaskEntry t = it.next();
        if (out.size() == size) {
          more = true;
          break;
        }
        out.add(view(t.task, view));
        last = t.id;
      }
    }
    return new TaskPage(out, more ? encodeToken("t:" + q.name + "/" + last) : "");
  }

  /** Expires old queue tombstones; task tombstones expire lazily per queue. */
  void expireQueueTombstones(Instant now) {
    synchronized (queueTombstones) {
      queueTombstones.values().removeIf(until -> !until.isAfter(now));
    }
  }
}
