package dev.deferred.testing;

import dev.deferred.Deferred;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** An application bean with a {@code @Deferred} method on a queue of the application's config. */
@ApplicationScoped
public class Mailer {
  static final List<String> SENT = new CopyOnWriteArrayList<>();

  public record Letter(String subject, int copies) {}

  @Deferred(queue = "mail")
  public void send(String to, Letter letter) {
    SENT.add(to + ": " + letter.subject());
  }
}
