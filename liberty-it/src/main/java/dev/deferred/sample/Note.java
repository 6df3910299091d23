package dev.deferred.sample;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.SequenceGenerator;
import jakarta.persistence.Table;
import jakarta.persistence.Version;

/** A note written by the sample application; deferred tasks receive it as an entity reference. */
@Entity
@Table(name = "NOTE")
public class Note {

  // A sequence, not IDENTITY: EclipseLink's H2 platform emits "BIGINT IDENTITY", which H2 2.x
  // rejects.
  @Id
  @SequenceGenerator(name = "note_seq", sequenceName = "NOTE_SEQ", allocationSize = 10)
  @GeneratedValue(strategy = GenerationType.SEQUENCE, generator = "note_seq")
  private Long id;

  @Column(nullable = false, length = 1000)
  private String text;

  /** Set by a deferred task, so a test can see that the task saw (and changed) the stored row. */
  @Column(length = 1000)
  private String processedBy;

  @Version private long version;

  protected Note() {
    // for JPA
  }

  public Note(String text) {
    this.text = text;
  }

  public Long getId() {
    return id;
  }

  public String getText() {
    return text;
  }

  public void setText(String text) {
    this.text = text;
  }

  public String getProcessedBy() {
    return processedBy;
  }

  public void setProcessedBy(String processedBy) {
    this.processedBy = processedBy;
  }
}
