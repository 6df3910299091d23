package dev.deferred.impl.iteration;

import dev.deferred.DeferOptions;
import dev.deferred.DeferredTask;
import dev.deferred.impl.Library;
import dev.deferred.impl.codec.DeferredInvocation;
import dev.deferred.impl.defer.DeferEngine;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.lang.reflect.Method;
import java.util.List;
import java.util.Optional;

/**
 * Defers the iteration's own tasks through the ordinary defer path (codec, signature, payload
 * store, Cloud Tasks), each to a method of {@link IterationTasks}, with a name derived from the
 * iteration id: a repeated defer of the same step is a harmless duplicate.
 */
@ApplicationScoped
public class IterationDefers {

  private static final Method PLAN = method("plan", IterationSpec.class);
  private static final Method SHARD = method("shard", ShardTask.class);
  private static final Method FINISH = method("finish", IterationSpec.class);

  @Inject @Library DeferEngine engine;

  /** The name of an iteration's first task. */
  public static String planName(String id) {
    return id + "-plan";
  }

  /** The name of a shard task. */
  public static String shardName(String id, int shard, int generation) {
    return id + "-s" + shard + "-" + generation;
  }

  /** The name of the finalize task. */
  public static String finalizeName(String id) {
    return id + "-finalize";
  }

  /** Defers the planning task, tied to the transaction as asked. */
  public DeferredTask plan(IterationSpec spec, Optional<Boolean> transactional) {
    DeferOptions o = DeferOptions.queue(spec.queue()).name(planName(spec.id()));
    if (transactional.isPresent()) {
      o = o.transactional(transactional.get());
    }
    return submit(PLAN, spec, o);
  }

  /** Defers a shard task, now. */
  public DeferredTask shard(ShardTask task) {
    return submit(
        SHARD,
        task,
        DeferOptions.queue(task.spec().queue())
            .name(shardName(task.spec().id(), task.shard(), task.generation()))
            .transactional(false));
  }

  /** Defers the finalize task, now. */
  public DeferredTask finalize(IterationSpec spec) {
    return submit(
        FINISH,
        spec,
        DeferOptions.queue(spec.queue()).name(finalizeName(spec.id())).transactional(false));
  }

  private DeferredTask submit(Method method, Object argument, DeferOptions options) {
    return engine.submit(
        new DeferredInvocation(
            IterationTasks.class, List.of(), method, new Object[] {argument}, options));
  }

  private static Method method(String name, Class<?> parameter) {
    try {
      return IterationTasks.class.getMethod(name, parameter);
    } catch (NoSuchMethodException e) {
      throw new ExceptionInInitializerError(e);
    }
  }
}
