package dev.deferred.impl.iteration;

import dev.deferred.DeferOptions;
import dev.deferred.DeferredCall;
import dev.deferred.IterationOptions;
import dev.deferred.IterationProgress;
import dev.deferred.IterationQuery;
import dev.deferred.KeyRangeStrategy;
import dev.deferred.KeyRangeStrategy.KeyRange;
import dev.deferred.PermanentTaskFailure;
import dev.deferred.RowCallback;
import dev.deferred.SingularTaskFailure;
import dev.deferred.TaskContext;
import dev.deferred.impl.Library;
import dev.deferred.impl.codec.DecodedTask;
import dev.deferred.impl.codec.DeferredInvocation;
import dev.deferred.impl.codec.JpaEntityReferences;
import dev.deferred.impl.codec.PayloadCodec;
import dev.deferred.impl.config.DeferredConfig;
import dev.deferred.impl.config.Durations;
import dev.deferred.impl.defer.Bypass;
import dev.deferred.impl.defer.CallRecorder;
import dev.deferred.impl.defer.DeferrerImpl;
import dev.deferred.impl.handler.TaskHandler;
import dev.deferred.impl.handler.TaskState;
import dev.deferred.impl.iteration.Persistence.EntityInfo;
import dev.deferred.impl.store.IterationMarker;
import dev.deferred.impl.store.MarkerStore;
import dev.deferred.impl.transaction.JtaTransactions;
import dev.deferred.impl.transaction.TransactionalAnnotation;
import jakarta.annotation.PostConstruct;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.spi.Bean;
import jakarta.enterprise.inject.spi.BeanManager;
import jakarta.inject.Inject;
import jakarta.json.bind.Jsonb;
import jakarta.json.bind.JsonbBuilder;
import jakarta.persistence.EntityManager;
import jakarta.persistence.Parameter;
import jakarta.persistence.Query;
import java.lang.reflect.Constructor;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Type;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.eclipse.microprofile.config.ConfigProvider;

/**
 * The iteration engine: the call-site checks and encoding, and the work of the planning, shard and
 * finalize tasks. See {@link dev.deferred.IterationService} for the behaviour it implements.
 */
@ApplicationScoped
public class IterationEngine {
  private static final Logger LOG = Logger.getLogger(IterationEngine.class.getName());

  /** Configuration key of the slow-callback warning threshold. */
  public static final String SLOW_CALLBACK_KEY = "deferred.iteration.slow-callback";

  /** Configuration key of the default persistence unit. */
  public static final String PERSISTENCE_UNIT_KEY = "deferred.iteration.persistence-unit";

  /** Default slow-callback threshold. */
  public static final Duration DEFAULT_SLOW_CALLBACK = Duration.ofSeconds(30);

  /** A finalize claim older than this is void: its task died without releasing it. */
  static final Duration FINALIZE_LEASE = Duration.ofMinutes(30);

  private static final Type RANGES =
      new ArrayList<EncodedRange>() {}.getClass().getGenericSuperclass();

  /** One shard's range in the marker's plan. */
  public record EncodedRange(String lower, String upper) {}

  @Inject BeanManager beanManager;
  @Inject @Library DeferredConfig config;
  @Inject @Library MarkerStore markerStore;
  @Inject DeferrerImpl recorder;
  @Inject IterationDefers defers;
  @Inject TaskState taskState;
  @Inject TaskContext taskContext;

  private Jsonb jsonb;
  private Values values;
  private Persistence persistence;
  private JtaTransactions transactions;
  private Duration slowCallback;
  private Optional<String> configuredUnit;
  private final Clock clock = Clock.systemUTC();

  @PostConstruct
  void init() {
    jsonb = JsonbBuilder.create();
    values = new Values(jsonb);
    persistence = new Persistence(beanManager);
    transactions = new JtaTransactions(beanManager);
    var mpConfig = ConfigProvider.getConfig();
    String slow = mpConfig.getOptionalValue(SLOW_CALLBACK_KEY, String.class).orElse(null);
    try {
      slowCallback = slow == null ? DEFAULT_SLOW_CALLBACK : Durations.parse(slow);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(IterationMessages.invalidSlowCallback(slow), e);
    }
    configuredUnit = mpConfig.getOptionalValue(PERSISTENCE_UNIT_KEY, String.class);
  }

  @PreDestroy
  void close() {
    try {
      jsonb.close();
    } catch (Exception e) {
      LOG.log(Level.FINE, "Closing JSON-B failed", e);
    }
  }

  private MarkerStore markers() {
    return markerStore;
  }

  private ClassLoader loader() {
    ClassLoader l = Thread.currentThread().getContextClassLoader();
    return l != null ? l : IterationEngine.class.getClassLoader();
  }

  private Optional<String> unit(String unit) {
    return unit != null ? Optional.of(unit) : configuredUnit;
  }

  private EntityManager entityManager(Class<?> entityType, String unit) {
    return persistence.entityManager(entityType, unit(unit));
  }

  private PayloadCodec codec(Class<?> entityType, String unit) {
    return new PayloadCodec(jsonb, new JpaEntityReferences(() -> entityManager(entityType, unit)));
  }

  // ---------------------------------------------------------------------------------------------
  // The call site

  /** Checks and encodes everything, then defers the planning task. */
  public <E, T> IterationHandle start(
      IterationQuery<E> query,
      Class<T> beanType,
      RowCallback<T, E> callback,
      DeferredCall<T> finalize,
      IterationOptions options) {
    IterationSpec spec = spec(query, beanType, callback, finalize, options);
    return new IterationHandle(spec.id(), defers.plan(spec, options.transactional()));
  }

  /** Checks and encodes everything the tasks need; defers nothing. */
  public <E, T> IterationSpec spec(
      IterationQuery<E> query,
      Class<T> beanType,
      RowCallback<T, E> callback,
      DeferredCall<T> finalize,
      IterationOptions options) {
    Class<E> entityType = query.entityType();
    for (String name : query.parameters().keySet()) {
      if (name.startsWith(Queries.PREFIX)) {
        throw new IllegalArgumentException(IterationMessages.reservedParameter(name));
      }
    }
    requireBean(beanType);
    E placeholder = placeholder(entityType);
    CallRecorder.Call row = recorder.record(beanType, bean -> callback.call(bean, placeholder));
    int rowArgument = -1;
    for (int i = 0; i < row.arguments().length; i++) {
      if (row.arguments()[i] == placeholder) {
        rowArgument = i;
        break;
      }
    }
    if (rowArgument < 0) {
      throw new IllegalArgumentException(
          IterationMessages.noRowArgument(beanType.getName(), row.method().getName()));
    }
    Object[] callbackArgs = row.arguments().clone();
    callbackArgs[rowArgument] = null;
    CallRecorder.Call fin = finalize == null ? null : recorder.record(beanType, finalize);
    String id = UUID.randomUUID().toString().replace("-", "");
    String unit = options.persistenceUnit().orElse(null);
    int rowIndex = rowArgument;
    try {
      return transactions.required(
          () -> {
            EntityManager em = entityManager(entityType, unit);
            EntityInfo info = Persistence.describe(em, entityType, query.orderBy().orElse(null));
            Queries queries = new Queries(info, query.condition().orElse(null));
            checkCondition(em, query, queries);
            List<EncodedValue> params = values.encode(query.parameters(), em);
            PayloadCodec codec = codec(entityType, unit);
            Instant now = clock.instant();
            String callbackJson = encode(codec, beanType, row.method(), callbackArgs, now);
            String finalizeJson =
                fin == null ? null : encode(codec, beanType, fin.method(), fin.arguments(), now);
            return new IterationSpec(
                id,
                entityType.getName(),
                query.condition().orElse(null),
                params,
                info.orderAttribute(),
                callbackJson,
                rowIndex,
                finalizeJson,
                options.queue(),
                options.shardCount(),
                options.batchSize(),
                options.timeBudget().toMillis(),
                options.isDeleteMarker(),
                unit,
                options.keyRanges().getName(),
                options.maxAttempts().orElse(0));
          });
    } catch (RuntimeException e) {
      throw e;
    } catch (Exception e) {
      throw new IllegalStateException(e.getMessage(), e);
    }
  }

  private static String encode(
      PayloadCodec codec, Class<?> beanType, Method method, Object[] args, Instant now) {
    byte[] payload =
        codec.encode(
            new DeferredInvocation(beanType, List.of(), method, args, DeferOptions.defaults()),
            now);
    return new String(payload, StandardCharsets.UTF_8);
  }

  private void checkCondition(EntityManager em, IterationQuery<?> query, Queries queries) {
    Query q;
    try {
      q = em.createQuery(queries.count());
    } catch (RuntimeException e) {
      throw new IllegalArgumentException(
          IterationMessages.conditionInvalid(
              query.toString(), query.condition().orElse(""), String.valueOf(e.getMessage())),
          e);
    }
    Set<String> used = new TreeSet<>();
    for (Parameter<?> p : q.getParameters()) {
      if (p.getName() != null) {
        used.add(p.getName());
      }
    }
    Set<String> given = new TreeSet<>(query.parameters().keySet());
    if (!used.equals(given)) {
      Set<String> missing = new TreeSet<>(used);
      missing.removeAll(given);
      Set<String> unknown = new TreeSet<>(given);
      unknown.removeAll(used);
      throw new IllegalArgumentException(
          IterationMessages.parameterMismatch(
              query.toString(), missing.toString(), unknown.toString()));
    }
  }

  private void requireBean(Class<?> beanType) {
    Set<Bean<?>> beans = beanManager.getBeans(beanType);
    Bean<?> bean;
    try {
      bean = beanManager.resolve(beans);
    } catch (RuntimeException e) {
      bean = null;
    }
    if (bean == null) {
      throw new IllegalArgumentException(
          dev.deferred.impl.config.Messages.noUniqueBean(beanType.getName(), "[]", beans.size()));
    }
  }

  private static <E> E placeholder(Class<E> type) {
    try {
      Constructor<E> c = type.getDeclaredConstructor();
      c.setAccessible(true);
      return c.newInstance();
    } catch (ReflectiveOperationException | RuntimeException e) {
      throw new IllegalArgumentException(
          IterationMessages.entityNotInstantiable(type.getName(), e.toString()), e);
    }
  }

  // ---------------------------------------------------------------------------------------------
  // Progress

  public Optional<IterationProgress> progress(String id) {
    return markers().get(id).map(IterationEngine::progress);
  }

  /** The newest iterations that have a marker, newest first. */
  public List<IterationProgress> recent(int limit) {
    return markers().newest(limit).stream().map(IterationEngine::progress).toList();
  }

  static IterationProgress progress(IterationMarker m) {
    IterationProgress.State state =
        switch (m.state()) {
          case IterationMarker.DONE -> IterationProgress.State.DONE;
          case IterationMarker.FAILED -> IterationProgress.State.FAILED;
          default ->
              m.allShardsFinished()
                  ? IterationProgress.State.FINALIZING
                  : IterationProgress.State.RUNNING;
        };
    return new IterationProgress(
        m.id(),
        state,
        m.shards(),
        m.finished().size(),
        m.rowsProcessed(),
        m.startedAt(),
        Optional.ofNullable(m.endedAt()),
        Optional.ofNullable(m.failure()));
  }

  public boolean deleteMarker(String id) {
    return markers().delete(id);
  }

  // ---------------------------------------------------------------------------------------------
  // The planning task

  public void plan(IterationSpec spec) throws Exception {
    MarkerStore markers = markers();
    IterationMarker marker = markers.get(spec.id()).orElse(null);
    if (marker == null) {
      String plan = jsonb.toJson(ranges(spec), RANGES);
      marker =
          markers.createIfAbsent(
              IterationMarker.started(spec.id(), rangeCount(plan), plan, clock.instant()));
    }
    if (!IterationMarker.RUNNING.equals(marker.state())) {
      return;
    }
    List<EncodedRange> ranges = jsonb.fromJson(marker.plan(), RANGES);
    for (int i = 0; i < ranges.size(); i++) {
      EncodedRange r = ranges.get(i);
      defers.shard(new ShardTask(spec, i, r.lower(), r.upper(), null, null, 0, 0));
    }
    Optional<IterationMarker> ready = markers.update(spec.id(), IterationMarker::withReady);
    if (ready.isEmpty()) {
      LOG.fine(IterationMessages.markerVanished(spec.id(), "after planning"));
      return;
    }
    finalizeIfComplete(spec, ready.get());
  }

  private int rangeCount(String plan) {
    List<EncodedRange> ranges = jsonb.fromJson(plan, RANGES);
    return ranges.size();
  }

  private List<EncodedRange> ranges(IterationSpec spec) throws Exception {
    KeyRangeStrategy strategy = strategy(spec.keyRanges());
    Class<?> entityType = Class.forName(spec.entity(), false, loader());
    return transactions.required(
        () -> {
          EntityManager em = entityManager(entityType, spec.persistenceUnit());
          EntityInfo info = Persistence.describe(em, entityType, spec.orderBy());
          Queries queries = new Queries(info, spec.condition());
          Queries.Keys keys = new Queries.Keys(queries, em, parameters(spec, em));
          List<KeyRange> ranges = strategy.ranges(keys, spec.shards());
          return encodeRanges(spec, info, ranges);
        });
  }

  private List<EncodedRange> encodeRanges(
      IterationSpec spec, EntityInfo info, List<KeyRange> ranges) {
    if (ranges == null) {
      throw new IllegalStateException(
          IterationMessages.badRanges(spec.id(), spec.keyRanges(), "null"));
    }
    List<EncodedRange> encoded = new ArrayList<>();
    Comparable<Object> previousUpper = null;
    for (int i = 0; i < ranges.size(); i++) {
      KeyRange r = ranges.get(i);
      @SuppressWarnings("unchecked")
      Comparable<Object> lower = (Comparable<Object>) r.lower();
      @SuppressWarnings("unchecked")
      Comparable<Object> upper = (Comparable<Object>) r.upper();
      if (lower != null && upper != null && lower.compareTo(upper) >= 0) {
        throw new IllegalStateException(
            IterationMessages.badRanges(
                spec.id(), spec.keyRanges(), "range " + i + " is empty: " + r));
      }
      if (i > 0 && (previousUpper == null || lower == null || lower.compareTo(previousUpper) < 0)) {
        throw new IllegalStateException(
            IterationMessages.badRanges(
                spec.id(), spec.keyRanges(), "range " + i + " overlaps the one before: " + r));
      }
      previousUpper = upper;
      encoded.add(
          new EncodedRange(
              values.toJson(lower, info.idType()), values.toJson(upper, info.idType())));
    }
    return encoded;
  }

  private KeyRangeStrategy strategy(String className) {
    try {
      Class<?> c = Class.forName(className, true, loader());
      if (!KeyRangeStrategy.class.isAssignableFrom(c)) {
        throw new IllegalArgumentException(
            IterationMessages.badStrategy(className, "it does not implement KeyRangeStrategy"));
      }
      Constructor<?> constructor = c.getDeclaredConstructor();
      constructor.setAccessible(true);
      return (KeyRangeStrategy) constructor.newInstance();
    } catch (ReflectiveOperationException | LinkageError e) {
      throw new IllegalArgumentException(IterationMessages.badStrategy(className, e.toString()), e);
    }
  }

  private Map<String, Object> parameters(IterationSpec spec, EntityManager em) {
    Map<String, Object> p = new LinkedHashMap<>();
    for (EncodedValue v : spec.parameters()) {
      p.put(v.name(), values.decode(v, em, loader()));
    }
    return p;
  }

  // ---------------------------------------------------------------------------------------------
  // A shard task

  /**
   * What one task run of a shard did, and where it is: the keyset position is kept as the last
   * row's id (and ordering value) as read, and written as JSON only when a task is deferred from
   * it, not once per row.
   */
  private static final class Progress {
    long processed;

    /** The position the task was deferred from, as JSON; used until the first row is done. */
    private final String startAfter;

    private final String startAfterOrder;
    private Object[] lastRow;

    Progress(String after, String afterOrder) {
      this.startAfter = after;
      this.startAfterOrder = afterOrder;
    }

    void done(Object[] row) {
      processed++;
      lastRow = row;
    }

    boolean hasPosition() {
      return lastRow != null ? lastRow[1] != null : startAfter != null;
    }

    Object after(Values values, Class<?> idType) {
      return lastRow != null ? lastRow[1] : values.fromJson(startAfter, idType);
    }

    Object afterOrder(Values values, Class<?> orderType) {
      return lastRow != null
          ? (lastRow.length > 2 ? lastRow[2] : null)
          : values.fromJson(startAfterOrder, orderType);
    }

    String afterJson(Jsonb jsonb) {
      return lastRow == null ? startAfter : lastRow[1] == null ? null : jsonb.toJson(lastRow[1]);
    }

    String afterOrderJson(Jsonb jsonb) {
      if (lastRow == null) {
        return startAfterOrder;
      }
      return lastRow.length > 2 && lastRow[2] != null ? jsonb.toJson(lastRow[2]) : null;
    }
  }

  public void shard(ShardTask task) throws Exception {
    IterationSpec spec = task.spec();
    taskState.shardIndex(task.shard());
    MarkerStore markers = markers();
    Optional<IterationMarker> current = markers.get(spec.id());
    if (current.isEmpty()) {
      LOG.fine(IterationMessages.markerVanished(spec.id(), "shard " + task.shard()));
      return;
    }
    if (!IterationMarker.RUNNING.equals(current.get().state())) {
      return;
    }
    if (current.get().finished().contains(task.shard())) {
      // A repeated delivery, or a retry after the marker update committed and the finalize
      // enqueue failed: only the finalize check is left to do.
      finalizeIfComplete(spec, current.get());
      return;
    }
    long started = System.nanoTime();
    long budget = Duration.ofMillis(spec.budgetMillis()).toNanos();
    Class<?> entityType = Class.forName(spec.entity(), false, loader());
    Prepared callback = transactions.required(() -> prepare(spec, spec.callback(), entityType));
    Progress progress = new Progress(task.after(), task.afterOrder());
    while (true) {
      List<Object[]> batch = transactions.required(() -> readBatch(task, entityType, progress));
      for (Object[] row : batch) {
        if (progress.processed > 0 && System.nanoTime() - started > budget) {
          continueLater(task, progress);
          return;
        }
        long callStart = System.nanoTime();
        try {
          callback.invoke(spec.rowArgument(), row[0]);
        } catch (Throwable e) {
          rowFailed(task, progress, row[1], e);
          return;
        }
        long millis = (System.nanoTime() - callStart) / 1_000_000;
        if (millis > slowCallback.toMillis()) {
          LOG.warning(
              IterationMessages.slowCallback(
                  spec.id(), task.shard(), row[1], millis, slowCallback.toMillis()));
        }
        progress.done(row);
      }
      if (batch.size() < spec.batchSize()) {
        break;
      }
      if (markers.get(spec.id()).isEmpty()) {
        LOG.fine(IterationMessages.markerVanished(spec.id(), "shard " + task.shard()));
        return;
      }
    }
    Optional<IterationMarker> after =
        markers.update(
            spec.id(), m -> m.withFinished(task.shard(), task.rowsBefore() + progress.processed));
    if (after.isEmpty()) {
      LOG.fine(IterationMessages.markerVanished(spec.id(), "shard " + task.shard() + " done"));
      return;
    }
    finalizeIfComplete(spec, after.get());
  }

  private List<Object[]> readBatch(ShardTask task, Class<?> entityType, Progress progress) {
    IterationSpec spec = task.spec();
    EntityManager em = entityManager(entityType, spec.persistenceUnit());
    EntityInfo info = Persistence.describe(em, entityType, spec.orderBy());
    Queries queries = new Queries(info, spec.condition());
    boolean after = progress.hasPosition();
    Query q = em.createQuery(queries.batch(task.lower() != null, task.upper() != null, after));
    Queries.bind(q, parameters(spec, em));
    if (task.lower() != null) {
      q.setParameter(Queries.PREFIX + "lower", values.fromJson(task.lower(), info.idType()));
    }
    if (task.upper() != null) {
      q.setParameter(Queries.PREFIX + "upper", values.fromJson(task.upper(), info.idType()));
    }
    if (after) {
      q.setParameter(Queries.PREFIX + "after", progress.after(values, info.idType()));
      if (info.orderAttribute() != null) {
        q.setParameter(
            Queries.PREFIX + "afterOrder", progress.afterOrder(values, info.orderType()));
      }
    }
    q.setMaxResults(spec.batchSize());
    List<?> result = q.getResultList();
    List<Object[]> rows = new ArrayList<>(result.size());
    for (Object r : result) {
      rows.add((Object[]) r);
    }
    // Rows reach their callbacks detached, and the next batch starts from an empty context:
    // memory depends on the batch size, never on the table.
    em.clear();
    return rows;
  }

  private void continueLater(ShardTask task, Progress progress) {
    IterationSpec spec = task.spec();
    long rows = task.rowsBefore() + progress.processed;
    Optional<IterationMarker> m = markers().update(spec.id(), x -> x.withRows(task.shard(), rows));
    if (m.isEmpty()) {
      LOG.fine(IterationMessages.markerVanished(spec.id(), "shard " + task.shard()));
      return;
    }
    defers.shard(
        new ShardTask(
            spec,
            task.shard(),
            task.lower(),
            task.upper(),
            progress.afterJson(jsonb),
            progress.afterOrderJson(jsonb),
            task.generation() + 1,
            rows));
  }

  private void rowFailed(ShardTask task, Progress progress, Object rowId, Throwable e)
      throws Exception {
    IterationSpec spec = task.spec();
    if (progress.processed > 0) {
      LOG.log(
          Level.WARNING, IterationMessages.rowFailedContinuing(spec.id(), task.shard(), rowId), e);
      continueLater(task, progress);
      return;
    }
    int attempt = taskContext.isTask() ? taskContext.retryCount() + 1 : 1;
    int last = lastAttempt(spec);
    if (attempt >= last) {
      String message = IterationMessages.rowFailedPermanently(spec.id(), task.shard(), rowId, last);
      markers().update(spec.id(), m -> m.withFailed(message + ": " + e, clock.instant()));
      throw new PermanentTaskFailure(message, e);
    }
    throw new IterationRowException(
        IterationMessages.rowFailed(spec.id(), task.shard(), rowId, attempt - 1), e);
  }

  /**
   * The last attempt a shard task gets: the iteration's {@code maxAttempts}, or the queue's
   * configured {@code retry-max-attempts} if lower, after which Cloud Tasks would stop retrying. On
   * it the iteration fails, so that it does not stay running for ever.
   */
  private int lastAttempt(IterationSpec spec) {
    int last = spec.maxAttempts() > 0 ? spec.maxAttempts() : Integer.MAX_VALUE;
    OptionalInt queue = TaskHandler.lastAttempt(config.queues().get(spec.queue()));
    return queue.isPresent() ? Math.min(last, queue.getAsInt()) : last;
  }

  /** A shard task's first row failed: the task fails and is retried. */
  static final class IterationRowException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    IterationRowException(String message, Throwable cause) {
      super(message, cause);
    }
  }

  // ---------------------------------------------------------------------------------------------
  // Finalize

  private void finalizeIfComplete(IterationSpec spec, IterationMarker marker) {
    if (marker.allShardsFinished() && IterationMarker.RUNNING.equals(marker.state())) {
      // Named after the iteration: when several shards see the iteration complete, or a retry
      // repeats it, Cloud Tasks keeps one task.
      defers.finalize(spec);
    }
  }

  public void finish(IterationSpec spec) throws Exception {
    MarkerStore markers = markers();
    Optional<IterationMarker> current = markers.get(spec.id());
    if (current.isEmpty()) {
      LOG.fine(IterationMessages.markerVanished(spec.id(), "finalize"));
      return;
    }
    IterationMarker m = current.get();
    if (!IterationMarker.RUNNING.equals(m.state())) {
      return; // done already: a repeated delivery
    }
    if (!m.allShardsFinished()) {
      LOG.warning(
          IterationMessages.finalizeBeforeShards(spec.id(), m.finished().size(), m.shards()));
      return;
    }
    String claim = UUID.randomUUID().toString();
    Instant now = clock.instant();
    Optional<IterationMarker> claimed =
        markers.update(
            spec.id(),
            x ->
                IterationMarker.RUNNING.equals(x.state())
                        && (x.finalizeClaim() == null
                            || x.finalizeClaimedAt().plus(FINALIZE_LEASE).isBefore(now))
                    ? x.withFinalizeClaim(claim, now)
                    : x);
    if (claimed.isEmpty() || !IterationMarker.RUNNING.equals(claimed.get().state())) {
      return;
    }
    if (!claim.equals(claimed.get().finalizeClaim())) {
      throw new SingularTaskFailure(IterationMessages.finalizeRunningElsewhere(spec.id()));
    }
    try {
      if (spec.finalizer() != null) {
        Class<?> entityType = Class.forName(spec.entity(), false, loader());
        Prepared fin = transactions.required(() -> prepare(spec, spec.finalizer(), entityType));
        fin.invoke(-1, null);
      }
    } catch (Exception | Error e) {
      try {
        markers.update(
            spec.id(), x -> claim.equals(x.finalizeClaim()) ? x.withFinalizeClaim(null, null) : x);
      } catch (RuntimeException release) {
        e.addSuppressed(release);
      }
      throw e;
    }
    markers.update(spec.id(), x -> x.withDone(clock.instant()));
    if (spec.deleteMarker()) {
      markers.delete(spec.id());
    }
  }

  // ---------------------------------------------------------------------------------------------
  // Calling the application's bean

  /** A decoded callback or finalize call, ready to invoke. */
  private final class Prepared {
    final Object bean;
    final Method method;
    final Object[] arguments;
    final boolean ownTransaction;

    Prepared(Object bean, Method method, Object[] arguments, boolean ownTransaction) {
      this.bean = bean;
      this.method = method;
      this.arguments = arguments;
      this.ownTransaction = ownTransaction;
    }

    void invoke(int rowArgument, Object row) throws Exception {
      Object[] args = arguments.clone();
      if (rowArgument >= 0) {
        args[rowArgument] = row;
      }
      Callable<Void> call =
          () -> {
            Bypass.arm(method);
            try {
              method.invoke(bean, args);
            } catch (InvocationTargetException e) {
              Throwable cause = e.getCause();
              if (cause instanceof Exception ex) {
                throw ex;
              }
              throw (Error) cause;
            } finally {
              Bypass.clear();
            }
            return null;
          };
      if (ownTransaction) {
        transactions.inNew(call);
      } else {
        call.call();
      }
    }
  }

  private Prepared prepare(IterationSpec spec, String payload, Class<?> entityType)
      throws Exception {
    DecodedTask decoded =
        codec(entityType, spec.persistenceUnit())
            .decode(payload.getBytes(StandardCharsets.UTF_8), loader());
    Set<Bean<?>> beans = beanManager.getBeans(decoded.beanType(), decoded.qualifiers());
    Bean<?> bean = beanManager.resolve(beans);
    if (bean == null) {
      throw new IllegalStateException(
          dev.deferred.impl.config.Messages.noUniqueBean(
              decoded.beanType().getName(), "[]", beans.size()));
    }
    Object reference =
        beanManager.getReference(
            bean, decoded.beanType(), beanManager.createCreationalContext(bean));
    boolean own = TransactionalAnnotation.txType(bean.getBeanClass(), decoded.method()) == null;
    return new Prepared(reference, decoded.method(), decoded.arguments(), own);
  }

  /** The handle returned at the call site. */
  public record IterationHandle(String id, dev.deferred.DeferredTask startTask)
      implements dev.deferred.Iteration {}
}
