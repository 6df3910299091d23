package dev.deferred.impl.iteration;

import jakarta.transaction.Status;
import jakarta.transaction.Synchronization;
import jakarta.transaction.Transaction;
import jakarta.transaction.TransactionManager;
import jakarta.transaction.TransactionSynchronizationRegistry;
import java.io.PrintWriter;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.logging.Logger;
import javax.sql.DataSource;
import javax.sql.XAConnection;
import org.h2.jdbcx.JdbcDataSource;

/**
 * A JTA data source over H2's XA data source, as an application server's connection pool provides
 * one: inside a transaction every connection is the transaction's one, enlisted with Narayana and
 * closed when the transaction ends; outside, a plain auto-commit connection.
 */
public final class XaDataSource implements DataSource {

  private final JdbcDataSource h2 = new JdbcDataSource();

  public XaDataSource(String url) {
    h2.setURL(url);
    h2.setUser("sa");
  }

  @Override
  public Connection getConnection() throws SQLException {
    TransactionManager tm = com.arjuna.ats.jta.TransactionManager.transactionManager();
    try {
      Transaction tx = tm.getTransaction();
      if (tx == null || tx.getStatus() != Status.STATUS_ACTIVE) {
        return h2.getConnection();
      }
      TransactionSynchronizationRegistry registry =
          new com.arjuna.ats.internal.jta.transaction.arjunacore
              .TransactionSynchronizationRegistryImple();
      Connection existing = (Connection) registry.getResource(this);
      if (existing != null) {
        return existing;
      }
      XAConnection xa = h2.getXAConnection();
      tx.enlistResource(xa.getXAResource());
      Connection physical = xa.getConnection();
      Connection shared = unclosable(physical);
      registry.putResource(this, shared);
      registry.registerInterposedSynchronization(
          new Synchronization() {
            @Override
            public void beforeCompletion() {}

            @Override
            public void afterCompletion(int status) {
              try {
                xa.close();
              } catch (SQLException e) {
                // the transaction is over; nothing depends on this close
              }
            }
          });
      return shared;
    } catch (SQLException e) {
      throw e;
    } catch (Exception e) {
      throw new SQLException("Could not enlist an H2 connection in the JTA transaction", e);
    }
  }

  /** The transaction's connection outlives each user: only the transaction's end closes it. */
  private static Connection unclosable(Connection c) {
    return (Connection)
        Proxy.newProxyInstance(
            XaDataSource.class.getClassLoader(),
            new Class<?>[] {Connection.class},
            (proxy, method, args) -> {
              if (method.getName().equals("close")) {
                return null;
              }
              if (method.getName().equals("isClosed")) {
                return false;
              }
              try {
                return method.invoke(c, args);
              } catch (InvocationTargetException e) {
                throw e.getCause();
              }
            });
  }

  @Override
  public Connection getConnection(String username, String password) throws SQLException {
    return getConnection();
  }

  @Override
  public PrintWriter getLogWriter() {
    return null;
  }

  @Override
  public void setLogWriter(PrintWriter out) {}

  @Override
  public void setLoginTimeout(int seconds) {}

  @Override
  public int getLoginTimeout() {
    return 0;
  }

  @Override
  public Logger getParentLogger() {
    return Logger.getLogger("dev.deferred.impl.iteration");
  }

  @Override
  public <T> T unwrap(Class<T> iface) throws SQLException {
    throw new SQLException("not a wrapper");
  }

  @Override
  public boolean isWrapperFor(Class<?> iface) {
    return false;
  }
}
