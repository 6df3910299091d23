package dev.deferred.benchmarks.iteration;

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
import java.util.Deque;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.logging.Logger;
import javax.sql.DataSource;
import javax.sql.XAConnection;
import org.h2.jdbcx.JdbcDataSource;

/**
 * A JTA data source over H2's XA data source, as an application server's connection pool provides
 * one: inside a transaction every connection is the transaction's one, taken from a pool of XA
 * connections, enlisted with Narayana and given back to the pool when the transaction ends;
 * outside, a plain auto-commit connection.
 *
 * <p>The pool matters for the figures, not only for realism: H2 closes a database when its last
 * connection closes (writing and compacting its file) and opens it again on the next one, so
 * without a pool every short transaction of the iteration paid for closing and opening the whole
 * database, which no server's pooled data source does.
 */
public final class XaDataSource implements DataSource {

  private final JdbcDataSource h2 = new JdbcDataSource();
  private final Deque<XAConnection> idle = new ConcurrentLinkedDeque<>();

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
      XAConnection pooled = idle.pollFirst();
      XAConnection xa = pooled != null ? pooled : h2.getXAConnection();
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
                // Closing the handle rolls back whatever the transaction did not commit and
                // restores auto-commit; the physical connection goes back to the pool.
                physical.close();
                idle.offerFirst(xa);
              } catch (SQLException e) {
                try {
                  xa.close();
                } catch (SQLException again) {
                  e.addSuppressed(again);
                }
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
    return Logger.getLogger("dev.deferred.benchmarks.iteration");
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
