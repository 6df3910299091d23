package dev.deferred.benchmarks.iteration;

import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import jakarta.persistence.EntityManager;
import jakarta.persistence.EntityManagerFactory;
import jakarta.persistence.TransactionRequiredException;
import jakarta.transaction.Status;
import jakarta.transaction.Synchronization;
import jakarta.transaction.Transaction;
import jakarta.transaction.TransactionManager;
import jakarta.transaction.TransactionSynchronizationRegistry;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.util.Map;

/**
 * A JTA persistence unit on EclipseLink over the benchmark's H2 database, and a transaction-scoped
 * {@code EntityManager} bean as a Jakarta EE server's {@code @PersistenceContext} gives one.
 */
@ApplicationScoped
public class BenchPersistence {

  /** The JDBC URL of the database; set before the container starts. */
  public static volatile String url;

  private final EntityManagerFactory factory =
      jakarta.persistence.Persistence.createEntityManagerFactory(
          "iteration-bench", Map.of("jakarta.persistence.jtaDataSource", new XaDataSource(url)));

  @Produces
  @ApplicationScoped
  EntityManager entityManager() {
    return (EntityManager)
        Proxy.newProxyInstance(
            BenchPersistence.class.getClassLoader(),
            new Class<?>[] {EntityManager.class},
            (proxy, method, args) -> {
              try {
                return method.invoke(current(), args);
              } catch (InvocationTargetException e) {
                throw e.getCause();
              }
            });
  }

  private EntityManager current() throws Exception {
    TransactionManager tm = com.arjuna.ats.jta.TransactionManager.transactionManager();
    Transaction tx = tm.getTransaction();
    if (tx == null || tx.getStatus() != Status.STATUS_ACTIVE) {
      throw new TransactionRequiredException("no active JTA transaction");
    }
    TransactionSynchronizationRegistry registry =
        new com.arjuna.ats.internal.jta.transaction.arjunacore
            .TransactionSynchronizationRegistryImple();
    EntityManager em = (EntityManager) registry.getResource(factory);
    if (em == null) {
      EntityManager created = factory.createEntityManager();
      created.joinTransaction();
      registry.putResource(factory, created);
      registry.registerInterposedSynchronization(
          new Synchronization() {
            @Override
            public void beforeCompletion() {}

            @Override
            public void afterCompletion(int status) {
              created.close();
            }
          });
      em = created;
    }
    return em;
  }

  @PreDestroy
  void close() {
    factory.close();
  }
}
