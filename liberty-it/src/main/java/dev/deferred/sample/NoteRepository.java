package dev.deferred.sample;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceContext;
import jakarta.transaction.Transactional;
import java.util.Optional;

/** Reads and writes {@link Note}s in JTA transactions on the {@code jdbc/sample} datasource. */
@ApplicationScoped
public class NoteRepository {

  @PersistenceContext(unitName = "sample")
  EntityManager em;

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
}
