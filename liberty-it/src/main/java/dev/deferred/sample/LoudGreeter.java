package dev.deferred.sample;

import dev.deferred.TaskContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.Locale;

/** The {@link Loud} {@link Greeter}. */
@ApplicationScoped
@Loud
public class LoudGreeter implements Greeter {

  @Inject TaskJournal journal;
  @Inject TaskContext context;

  @Override
  public void greet(String key, String name) {
    journal.record(key, "ran", "HELLO, " + name.toUpperCase(Locale.ROOT) + "!", context);
  }
}
