package dev.deferred.sample;

import jakarta.persistence.Cacheable;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

/**
 * A depot the parcels go through, known by its code: a row with a {@code String} id, which an
 * iteration splits into shards and pages through in the ids' string order. Not in the shared cache:
 * the callback counts its visits with a bulk UPDATE while the scenario reads it.
 */
@Entity
@Cacheable(false)
@Table(name = "DEPOT")
public class Depot {

  @Id
  @Column(length = 100)
  private String code;

  /** How many times a callback inspected this depot: the scenario expects exactly 1. */
  private int inspected;

  /** The shard index the callback saw in its TaskContext. */
  private Integer shard;

  protected Depot() {
    // for JPA
  }

  public Depot(String code) {
    this.code = code;
  }

  public String getCode() {
    return code;
  }

  public int getInspected() {
    return inspected;
  }

  public Integer getShard() {
    return shard;
  }
}
