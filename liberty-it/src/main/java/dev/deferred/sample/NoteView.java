package dev.deferred.sample;

/**
 * What the sample's endpoints return for a {@link Note}: a plain record, so JSON-B never touches
 * JPA state.
 */
public record NoteView(Long id, String text, String processedBy) {

  static NoteView of(Note note) {
    return new NoteView(note.getId(), note.getText(), note.getProcessedBy());
  }
}
