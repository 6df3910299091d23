package dev.deferred.impl.health;

import jakarta.enterprise.context.ApplicationScoped;

/** A task target. */
@ApplicationScoped
public class Archive {
  public void store(String document) {}
}
