package dev.deferred.impl.iteration;

import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

/** A row with a string id and a rank to order by. */
@Entity
@Table(name = "IT_WORD")
public class Word {
  @Id private String id;
  private int rank;

  protected Word() {}

  public Word(String id, int rank) {
    this.id = id;
    this.rank = rank;
  }

  public String getId() {
    return id;
  }

  public int getRank() {
    return rank;
  }
}
