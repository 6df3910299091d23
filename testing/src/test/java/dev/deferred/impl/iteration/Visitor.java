package dev.deferred.impl.iteration;

import dev.deferred.TaskContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/** The application's callbacks: records every call, and fails or blocks on request. */
@ApplicationScoped
public class Visitor {

  /** One callback call. */
  public record Visit(Object id, int shard, String tag, boolean inTransaction) {}

  /** One finalize call. */
  public record Done(String tag, int number, long visitsSoFar) {}

  /** Something a test runs inside a callback, e.g. a failure or a wait. */
  @FunctionalInterface
  public interface Hook {
    void run(Object id) throws Exception;
  }

  public static final Queue<Visit> VISITS = new ConcurrentLinkedQueue<>();
  public static final List<Done> DONE = new CopyOnWriteArrayList<>();
  public static final Map<Object, AtomicInteger> FAILURES = new ConcurrentHashMap<>();
  public static volatile Hook hook = id -> {};

  /** The rows handed to {@link #visitCheckingManaged} so far. */
  public static final Queue<Item> HANDED = new ConcurrentLinkedQueue<>();

  /** Rows that {@link #visitCheckingManaged} found still managed by the entity manager. */
  public static final Queue<Object> STILL_MANAGED = new ConcurrentLinkedQueue<>();

  /** Something a test runs inside finalize, given its tag, before it is recorded. */
  public static volatile Hook finalizeHook = tag -> {};

  @Inject TaskContext context;
  @Inject EntityManager em;
  @Inject jakarta.transaction.TransactionManager transactions;

  public static void reset() {
    VISITS.clear();
    DONE.clear();
    FAILURES.clear();
    HANDED.clear();
    STILL_MANAGED.clear();
    hook = id -> {};
    finalizeHook = tag -> {};
  }

  /** Fails the next {@code times} calls on the row with this id. */
  public static void failOn(Object id, int times) {
    FAILURES.put(id, new AtomicInteger(times));
  }

  private void record(Object id, String tag) throws Exception {
    hook.run(id);
    AtomicInteger failures = FAILURES.get(id);
    if (failures != null && failures.getAndDecrement() > 0) {
      throw new IllegalStateException("planned failure on row " + id);
    }
    boolean tx = transactions.getStatus() == jakarta.transaction.Status.STATUS_ACTIVE;
    VISITS.add(new Visit(id, context.shardIndex().orElse(-1), tag, tx));
  }

  public void visit(Item item, String tag) throws Exception {
    record(item.getId(), tag);
  }

  /**
   * Notes whether this row, or a row handed to an earlier call, is still managed by the
   * application's entity manager: the one the engine read the rows with, if it lives as long as the
   * task.
   */
  public void visitCheckingManaged(Item item) throws Exception {
    HANDED.add(item);
    for (Item handed : HANDED) {
      if (em.contains(handed)) {
        STILL_MANAGED.add(handed.getId());
      }
    }
    record(item.getId(), "checked");
  }

  /** Writes to the row through the entity manager: commits with the callback's transaction. */
  public void mark(String tag, Item item) throws Exception {
    record(item.getId(), tag);
    em.merge(item).setNote(tag);
  }

  /** Decides its own transaction: none. */
  @Transactional(Transactional.TxType.NOT_SUPPORTED)
  public void visitWithoutTransaction(Item item) throws Exception {
    record(item.getId(), "no-tx");
  }

  public void visitWord(Word word) throws Exception {
    record(word.getId(), "word");
  }

  public void visitPair(Pair pair) throws Exception {
    record(pair, "pair");
  }

  public void done(String tag) throws Exception {
    finalizeHook.run(tag);
    DONE.add(new Done(tag, DONE.size() + 1, VISITS.size()));
  }

  public void doneQuietly() {
    DONE.add(new Done("", DONE.size() + 1, VISITS.size()));
  }
}
