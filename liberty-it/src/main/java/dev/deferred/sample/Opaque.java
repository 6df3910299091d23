package dev.deferred.sample;

/**
 * A value that cannot travel in a task: JSON-B writes it as {@code {}} and cannot create it back
 * (no public no-argument constructor, no setter). Deferring a call with it must fail at the call
 * site.
 */
public final class Opaque {

  private final String secret;

  public Opaque(String secret) {
    this.secret = secret;
  }

  @Override
  public String toString() {
    return "Opaque[" + secret.length() + " chars]";
  }
}
