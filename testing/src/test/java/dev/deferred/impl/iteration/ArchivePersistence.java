package dev.deferred.impl.iteration;

import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Named;
import jakarta.inject.Qualifier;
import jakarta.persistence.EntityManager;
import jakarta.persistence.EntityManagerFactory;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import java.util.Map;

/**
 * A second persistence unit, {@code archive}, over a database of its own, with an {@code
 * EntityManager} bean qualified {@code @Named("archive")}, as an application with two units
 * produces them. Its own qualifier keeps it from being the {@code @Default} one.
 */
@ApplicationScoped
public class ArchivePersistence {

  /** The second unit's own qualifier. */
  @Qualifier @Retention(RetentionPolicy.RUNTIME)
  @Target({ElementType.METHOD, ElementType.FIELD, ElementType.PARAMETER, ElementType.TYPE})
  public @interface Archive {}

  private final EntityManagerFactory factory =
      jakarta.persistence.Persistence.createEntityManagerFactory(
          "iteration-test",
          Map.of(
              "jakarta.persistence.jtaDataSource",
              new XaDataSource("jdbc:h2:mem:archive;DB_CLOSE_DELAY=-1"),
              "eclipselink.session-name",
              "archive"));

  @Produces
  @ApplicationScoped
  @Named("archive")
  @Archive
  EntityManager entityManager() {
    return TestPersistence.transactionScoped(factory);
  }

  @PreDestroy
  void closeFactory() {
    factory.close();
  }
}
