package dev.deferred.impl.codec;

/** A task payload that cannot be turned into a call; the kind decides whether a retry can help. */
public final class PayloadException extends Exception {
  private static final long serialVersionUID = 1L;

  /** Why decoding failed. */
  public enum Kind {
    /** Not a payload of ours, or of an unsupported version: retrying cannot help. */
    MALFORMED,
    /**
     * Well formed, but names a class, method or qualifier this deployment lacks: during a rolling
     * deploy another version may have it, so a bounded number of retries can help.
     */
    UNKNOWN_CODE,
    /** The payload is in the payload store, which does not have it (any more). */
    MISSING_STORED_PAYLOAD
  }

  private final Kind kind;
  private final String beanType;
  private final String method;

  public PayloadException(
      Kind kind, String message, String beanType, String method, Throwable cause) {
    super(message, cause);
    this.kind = kind;
    this.beanType = beanType;
    this.method = method;
  }

  public Kind kind() {
    return kind;
  }

  /** The bean type named by the payload, if it got that far. */
  public String beanType() {
    return beanType;
  }

  /** The method named by the payload, if it got that far. */
  public String method() {
    return method;
  }
}
