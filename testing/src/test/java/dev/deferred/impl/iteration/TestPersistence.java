package dev.deferred.impl.iteration;

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
 * The application's persistence as a Jakarta EE server gives it: a JTA persistence unit on
 * EclipseLink over H2 and a transaction-scoped {@code EntityManager} bean, usable only inside a
 * transaction and closed when it ends, like {@code @PersistenceContext}.
 */
@ApplicationScoped
public class TestPersistence {

  public static final String URL = "jdbc:h2:mem:iteration;DB_CLOSE_DELAY=-1";

  private final EntityManagerFactory factory =
      jakarta.persistence.Persistence.createEntityManagerFactory(
          "iteration-test", Map.of("jakarta.persistence.jtaDataSource", new XaDataSource(URL)));

  /**
   * Like a container's {@code @PersistenceContext}: a stand-in that routes each call to the
   * persistence context of the current transaction, created on first use and closed when the
   * transaction ends. Outside a transaction it refuses every call.
   */
  @Produces
  @ApplicationScoped
  EntityManager entityManager() {
    return transactionScoped(factory);
  }

  /** A transaction-scoped {@code EntityManager} of {@code factory}, as {@link #entityManager}. */
  static EntityManager transactionScoped(EntityManagerFactory factory) {
    return (EntityManager)
        Proxy.newProxyInstance(
            TestPersistence.class.getClassLoader(),
            new Class<?>[] {EntityManager.class},
            (proxy, method, args) -> {
              try {
                return method.invoke(current(factory), args);
              } catch (InvocationTargetException e) {
                throw e.getCause();
              }
            });
  }

  private static EntityManager current(EntityManagerFactory factory) throws Exception {
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

  public EntityManagerFactory factory() {
    return factory;
  }

  @PreDestroy
  void closeFactory() {
    factory.close();
  }
}
