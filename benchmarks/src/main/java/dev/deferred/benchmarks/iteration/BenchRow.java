package dev.deferred.benchmarks.iteration;

import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

/** A row of the benchmark table: a long id and a short text. */
@Entity
@Table(name = "BENCH_ROW")
public class BenchRow {
  @Id private Long id;
  private String payload;

  protected BenchRow() {}

  public Long getId() {
    return id;
  }

  public String getPayload() {
    return payload;
  }
}
