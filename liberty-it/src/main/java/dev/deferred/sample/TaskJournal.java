package dev.deferred.sample;

import dev.deferred.TaskContext;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.Iterator;
import java.util.List;
import java.util.logging.Logger;

/**
 * What the sample's deferred tasks did: every run (and every failing attempt) with what the task
 * knew about itself. The demo lists it at {@code GET /api/journal}; the integration tests poll it.
 *
 * <p>Kept in memory and bounded: the sample runs in one JVM, and a restart starts an empty journal,
 * as it starts an empty database.
 */
@ApplicationScoped
public class TaskJournal {

  private static final Logger LOG = Logger.getLogger(TaskJournal.class.getName());
  private static final int CAPACITY = 2_000;

  private final Deque<Entry> entries = new ArrayDeque<>();

  /**
   * One thing a task did.
   *
   * @param key the key the caller gave the task, so that a test finds its own entries
   * @param event what happened, e.g. {@code ran}, {@code attempt-failed}
   * @param detail free text: arguments as the task saw them
   * @param task the task's {@link TaskContext}, as seen inside the task
   * @param at when it happened
   */
  public record Entry(String key, String event, String detail, TaskView task, Instant at) {}

  /** Records an event of the running task. */
  public void record(String key, String event, String detail, TaskContext context) {
    Entry entry = new Entry(key, event, detail, TaskView.of(context), Instant.now());
    LOG.info(
        () ->
            "Deferred task "
                + event
                + ": key="
                + key
                + ", "
                + detail
                + (entry.task().isTask()
                    ? " (queue "
                        + entry.task().queueName()
                        + ", task "
                        + entry.task().taskName()
                        + ", retry "
                        + entry.task().retryCount()
                        + ")"
                    : " (not in a task)"));
    synchronized (entries) {
      if (entries.size() == CAPACITY) {
        entries.removeFirst();
      }
      entries.addLast(entry);
    }
  }

  /** The entries with this key, oldest first. */
  public List<Entry> forKey(String key) {
    synchronized (entries) {
      return entries.stream().filter(e -> e.key().equals(key)).toList();
    }
  }

  /** How many entries with this key and event were recorded. */
  public long count(String key, String event) {
    return forKey(key).stream().filter(e -> e.event().equals(event)).count();
  }

  /** The latest entries, newest first. */
  public List<Entry> latest(int limit) {
    synchronized (entries) {
      List<Entry> newestFirst = new ArrayList<>(Math.min(limit, entries.size()));
      Iterator<Entry> it = entries.descendingIterator();
      while (it.hasNext() && newestFirst.size() < limit) {
        newestFirst.add(it.next());
      }
      return newestFirst;
    }
  }
}
