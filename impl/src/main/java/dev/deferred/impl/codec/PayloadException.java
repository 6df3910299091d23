package dev.deferred.impl.codec;

/**
 * A signed task payload that this deployment cannot turn into a call. The {@link Kind} says whether
 * another attempt can help; it is the whole classification of decoding failures:
 *
 * <ul>
 *   <li>{@link Kind#MALFORMED}: no version of the application can read it. Final: the handler
 *       acknowledges the task and records it with its payload.
 *   <li>{@link Kind#UNKNOWN_CODE}: it is well formed but needs code this deployment lacks. Another
 *       version of the application (a rolling deploy) may read it: retried a bounded number of
 *       times, then recorded.
 * </ul>
 *
 * Decoding reads nothing but the payload and the class loader, so it raises nothing else. Whatever
 * fails around it (the payload store, loading entity arguments, CDI contexts, the database) is not
 * a {@code PayloadException} and is transient: the task is retried with its stored payload kept.
 */
public final class PayloadException extends Exception {
  private static final long serialVersionUID = 1L;

  /** Why decoding failed, and so whether retrying can help. */
  public enum Kind {
    /**
     * Not a payload of ours: not JSON, a wrong structure, or a format version older than this
     * version reads. Retrying cannot help.
     */
    MALFORMED,
    /**
     * Well formed, but names a class, method or qualifier this deployment lacks, carries an
     * argument whose JSON does not fit this deployment's class, or has a newer format version:
     * another version of the application may read it, so a bounded number of retries can help.
     */
    UNKNOWN_CODE
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
