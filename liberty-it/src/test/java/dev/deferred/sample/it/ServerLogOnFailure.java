package dev.deferred.sample.it;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.TestWatcher;

/**
 * Prints what Open Liberty wrote to {@code messages.log} while a test ran, when that test fails, so
 * that CI output shows the server side of the failure (stack traces, CDI and JPA errors).
 */
public final class ServerLogOnFailure
    implements BeforeAllCallback, BeforeEachCallback, TestWatcher {

  /** The first failure of the run prints the whole log: start-up problems show up there. */
  private static final long MAX_BYTES = 256 * 1024;

  private static final AtomicBoolean FIRST_FAILURE = new AtomicBoolean(true);

  private static final ExtensionContext.Namespace NS =
      ExtensionContext.Namespace.create(ServerLogOnFailure.class);

  /**
   * Waits until the sample application answers: the build starts the tests once the server says it
   * is ready, and on a slow machine the application may still be starting.
   */
  @Override
  public void beforeAll(ExtensionContext context) {
    SampleApp.awaitStarted();
  }

  @Override
  public void beforeEach(ExtensionContext context) throws IOException {
    Path log = logFile();
    long start = log != null && Files.exists(log) ? Files.size(log) : 0L;
    context.getStore(NS).put("start", start);
  }

  @Override
  public void testFailed(ExtensionContext context, Throwable cause) {
    Path log = logFile();
    if (log == null || !Files.exists(log)) {
      System.out.println("[server log] no messages.log found at " + log);
      return;
    }
    Long start = context.getStore(NS).get("start", Long.class);
    try (RandomAccessFile file = new RandomAccessFile(log.toFile(), "r")) {
      boolean whole = FIRST_FAILURE.getAndSet(false);
      long from = whole || start == null || start > file.length() ? 0L : start;
      from = Math.max(from, file.length() - MAX_BYTES);
      byte[] bytes = new byte[(int) (file.length() - from)];
      file.seek(from);
      file.readFully(bytes);
      System.out.println(
          "[server log] "
              + (whole ? "messages.log up to the failure of " : "messages.log written during ")
              + context.getDisplayName()
              + " ("
              + log
              + "):\n"
              + new String(bytes, StandardCharsets.UTF_8));
    } catch (IOException e) {
      System.out.println("[server log] could not read " + log + ": " + e);
    }
  }

  private static Path logFile() {
    String path = System.getProperty("it.server.log");
    return path == null ? null : Path.of(path);
  }
}
