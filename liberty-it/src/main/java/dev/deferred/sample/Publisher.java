package dev.deferred.sample;

import dev.deferred.DeferOptions;
import dev.deferred.DeferredTask;
import dev.deferred.Deferrer;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;
import java.time.Duration;
import java.util.List;

/**
 * The demo's use case: publishing a note stores it and defers the follow-up work, both ways, in the
 * same JTA transaction. Nothing is enqueued unless the note is committed.
 */
@ApplicationScoped
public class Publisher {

  @Inject NoteRepository notes;
  @Inject Deferrer deferrer;
  @Inject Newsletter newsletter;

  /**
   * What {@link #publish} did.
   *
   * @param note the stored note
   * @param key the journal key of its tasks
   * @param tasks the tasks deferred with {@link Deferrer} (the {@code @Deferred} call returns none)
   */
  public record Published(NoteView note, String key, List<DeferredTask> tasks) {}

  @Transactional
  public Published publish(String text) {
    Note note = notes.create(text);
    String key = "note-" + note.getId();

    // Any bean method, no annotation needed; the entity travels as a reference and the task
    // reloads it. Inside a transaction the defer waits for the commit.
    DeferredTask process = deferrer.defer(Tasks.class, t -> t.processNote(note, key));

    // The same with options: a greeting five seconds later, on the loud bean.
    DeferredTask greet =
        deferrer.defer(
            Greeter.class,
            g -> g.greet(key, text),
            DeferOptions.defaults()
                .countdown(Duration.ofSeconds(5))
                .qualifiers(Loud.Literal.INSTANCE));

    // A @Deferred method: calling it enqueues a task on the "mail" queue, after commit.
    newsletter.announce(note, key);

    return new Published(NoteView.of(note), key, List.of(process, greet));
  }
}
