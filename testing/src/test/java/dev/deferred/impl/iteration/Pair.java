package dev.deferred.impl.iteration;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.IdClass;
import jakarta.persistence.Table;
import java.io.Serializable;
import java.util.Objects;

/** A row with a composite id, which an iteration refuses. */
@Entity
@Table(name = "IT_PAIR")
@IdClass(Pair.Key.class)
public class Pair {
  // LEFT and RIGHT are reserved words in H2 2.x: the columns have names of their own.
  @Id
  @Column(name = "LEFT_ID")
  private long left;

  @Id
  @Column(name = "RIGHT_ID")
  private long right;

  protected Pair() {}

  /** The composite id. */
  public static class Key implements Serializable {
    private static final long serialVersionUID = 1L;
    public long left;
    public long right;

    @Override
    public boolean equals(Object o) {
      return o instanceof Key k && k.left == left && k.right == right;
    }

    @Override
    public int hashCode() {
      return Objects.hash(left, right);
    }
  }
}
