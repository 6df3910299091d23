package dev.deferred.impl.iteration;

import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

/** A row with a numeric id. */
@Entity
@Table(name = "IT_ITEM")
public class Item {
  @Id private Long id;
  private String status;
  private String note;

  protected Item() {}

  public Item(long id, String status) {
    this.id = id;
    this.status = status;
  }

  public Long getId() {
    return id;
  }

  public String getStatus() {
    return status;
  }

  public String getNote() {
    return note;
  }

  public void setNote(String note) {
    this.note = note;
  }
}
