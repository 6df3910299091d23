package dev.deferred.sample;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;
import java.util.Optional;

/** Reads and writes {@link Note}s in JTA transactions on the {@code jdbc/sample} datasource. */
@ApplicationScoped
public class NoteRepository {

  @Inject EntityManager em;

  /** Creates a note; inside the caller's transaction if there is one, else in its own. */
  @Transactional
  public Note create(String text) {
    Note note = new Note(text);
    em.persist(note);
    em.flush();
    return note;
  }

  @Transactional
  public Optional<NoteView> find(long id) {
    return Optional.ofNullable(em.find(Note.class, id)).map(NoteView::of);
  }

  /** Changes a note's text; inside the caller's transaction if there is one. */
  @Transactional
  public void rename(long id, String text) {
    em.find(Note.class, id).setText(text);
  }
}
