package dev.deferred.impl.store;

/** A store could not complete an operation: unreachable, refused, or holding damaged data. */
public class StoreException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public StoreException(String message) {
    super(message);
  }

  public StoreException(String message, Throwable cause) {
    super(message, cause);
  }
}
