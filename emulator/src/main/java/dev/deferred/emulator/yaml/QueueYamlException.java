package dev.deferred.emulator.yaml;

/**
 * A {@code queue.yaml} that cannot be turned into Cloud Tasks queues. The message names the file,
 * the line, the queue and the offending value, and says what is accepted instead.
 */
public final class QueueYamlException extends IllegalArgumentException {

  private static final long serialVersionUID = 1L;

  /** Where the YAML came from. */
  private final String source;

  /** 1-based line, 0 for the whole document. */
  private final int line;

  /** The queue entry at fault, or null. */
  private final String queueName;

  QueueYamlException(String source, int line, String queueName, String problem) {
    super(
        source
            + (line > 0 ? ":" + line : "")
            + ": "
            + (queueName == null ? "" : "queue '" + queueName + "': ")
            + problem);
    this.source = source;
    this.line = line;
    this.queueName = queueName;
  }

  /**
   * Where the YAML came from, as given to the parser (usually a file path).
   *
   * @return the source name, never null
   */
  public String source() {
    return source;
  }

  /**
   * The 1-based line of the offending value, or 0 when the problem concerns the whole document.
   *
   * @return the line number
   */
  public int line() {
    return line;
  }

  /**
   * The {@code name} of the queue entry at fault, or null when the problem is outside any entry or
   * the entry has no usable name.
   *
   * @return the queue name or null
   */
  public String queueName() {
    return queueName;
  }
}
