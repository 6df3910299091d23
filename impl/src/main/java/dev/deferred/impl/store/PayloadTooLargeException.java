package dev.deferred.impl.store;

/** A payload is larger than the payload store accepts. Carries the size and the limit. */
public class PayloadTooLargeException extends StoreException {
  private static final long serialVersionUID = 1L;

  private final long size;
  private final long limit;

  public PayloadTooLargeException(String message, long size, long limit) {
    super(message);
    this.size = size;
    this.limit = limit;
  }

  /** The size of the rejected payload, in bytes. */
  public long size() {
    return size;
  }

  /** The store's limit, in bytes. */
  public long limit() {
    return limit;
  }
}
