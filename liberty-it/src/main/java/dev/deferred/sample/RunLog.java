package dev.deferred.sample;

import dev.deferred.TaskContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;
import java.util.List;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/** Writes and reads {@link TaskRun} rows, naming this instance of the application. */
@ApplicationScoped
public class RunLog {

  @Inject EntityManager em;
  @Inject TaskContext context;

  /** Which instance of the application this is: one name per server of a multi-server set-up. */
  @Inject
  @ConfigProperty(name = "sample.instance", defaultValue = "sample")
  String instance;

  /** This instance's name. */
  public String instance() {
    return instance;
  }

  /** Records a run of the current task, in the caller's transaction if it has one. */
  @Transactional
  public void record(String batch, int item, String event, String deferredBy, String detail) {
    em.persist(run(batch, item, event, deferredBy, detail));
  }

  /** Records a run in a transaction of its own: kept even when the task's work rolls back. */
  @Transactional(Transactional.TxType.REQUIRES_NEW)
  public void recordAlone(String batch, int item, String event, String deferredBy, String detail) {
    em.persist(run(batch, item, event, deferredBy, detail));
  }

  /** The runs of a batch, in the order they were written. */
  @Transactional
  public List<TaskRun> batch(String batch) {
    return em.createQuery(
            "SELECT r FROM TaskRun r WHERE r.batch = :batch ORDER BY r.at, r.id", TaskRun.class)
        .setParameter("batch", batch)
        .getResultList();
  }

  /** How many runs of a batch recorded {@code event}. */
  @Transactional
  public long count(String batch, String event) {
    return em.createQuery(
            "SELECT COUNT(r) FROM TaskRun r WHERE r.batch = :batch AND r.event = :event",
            Long.class)
        .setParameter("batch", batch)
        .setParameter("event", event)
        .getSingleResult();
  }

  private TaskRun run(String batch, int item, String event, String deferredBy, String detail) {
    boolean inTask = context.isTask();
    return new TaskRun(
        batch,
        item,
        event,
        instance,
        deferredBy,
        inTask ? context.taskName() : null,
        inTask ? context.retryCount() : 0,
        inTask ? context.executionCount() : 0,
        detail);
  }
}
