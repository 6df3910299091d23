package dev.deferred.impl.defer;

import dev.deferred.Deferred;
import dev.deferred.TaskContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Status;
import jakarta.transaction.SystemException;
import jakarta.transaction.TransactionManager;
import jakarta.transaction.Transactional;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;

/** A bean whose methods are @Deferred: calling them through CDI enqueues. */
@ApplicationScoped
public class Mailer {

  /** A JSON-B friendly argument. */
  public record Letter(String subject, String body) {}

  /** What a run saw. */
  public record Sent(String what, String task, boolean inTransaction) {}

  static final BlockingQueue<Sent> SENT = new LinkedBlockingQueue<>();

  @Inject TaskContext context;
  @Inject Archive archive;
  @Inject TransactionManager transactions;

  @Deferred(queue = "mail")
  public void send(String to, Letter letter) {
    SENT.add(new Sent("send " + to + " " + letter.subject(), context.taskName(), active()));
    // A nested call to another @Deferred method is deferred again, not run inline.
    archive.store(to);
  }

  @Deferred(queue = "mail")
  @Transactional
  public void sendInTransaction(String to) {
    SENT.add(new Sent("tx " + to, context.taskName(), active()));
  }

  private boolean active() {
    try {
      return transactions.getStatus() == Status.STATUS_ACTIVE;
    } catch (SystemException e) {
      throw new IllegalStateException(e);
    }
  }

  /** The nested @Deferred target. */
  @ApplicationScoped
  public static class Archive {
    @Inject TaskContext context;

    @Deferred
    public void store(String to) {
      SENT.add(new Sent("archive " + to, context.taskName(), false));
    }
  }
}
