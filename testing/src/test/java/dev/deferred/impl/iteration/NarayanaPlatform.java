package dev.deferred.impl.iteration;

import jakarta.transaction.TransactionManager;
import org.eclipse.persistence.platform.server.ServerPlatformBase;
import org.eclipse.persistence.sessions.DatabaseSession;
import org.eclipse.persistence.sessions.ExternalTransactionController;
import org.eclipse.persistence.transaction.JTATransactionController;

/**
 * EclipseLink's "server platform" for the tests: JTA transactions come from Narayana, as they come
 * from the application server's transaction manager in production.
 */
public class NarayanaPlatform extends ServerPlatformBase {

  public NarayanaPlatform(DatabaseSession session) {
    super(session);
  }

  @Override
  public Class<? extends ExternalTransactionController> getExternalTransactionControllerClass() {
    return Controller.class;
  }

  /** Finds Narayana's transaction manager. */
  public static class Controller extends JTATransactionController {
    @Override
    protected TransactionManager acquireTransactionManager() {
      return com.arjuna.ats.jta.TransactionManager.transactionManager();
    }
  }
}
