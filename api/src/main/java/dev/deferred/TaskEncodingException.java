package dev.deferred;

import java.util.Optional;
import java.util.OptionalInt;

/**
 * A deferred call cannot be encoded into a task payload: an argument does not survive the JSON
 * round trip, a qualifier cannot travel, or a small task's payload is too large. Thrown at the call
 * site, before anything is enqueued, so a task never fails later for a reason known now.
 *
 * <p>The message names the method, the parameter and the reason, e.g. {@code DEFERRED-0201: Cannot
 * defer ReportService.generate(Customer, YearMonth): argument 0 (customer) of type
 * com.example.Customer does not survive the JSON round trip: property 'address' is lost. Make the
 * type JSON-B round-trippable (public no-argument constructor and getters/setters, or a record).}
 */
public class TaskEncodingException extends IllegalArgumentException {

  private static final long serialVersionUID = 1L;

  /** The deferred method, as {@code Type.method(ParamType, ...)}. */
  private final String method;

  /** The zero-based parameter index, or -1. */
  private final int parameterIndex;

  /** The parameter name, or {@code null}. */
  private final String parameterName;

  /** Why the call cannot be encoded. */
  private final String reason;

  /**
   * Creates an encoding failure.
   *
   * @param message the full message
   * @param method the method, as {@code Type.method(ParamType, ...)}
   * @param parameterIndex the zero-based parameter index, or -1 if no single parameter is at fault
   * @param parameterName the parameter name, or {@code null}
   * @param reason why it cannot be encoded, without the context above
   * @param cause the underlying failure, or {@code null}
   */
  public TaskEncodingException(
      String message,
      String method,
      int parameterIndex,
      String parameterName,
      String reason,
      Throwable cause) {
    super(message, cause);
    this.method = method;
    this.parameterIndex = parameterIndex;
    this.parameterName = parameterName;
    this.reason = reason;
  }

  /**
   * The deferred method, as {@code Type.method(ParamType, ...)}.
   *
   * @return the method
   */
  public String method() {
    return method;
  }

  /**
   * The zero-based index of the parameter at fault.
   *
   * @return the index; empty if no single parameter is at fault (e.g. the payload is too large)
   */
  public OptionalInt parameterIndex() {
    return parameterIndex < 0 ? OptionalInt.empty() : OptionalInt.of(parameterIndex);
  }

  /**
   * The name of the parameter at fault, when the class was compiled with {@code -parameters}.
   *
   * @return the name
   */
  public Optional<String> parameterName() {
    return Optional.ofNullable(parameterName);
  }

  /**
   * Why the call cannot be encoded, without the method and parameter context.
   *
   * @return the reason
   */
  public String reason() {
    return reason;
  }
}
