package dev.deferred.impl.iteration;

import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.context.RequestScoped;
import jakarta.enterprise.inject.Disposes;
import jakarta.enterprise.inject.Produces;
import jakarta.persistence.EntityManager;
import jakarta.persistence.EntityManagerFactory;
import java.util.Map;

/**
 * The application's persistence as many CDI applications produce it: an application-managed {@code
 * EntityManager} per request, whose persistence context outlives the transactions of the request. A
 * shard task is one request, so without clearing, every row it reads would stay managed until the
 * task ends.
 */
@ApplicationScoped
public class RequestScopedPersistence {

  private final EntityManagerFactory factory =
      jakarta.persistence.Persistence.createEntityManagerFactory(
          "iteration-test",
          Map.of(
              "jakarta.persistence.jtaDataSource",
              new XaDataSource("jdbc:h2:mem:request-scoped;DB_CLOSE_DELAY=-1"),
              "eclipselink.session-name",
              "request-scoped"));

  @Produces
  @RequestScoped
  EntityManager entityManager() {
    return factory.createEntityManager();
  }

  void close(@Disposes EntityManager em) {
    em.close();
  }

  public EntityManagerFactory factory() {
    return factory;
  }

  @PreDestroy
  void closeFactory() {
    factory.close();
  }
}
