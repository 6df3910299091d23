package dev.deferred.impl.operations;

import dev.deferred.PermanentTaskFailure;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;

/** Task methods that fail for good until the test lets them through. */
@ApplicationScoped
public class Ledger {
  static volatile boolean healed;
  static final BlockingQueue<String> RUNS = new LinkedBlockingQueue<>();

  public void post(String account, long cents) {
    if (!healed) {
      throw new PermanentTaskFailure("account " + account + " is frozen");
    }
    RUNS.add("post " + account + " " + cents);
  }

  public void archive(String account, String document) {
    if (!healed) {
      throw new IllegalStateException("archive of " + account + " unavailable");
    }
    RUNS.add("archive " + account + " " + document.length());
  }
}
