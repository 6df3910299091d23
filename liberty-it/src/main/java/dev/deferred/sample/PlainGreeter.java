package dev.deferred.sample;

import dev.deferred.TaskContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

/** The default {@link Greeter}. */
@ApplicationScoped
public class PlainGreeter implements Greeter {

  @Inject TaskJournal journal;
  @Inject TaskContext context;

  @Override
  public void greet(String key, String name) {
    journal.record(key, "ran", "Hello, " + name + ".", context);
  }
}
