package dev.deferred.emulator.cli;

/** A command line that cannot be run: the message is printed as is, and the exit code is 2. */
final class UsageException extends Exception {

  private static final long serialVersionUID = 1L;

  UsageException(String message) {
    super(message);
  }
}
