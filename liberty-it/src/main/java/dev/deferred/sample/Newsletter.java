package dev.deferred.sample;

import dev.deferred.Deferred;
import dev.deferred.TaskContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;

/**
 * {@link Deferred @Deferred} methods: calling them through CDI enqueues a task and returns at once;
 * the body runs when the task arrives.
 */
@ApplicationScoped
public class Newsletter {

  @Inject TaskJournal journal;
  @Inject TaskContext context;

  /** Sends a newsletter on the {@code mail} queue. */
  @Deferred(queue = "mail")
  public void send(String key, String subject) {
    journal.record(key, "ran", "newsletter '" + subject + "' sent", context);
  }

  /**
   * Announces a note. Transactional on both ends: called inside a transaction it is enqueued only
   * at commit, and it runs in a transaction of its own.
   */
  @Deferred(queue = "mail", transactional = Deferred.Transaction.AFTER_COMMIT)
  @Transactional
  public void announce(Note note, String key) {
    journal.record(key, "ran", "announced note " + note.getId() + ": " + note.getText(), context);
  }
}
