package dev.deferred.impl.operations;

import dev.deferred.PermanentTaskFailure;
import jakarta.enterprise.context.ApplicationScoped;

/** A second bean, for the bean filter. */
@ApplicationScoped
public class Auditor {
  public void post(String account) {
    throw new PermanentTaskFailure("audit of " + account + " refused");
  }
}
