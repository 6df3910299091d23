package dev.deferred.sample;

/** Greets someone; two beans implement it, told apart by the {@link Loud} qualifier. */
public interface Greeter {

  void greet(String key, String name);
}
