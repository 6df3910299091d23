package dev.deferred.impl.handler;

import dev.deferred.PermanentTaskFailure;
import dev.deferred.SingularTaskFailure;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Task methods for the outcome tests. Each takes a padding argument: empty, the payload travels in
 * the task; long, it goes to the payload store.
 */
final class Targets {
  private Targets() {}

  static final Map<String, AtomicInteger> ATTEMPTS = new ConcurrentHashMap<>();
  static final BlockingQueue<String> EVENTS = new LinkedBlockingQueue<>();

  static int attempt(String key) {
    return ATTEMPTS.computeIfAbsent(key, k -> new AtomicInteger()).incrementAndGet();
  }

  static int attempts(String key) {
    AtomicInteger n = ATTEMPTS.get(key);
    return n == null ? 0 : n.get();
  }

  /** The bean the tasks run on. */
  @ApplicationScoped
  public static class Work {
    public void succeed(String key, String padding) {
      EVENTS.add("ok " + key + " " + attempt(key));
    }

    public void failOnce(String key, String padding) {
      int n = attempt(key);
      if (n == 1) {
        throw new IllegalStateException("first attempt of " + key + " fails");
      }
      EVENTS.add("ok " + key + " " + n);
    }

    public void alwaysFail(String key, String padding) {
      attempt(key);
      throw new IllegalStateException("always " + key);
    }

    public void permanent(String key, String padding) {
      attempt(key);
      throw new PermanentTaskFailure("Order " + key + " no longer exists");
    }

    public void wrappedPermanent(String key, String padding) {
      attempt(key);
      throw new CompletionException(
          new IllegalStateException(
              "wrapped", new PermanentTaskFailure("Order " + key + " no longer exists")));
    }

    public void settle(Ledger ledger, String padding) {
      attempt("settle");
    }

    public void wrappedSingularOnce(String key, String padding) {
      int n = attempt(key);
      if (n == 1) {
        throw new IllegalStateException("wrapper", new SingularTaskFailure("not ready yet"));
      }
      EVENTS.add("ok " + key + " " + n);
    }
  }

  /** A type with two beans: a task for it cannot pick one. */
  public interface Greeting {
    void greet(String name);
  }

  @ApplicationScoped
  public static class English implements Greeting {
    @Override
    public void greet(String name) {
      attempt("greet " + name);
    }
  }

  @ApplicationScoped
  public static class French implements Greeting {
    @Override
    public void greet(String name) {
      attempt("greet " + name);
    }
  }

  /** A class that is no bean of the deployment. */
  public static class NotABean {
    public void run(String key) {
      attempt(key);
    }
  }
}
