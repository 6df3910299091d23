package dev.deferred.sample;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceContext;

/**
 * Makes the container-managed, transaction-scoped {@link EntityManager} of the {@code sample} unit
 * a CDI bean: the application injects it with {@code @Inject}, and Deferred uses it to reload JPA
 * entities that travel as references.
 */
@ApplicationScoped
public class Persistence {

  @Produces
  @PersistenceContext(unitName = "sample")
  EntityManager entityManager;
}
