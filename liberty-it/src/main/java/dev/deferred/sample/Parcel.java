package dev.deferred.sample;

import jakarta.persistence.Cacheable;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

/**
 * A row of the iteration scenario: sorted once by an iteration, counted by its callback. Not in the
 * shared cache: the callback changes it with a bulk UPDATE while the scenario reads it.
 */
@Entity
@Cacheable(false)
@Table(name = "PARCEL")
public class Parcel {

  @Id private Long id;

  @Column(nullable = false, length = 20)
  private String region;

  /** How urgent it is: an iteration may process parcels in this order ({@code orderBy}). */
  private int priority;

  /** How many times a callback processed this row: the scenario expects exactly 1. */
  private int handled;

  /** The shard index the callback saw in its TaskContext. */
  private Integer shard;

  /** The instance of the application ({@code sample.instance}) whose callback processed it. */
  @Column(length = 40)
  private String handledBy;

  protected Parcel() {
    // for JPA
  }

  public Parcel(long id, String region) {
    this(id, region, 0);
  }

  public Parcel(long id, String region, int priority) {
    this.id = id;
    this.region = region;
    this.priority = priority;
  }

  public Long getId() {
    return id;
  }

  public String getRegion() {
    return region;
  }

  public int getPriority() {
    return priority;
  }

  public int getHandled() {
    return handled;
  }

  public Integer getShard() {
    return shard;
  }

  public String getHandledBy() {
    return handledBy;
  }
}
