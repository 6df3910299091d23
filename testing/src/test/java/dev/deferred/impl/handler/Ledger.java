package dev.deferred.impl.handler;

import jakarta.persistence.Entity;
import jakarta.persistence.Id;

/** An entity class; the CDI tests have no persistence unit, so it can never be loaded. */
@Entity
public class Ledger {
  @Id Long id;
}
