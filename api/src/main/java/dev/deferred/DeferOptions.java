package dev.deferred;

import java.lang.annotation.Annotation;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.regex.Pattern;

/**
 * Options of one deferred call: queue, schedule, task name, routing, transaction, retries.
 *
 * <p>Immutable and thread-safe: every method returns a new instance, so an options value can be
 * kept in a constant and refined per call. Start from {@link #defaults()} or {@link
 * #queue(String)}:
 *
 * <pre>{@code
 * static final DeferOptions REPORTS = DeferOptions.queue("reports").maxAttempts(5);
 *
 * deferrer.defer(ReportService.class, r -> r.generate(id, month),
 *     REPORTS.countdown(Duration.ofMinutes(5)).name("report-" + id));
 * }</pre>
 *
 * <p>Every option has a djangae {@code defer()} counterpart or answers a question djangae left
 * open; the migration guide in the documentation maps them one to one. Invalid values are rejected
 * when the option is set, with an {@link IllegalArgumentException} that names the option, the value
 * and the rule.
 */
public final class DeferOptions {

  /** The queue used when none is given: {@value}. */
  public static final String DEFAULT_QUEUE = "default";

  /** The furthest ahead Cloud Tasks accepts a schedule time: 720 hours. */
  private static final Duration MAX_SCHEDULE_AHEAD = Duration.ofHours(720);

  /** The longest {@link #maxAge(Duration)}. */
  private static final Duration MAX_AGE_LIMIT = Duration.ofDays(365);

  private static final Pattern QUEUE_ID = Pattern.compile("[A-Za-z0-9-]{1,100}");
  private static final Pattern TASK_ID = Pattern.compile("[A-Za-z0-9_-]{1,500}");
  private static final Pattern ROUTING = Pattern.compile("[a-z0-9][a-z0-9-]{0,62}");
  private static final Pattern HEADER_NAME = Pattern.compile("[!#$%&'*+.^_`|~0-9A-Za-z-]+");
  private static final Duration MIN_DISPATCH_DEADLINE = Duration.ofSeconds(15);
  private static final Duration MAX_DISPATCH_DEADLINE = Duration.ofHours(24);
  private static final DeferOptions DEFAULTS =
      new DeferOptions(
          DEFAULT_QUEUE,
          null,
          null,
          null,
          null,
          null,
          null,
          null,
          false,
          EntityArguments.REFERENCE,
          Map.of(),
          null,
          null,
          0,
          null,
          false,
          List.of());

  private final String queue;
  private final Instant eta;
  private final Duration countdown;
  private final String name;
  private final String service;
  private final String version;
  private final String instance;
  private final Boolean transactional;
  private final boolean smallTask;
  private final EntityArguments entityArguments;
  private final Map<String, String> headers;
  private final URI handlerUrl;
  private final Duration dispatchDeadline;
  private final int maxAttempts;
  private final Duration maxAge;
  private final boolean failOnDuplicate;
  private final List<Annotation> qualifiers;

  private DeferOptions(
      String queue,
      Instant eta,
      Duration countdown,
      String name,
      String service,
      String version,
      String instance,
      Boolean transactional,
      boolean smallTask,
      EntityArguments entityArguments,
      Map<String, String> headers,
      URI handlerUrl,
      Duration dispatchDeadline,
      int maxAttempts,
      Duration maxAge,
      boolean failOnDuplicate,
      List<Annotation> qualifiers) {
    this.queue = queue;
    this.eta = eta;
    this.countdown = countdown;
    this.name = name;
    this.service = service;
    this.version = version;
    this.instance = instance;
    this.transactional = transactional;
    this.smallTask = smallTask;
    this.entityArguments = entityArguments;
    this.headers = headers;
    this.handlerUrl = handlerUrl;
    this.dispatchDeadline = dispatchDeadline;
    this.maxAttempts = maxAttempts;
    this.maxAge = maxAge;
    this.failOnDuplicate = failOnDuplicate;
    this.qualifiers = qualifiers;
  }

  private Builder copy() {
    return new Builder(this);
  }

  /**
   * The default options: queue {@value #DEFAULT_QUEUE}, run as soon as possible, an automatic task
   * name, routed to the running version, transactional when a JTA transaction is active, entities
   * as references, the queue's own retry settings.
   *
   * @return the default options
   */
  public static DeferOptions defaults() {
    return DEFAULTS;
  }

  /**
   * Default options on the given queue (djangae's {@code _queue}).
   *
   * @param queue a queue id configured under {@code deferred.queues.<id>} (letters, digits and
   *     hyphens, at most 100 characters)
   * @return options on that queue
   * @throws IllegalArgumentException if the id is not a valid Cloud Tasks queue id
   */
  public static DeferOptions queue(String queue) {
    return DEFAULTS.onQueue(queue);
  }

  /**
   * Returns these options on another queue (djangae's {@code _queue}).
   *
   * @param queue a queue id configured under {@code deferred.queues.<id>}
   * @return new options
   * @throws IllegalArgumentException if the id is not a valid Cloud Tasks queue id
   */
  public DeferOptions onQueue(String queue) {
    Objects.requireNonNull(queue, "queue");
    if (!QUEUE_ID.matcher(queue).matches()) {
      throw new IllegalArgumentException(
          "Invalid queue id '"
              + queue
              + "': use 1 to 100 letters, digits or hyphens, as Cloud Tasks requires");
    }
    Builder b = copy();
    b.queue = queue;
    return b.build();
  }

  /**
   * Returns these options with a schedule time (djangae's {@code _eta}). A {@link
   * #countdown(Duration) countdown} set on the same options wins. A time in the past means "now". A
   * time more than 720 hours (30 days) after the defer, which Cloud Tasks refuses, fails the defer
   * at the call site with an {@link IllegalArgumentException}.
   *
   * @param eta the earliest time the task may run
   * @return new options
   */
  public DeferOptions eta(Instant eta) {
    Builder b = copy();
    b.eta = Objects.requireNonNull(eta, "eta");
    return b.build();
  }

  /**
   * Returns these options with a delay from the moment of enqueueing (djangae's {@code
   * _countdown}); it overrides {@link #eta(Instant)}. For a transactional defer the delay counts
   * from the commit.
   *
   * @param countdown a non-negative delay, at most 720 hours (30 days), the furthest Cloud Tasks
   *     schedules a task
   * @return new options
   * @throws IllegalArgumentException if the delay is negative or longer than 720 hours
   */
  public DeferOptions countdown(Duration countdown) {
    Objects.requireNonNull(countdown, "countdown");
    if (countdown.isNegative()) {
      throw new IllegalArgumentException(
          "Invalid countdown " + countdown + ": it must not be negative");
    }
    if (countdown.compareTo(MAX_SCHEDULE_AHEAD) > 0) {
      throw new IllegalArgumentException(
          "Invalid countdown "
              + countdown
              + ": it must be at most 720 hours (30 days), the furthest Cloud Tasks schedules a"
              + " task");
    }
    Builder b = copy();
    b.countdown = countdown;
    return b.build();
  }

  /**
   * Returns these options with a task name (djangae's {@code _name}). Cloud Tasks refuses a second
   * task with the same name on the same queue for about an hour after the first was created,
   * completed or deleted; the second defer then reports {@link DeferredTask#isDuplicate()} (or
   * throws {@link DuplicateTaskException} with {@link #failOnDuplicate()}). Prefer names that do
   * not start with a sequential prefix: Cloud Tasks distributes hashed names better.
   *
   * @param name the task id: letters, digits, underscores and hyphens, at most 500 characters
   * @return new options
   * @throws IllegalArgumentException if the name is not a valid Cloud Tasks task id
   */
  public DeferOptions name(String name) {
    Objects.requireNonNull(name, "name");
    if (!TASK_ID.matcher(name).matches()) {
      throw new IllegalArgumentException(
          "Invalid task name '"
              + name
              + "': use 1 to 500 letters, digits, underscores or hyphens, as Cloud Tasks requires");
    }
    Builder b = copy();
    b.name = name;
    return b.build();
  }

  /**
   * Returns these options routed to an App Engine service (djangae's {@code _target}). Only
   * meaningful for App Engine targets (cloud mode without {@code deferred.handler.url}).
   *
   * @param service the App Engine service id
   * @return new options
   * @throws IllegalArgumentException if the id is not a valid App Engine service id
   */
  public DeferOptions service(String service) {
    Builder b = copy();
    b.service = routing("service", service);
    return b.build();
  }

  /**
   * Returns these options routed to an App Engine version (djangae's {@code _target}). When not
   * set, the task goes to the version that enqueued it ({@code GAE_VERSION}), as in djangae, so
   * that it is not served by other code.
   *
   * @param version the App Engine version id
   * @return new options
   * @throws IllegalArgumentException if the id is not a valid App Engine version id
   */
  public DeferOptions version(String version) {
    Builder b = copy();
    b.version = routing("version", version);
    return b.build();
  }

  /**
   * Returns these options routed to one App Engine instance (djangae's {@code _target}).
   *
   * @param instance the App Engine instance id
   * @return new options
   * @throws IllegalArgumentException if the id is not a valid App Engine instance id
   */
  public DeferOptions instance(String instance) {
    Builder b = copy();
    b.instance = routing("instance", instance);
    return b.build();
  }

  /**
   * Returns these options with an explicit transaction choice (djangae's {@code _transactional}).
   * {@code true}: enqueue after the active JTA transaction commits, nothing on rollback; deferring
   * without an active transaction then throws {@link IllegalStateException}. {@code false}: enqueue
   * now, even inside a transaction. When not set: transactional exactly when a JTA transaction is
   * active.
   *
   * @param transactional whether the task is tied to the active transaction
   * @return new options
   */
  public DeferOptions transactional(boolean transactional) {
    Builder b = copy();
    b.transactional = transactional;
    return b.build();
  }

  /**
   * Returns these options marked as a small task (djangae's {@code _small_task}): the payload
   * always travels inside the task and never goes to the payload store; a payload over the
   * small-task limit fails at the call site with {@link TaskEncodingException}.
   *
   * @return new options
   */
  public DeferOptions smallTask() {
    Builder b = copy();
    b.smallTask = true;
    return b.build();
  }

  /**
   * Returns these options with a choice of how JPA entity arguments travel (the answer to djangae's
   * {@code _wipe_related_caches}). Default: {@link EntityArguments#REFERENCE}.
   *
   * @param entityArguments how entity arguments travel
   * @return new options
   */
  public DeferOptions entityArguments(EntityArguments entityArguments) {
    Builder b = copy();
    b.entityArguments = Objects.requireNonNull(entityArguments, "entityArguments");
    return b.build();
  }

  /**
   * Returns these options with an extra HTTP header on the task request (djangae's {@code
   * _headers}). Headers reserved by Cloud Tasks or the library ({@code X-CloudTasks-*}, {@code
   * X-AppEngine-*}, {@code X-Deferred-*}, {@code Authorization}, {@code Host}, {@code
   * Content-Type}, {@code Content-Length}, {@code User-Agent}) are rejected.
   *
   * @param name the header name
   * @param value the header value
   * @return new options
   * @throws IllegalArgumentException if the name is not a valid header name or is reserved
   */
  public DeferOptions header(String name, String value) {
    Objects.requireNonNull(name, "header name");
    Objects.requireNonNull(value, "header value");
    if (!HEADER_NAME.matcher(name).matches()) {
      throw new IllegalArgumentException("Invalid header name '" + name + "'");
    }
    String lower = name.toLowerCase(Locale.ROOT);
    if (lower.startsWith("x-cloudtasks-")
        || lower.startsWith("x-appengine-")
        || lower.startsWith("x-deferred-")
        || List.of("authorization", "host", "content-type", "content-length", "user-agent")
            .contains(lower)) {
      throw new IllegalArgumentException(
          "Header '" + name + "' is reserved by Cloud Tasks or by Deferred: choose another name");
    }
    Builder b = copy();
    Map<String, String> h = new LinkedHashMap<>(headers);
    h.put(name, value);
    b.headers = Collections.unmodifiableMap(h);
    return b.build();
  }

  /**
   * Returns these options sending the task to another handler URL (djangae's {@code _url}). An
   * absolute {@code http(s)} URL makes an HTTP target; a path starting with {@code /} makes an App
   * Engine target with that relative URI. The handler there must be a Deferred handler of an
   * application that shares the signing keys.
   *
   * @param handlerUrl an absolute http(s) URL or an absolute path
   * @return new options
   * @throws IllegalArgumentException if the URL is neither
   */
  public DeferOptions handlerUrl(URI handlerUrl) {
    Objects.requireNonNull(handlerUrl, "handlerUrl");
    boolean http =
        handlerUrl.isAbsolute()
            && ("http".equals(handlerUrl.getScheme()) || "https".equals(handlerUrl.getScheme()));
    boolean path = !handlerUrl.isAbsolute() && handlerUrl.getPath().startsWith("/");
    if (!http && !path) {
      throw new IllegalArgumentException(
          "Invalid handler URL '"
              + handlerUrl
              + "': use an absolute http(s) URL or a path starting with '/'");
    }
    Builder b = copy();
    b.handlerUrl = handlerUrl;
    return b.build();
  }

  /**
   * Returns these options with a dispatch deadline: how long Cloud Tasks waits for the handler's
   * response before it counts the attempt as failed. Cloud Tasks allows 15 seconds to 30 minutes
   * for HTTP targets and up to 24 hours for App Engine targets; its default is 10 minutes.
   *
   * @param dispatchDeadline between 15 seconds and 24 hours
   * @return new options
   * @throws IllegalArgumentException if out of range
   */
  public DeferOptions dispatchDeadline(Duration dispatchDeadline) {
    Objects.requireNonNull(dispatchDeadline, "dispatchDeadline");
    if (dispatchDeadline.compareTo(MIN_DISPATCH_DEADLINE) < 0
        || dispatchDeadline.compareTo(MAX_DISPATCH_DEADLINE) > 0) {
      throw new IllegalArgumentException(
          "Invalid dispatch deadline "
              + dispatchDeadline
              + ": it must be between 15 seconds and 24 hours");
    }
    Builder b = copy();
    b.dispatchDeadline = dispatchDeadline;
    return b.build();
  }

  /**
   * Returns these options with a per-task limit on attempts (djangae's {@code _retry_options},
   * which djangae accepted but never applied). Cloud Tasks only has retry settings per queue, so
   * the handler enforces this one: when attempt number {@code maxAttempts} fails, the task is
   * recorded as failed and answered with 2xx so Cloud Tasks stops retrying. The queue's own limit
   * still applies if it is lower.
   *
   * @param maxAttempts the total number of attempts, at least 1
   * @return new options
   * @throws IllegalArgumentException if {@code maxAttempts < 1}
   */
  public DeferOptions maxAttempts(int maxAttempts) {
    if (maxAttempts < 1) {
      throw new IllegalArgumentException(
          "Invalid maxAttempts " + maxAttempts + ": it must be at least 1");
    }
    Builder b = copy();
    b.maxAttempts = maxAttempts;
    return b.build();
  }

  /**
   * Returns these options with a per-task age limit, enforced by the handler: an attempt that
   * starts later than {@code maxAge} after the time the task was scheduled to run is not run; the
   * task is recorded as failed and Cloud Tasks stops retrying. The scheduled time is the {@link
   * #eta(Instant) eta}, or the defer plus the {@link #countdown(Duration) countdown}, or the defer
   * itself; for a transactional defer with a countdown it is the defer call plus the countdown, so
   * the window can close earlier by as long as the transaction lasted.
   *
   * @param maxAge a positive duration of at most 365 days (Cloud Tasks keeps a task for at most 31
   *     days, so a longer limit never applies)
   * @return new options
   * @throws IllegalArgumentException if not positive or longer than 365 days
   */
  public DeferOptions maxAge(Duration maxAge) {
    Objects.requireNonNull(maxAge, "maxAge");
    if (maxAge.isZero() || maxAge.isNegative()) {
      throw new IllegalArgumentException("Invalid maxAge " + maxAge + ": it must be positive");
    }
    if (maxAge.compareTo(MAX_AGE_LIMIT) > 0) {
      throw new IllegalArgumentException(
          "Invalid maxAge "
              + maxAge
              + ": it must be at most 365 days (Cloud Tasks keeps a task for at most 31 days, so a"
              + " longer limit never applies)");
    }
    Builder b = copy();
    b.maxAge = maxAge;
    return b.build();
  }

  /**
   * Returns these options asking for a {@link DuplicateTaskException} when a task with the same
   * {@link #name(String) name} exists. Without it a duplicate is reported by {@link
   * DeferredTask#isDuplicate()}, which is what de-duplication usually wants. For a transactional
   * defer the duplicate is only known after commit: it is logged, never thrown.
   *
   * @return new options
   */
  public DeferOptions failOnDuplicate() {
    Builder b = copy();
    b.failOnDuplicate = true;
    return b.build();
  }

  /**
   * Returns these options with the CDI qualifiers of the bean to call. Each must be a qualifier
   * annotation whose members are primitives, strings, enums or classes (or arrays of them), so that
   * it can travel in the payload; an {@code AnnotationLiteral} subclass is the usual way to create
   * one. Replaces any qualifiers set before.
   *
   * @param qualifiers the qualifiers; none means {@code @Default}
   * @return new options
   */
  public DeferOptions qualifiers(Annotation... qualifiers) {
    Builder b = copy();
    List<Annotation> q = new ArrayList<>();
    for (Annotation a : qualifiers) {
      q.add(Objects.requireNonNull(a, "qualifier"));
    }
    b.qualifiers = List.copyOf(q);
    return b.build();
  }

  /**
   * The queue id.
   *
   * @return the queue id, {@value #DEFAULT_QUEUE} unless set
   */
  public String queue() {
    return queue;
  }

  /**
   * The schedule time, if set.
   *
   * @return the schedule time
   */
  public Optional<Instant> eta() {
    return Optional.ofNullable(eta);
  }

  /**
   * The delay, if set.
   *
   * @return the delay
   */
  public Optional<Duration> countdown() {
    return Optional.ofNullable(countdown);
  }

  /**
   * The task name, if set; otherwise Cloud Tasks picks one.
   *
   * @return the task name
   */
  public Optional<String> name() {
    return Optional.ofNullable(name);
  }

  /**
   * The App Engine service, if set.
   *
   * @return the service
   */
  public Optional<String> service() {
    return Optional.ofNullable(service);
  }

  /**
   * The App Engine version, if set.
   *
   * @return the version
   */
  public Optional<String> version() {
    return Optional.ofNullable(version);
  }

  /**
   * The App Engine instance, if set.
   *
   * @return the instance
   */
  public Optional<String> instance() {
    return Optional.ofNullable(instance);
  }

  /**
   * The explicit transaction choice; empty means "transactional when a JTA transaction is active".
   *
   * @return the transaction choice
   */
  public Optional<Boolean> transactional() {
    return Optional.ofNullable(transactional);
  }

  /**
   * Whether the payload must travel inside the task.
   *
   * @return {@code true} for a small task
   */
  public boolean isSmallTask() {
    return smallTask;
  }

  /**
   * How JPA entity arguments travel.
   *
   * @return {@link EntityArguments#REFERENCE} unless set
   */
  public EntityArguments entityArguments() {
    return entityArguments;
  }

  /**
   * The extra headers, in the order they were added.
   *
   * @return an unmodifiable map, empty unless set
   */
  public Map<String, String> headers() {
    return headers;
  }

  /**
   * The handler URL, if set; otherwise the application's configured handler.
   *
   * @return the handler URL
   */
  public Optional<URI> handlerUrl() {
    return Optional.ofNullable(handlerUrl);
  }

  /**
   * The dispatch deadline, if set; otherwise Cloud Tasks' default.
   *
   * @return the dispatch deadline
   */
  public Optional<Duration> dispatchDeadline() {
    return Optional.ofNullable(dispatchDeadline);
  }

  /**
   * The per-task attempt limit, if set.
   *
   * @return the attempt limit
   */
  public OptionalInt maxAttempts() {
    return maxAttempts == 0 ? OptionalInt.empty() : OptionalInt.of(maxAttempts);
  }

  /**
   * The per-task age limit, if set.
   *
   * @return the age limit
   */
  public Optional<Duration> maxAge() {
    return Optional.ofNullable(maxAge);
  }

  /**
   * Whether a duplicate task name throws {@link DuplicateTaskException}.
   *
   * @return {@code true} if asked for with {@link #failOnDuplicate()}
   */
  public boolean isFailOnDuplicate() {
    return failOnDuplicate;
  }

  /**
   * The qualifiers of the bean to call.
   *
   * @return an unmodifiable list, empty for {@code @Default}
   */
  public List<Annotation> qualifiers() {
    return qualifiers;
  }

  private static String routing(String what, String value) {
    Objects.requireNonNull(value, what);
    if (!ROUTING.matcher(value).matches()) {
      throw new IllegalArgumentException(
          "Invalid App Engine "
              + what
              + " '"
              + value
              + "': use 1 to 63 lowercase letters, digits or hyphens, starting with a letter or"
              + " digit");
    }
    return value;
  }

  @Override
  public boolean equals(Object o) {
    if (this == o) {
      return true;
    }
    if (!(o instanceof DeferOptions)) {
      return false;
    }
    DeferOptions that = (DeferOptions) o;
    return smallTask == that.smallTask
        && maxAttempts == that.maxAttempts
        && failOnDuplicate == that.failOnDuplicate
        && queue.equals(that.queue)
        && Objects.equals(eta, that.eta)
        && Objects.equals(countdown, that.countdown)
        && Objects.equals(name, that.name)
        && Objects.equals(service, that.service)
        && Objects.equals(version, that.version)
        && Objects.equals(instance, that.instance)
        && Objects.equals(transactional, that.transactional)
        && entityArguments == that.entityArguments
        && headers.equals(that.headers)
        && Objects.equals(handlerUrl, that.handlerUrl)
        && Objects.equals(dispatchDeadline, that.dispatchDeadline)
        && Objects.equals(maxAge, that.maxAge)
        && qualifiers.equals(that.qualifiers);
  }

  @Override
  public int hashCode() {
    return Objects.hash(
        queue,
        eta,
        countdown,
        name,
        service,
        version,
        instance,
        transactional,
        smallTask,
        entityArguments,
        headers,
        handlerUrl,
        dispatchDeadline,
        maxAttempts,
        maxAge,
        failOnDuplicate,
        qualifiers);
  }

  @Override
  public String toString() {
    StringBuilder s = new StringBuilder("DeferOptions[queue=").append(queue);
    append(s, "eta", eta);
    append(s, "countdown", countdown);
    append(s, "name", name);
    append(s, "service", service);
    append(s, "version", version);
    append(s, "instance", instance);
    append(s, "transactional", transactional);
    if (smallTask) {
      s.append(", smallTask");
    }
    if (entityArguments != EntityArguments.REFERENCE) {
      s.append(", entityArguments=").append(entityArguments);
    }
    if (!headers.isEmpty()) {
      s.append(", headers=").append(headers);
    }
    append(s, "handlerUrl", handlerUrl);
    append(s, "dispatchDeadline", dispatchDeadline);
    if (maxAttempts != 0) {
      s.append(", maxAttempts=").append(maxAttempts);
    }
    append(s, "maxAge", maxAge);
    if (failOnDuplicate) {
      s.append(", failOnDuplicate");
    }
    if (!qualifiers.isEmpty()) {
      s.append(", qualifiers=").append(qualifiers);
    }
    return s.append(']').toString();
  }

  private static void append(StringBuilder s, String key, Object value) {
    if (value != null) {
      s.append(", ").append(key).append('=').append(value);
    }
  }

  /** Mutable copy used only inside this class, so each public method stays one line of intent. */
  private static final class Builder {
    String queue;
    Instant eta;
    Duration countdown;
    String name;
    String service;
    String version;
    String instance;
    Boolean transactional;
    boolean smallTask;
    EntityArguments entityArguments;
    Map<String, String> headers;
    URI handlerUrl;
    Duration dispatchDeadline;
    int maxAttempts;
    Duration maxAge;
    boolean failOnDuplicate;
    List<Annotation> qualifiers;

    Builder(DeferOptions o) {
      queue = o.queue;
      eta = o.eta;
      countdown = o.countdown;
      name = o.name;
      service = o.service;
      version = o.version;
      instance = o.instance;
      transactional = o.transactional;
      smallTask = o.smallTask;
      entityArguments = o.entityArguments;
      headers = o.headers;
      handlerUrl = o.handlerUrl;
      dispatchDeadline = o.dispatchDeadline;
      maxAttempts = o.maxAttempts;
      maxAge = o.maxAge;
      failOnDuplicate = o.failOnDuplicate;
      qualifiers = o.qualifiers;
    }

    DeferOptions build() {
      return new DeferOptions(
          queue,
          eta,
          countdown,
          name,
          service,
          version,
          instance,
          transactional,
          smallTask,
          entityArguments,
          headers,
          handlerUrl,
          dispatchDeadline,
          maxAttempts,
          maxAge,
          failOnDuplicate,
          qualifiers);
    }
  }
}
