package dev.deferred.sample;

import dev.deferred.PermanentTaskFailure;
import dev.deferred.SingularTaskFailure;
import dev.deferred.TaskContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;

/**
 * Plain bean methods, not annotated: the sample defers them with {@link dev.deferred.Deferrer}.
 * Each records what it saw in the {@link TaskJournal} under the caller's key.
 */
@ApplicationScoped
public class Tasks {

  @Inject TaskJournal journal;
  @Inject TaskContext context;
  @Inject EntityManager em;
  @Inject Newsletter newsletter;

  /** Succeeds at once. */
  public void record(String key, String message) {
    journal.record(key, "ran", message, context);
  }

  /** Records the length of a large argument, which travels through the payload store. */
  public void recordLength(String key, String text) {
    journal.record(key, "ran", "length=" + text.length(), context);
  }

  /** Throws an ordinary exception on the first {@code failures} attempts, then succeeds. */
  public void failThenSucceed(String key, int failures) {
    if (journal.count(key, "attempt-failed") < failures) {
      journal.record(key, "attempt-failed", "planned exception", context);
      throw new IllegalStateException("Planned failure of task " + key);
    }
    journal.record(key, "ran", "after " + failures + " failures", context);
  }

  /** Asks for a retry with {@link SingularTaskFailure} on the first attempts, then succeeds. */
  public void singularThenSucceed(String key, int failures) {
    if (journal.count(key, "attempt-failed") < failures) {
      journal.record(key, "attempt-failed", "singular task failure", context);
      throw new SingularTaskFailure("Not ready yet: " + key);
    }
    journal.record(key, "ran", "after " + failures + " singular failures", context);
  }

  /** Gives up at once: retrying cannot help. */
  public void failPermanently(String key) {
    journal.record(key, "attempt-failed", "permanent task failure", context);
    throw new PermanentTaskFailure("Task " + key + " cannot succeed");
  }

  /** Fails on every attempt: for per-task attempt and age limits. */
  public void alwaysFail(String key) {
    journal.record(key, "attempt-failed", "always fails", context);
    throw new IllegalStateException("Task " + key + " always fails");
  }

  /**
   * Marks a note as processed, in the task's own transaction. The note arrives as a reference,
   * loaded inside this method's transaction: it carries the committed text, and it is managed, so
   * the change is written when the transaction commits.
   */
  @Transactional
  public void processNote(Note note, String key) {
    note.setProcessedBy(key);
    journal.record(
        key,
        "ran",
        "note " + note.getId() + " text=" + note.getText() + " managed=" + em.contains(note),
        context);
  }

  /** Records the note's text as the task received it (reference: fresh; value: snapshot). */
  public void recordNoteText(Note note, String key) {
    journal.record(key, "ran", "text=" + note.getText(), context);
  }

  /**
   * Calls a {@code @Deferred} method from inside a task: only the task's own method bypasses the
   * interceptor, so this call enqueues another task.
   */
  public void chain(String key, String subject) {
    journal.record(key, "ran", "chaining " + subject, context);
    newsletter.send(key + "-next", subject);
  }

  /** Never runs: its argument cannot be encoded, so deferring it fails at the call site. */
  public void recordOpaque(String key, Opaque value) {
    journal.record(key, "ran", "opaque " + value, context);
  }
}
