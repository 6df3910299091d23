package dev.deferred.emulator.cli;

import com.google.cloud.tasks.v2.Queue;
import dev.deferred.emulator.CloudTasksEmulator;
import java.io.UncheckedIOException;
import java.util.Arrays;
import java.util.Map;
import java.util.concurrent.CountDownLatch;

/**
 * {@code java -jar cloud-tasks-emulator.jar [flags]}: runs the emulator until SIGTERM or Ctrl-C.
 * See {@link Options#USAGE} for the flags.
 */
public final class Main {

  /** Exit code for a command line that cannot be run. */
  static final int EXIT_USAGE = 2;

  /** Exit code when the emulator cannot start (port in use, invalid queue). */
  static final int EXIT_START_FAILED = 1;

  private Main() {}

  /**
   * Starts the emulator and blocks until the JVM is asked to stop.
   *
   * @param args the flags; {@code --help} lists them
   */
  public static void main(String[] args) {
    Options options;
    try {
      options = Options.parse(Arrays.asList(args));
    } catch (UsageException e) {
      System.err.println("cloud-tasks-emulator: " + e.getMessage());
      System.exit(EXIT_USAGE);
      return;
    }
    if (options.help()) {
      System.out.print(Options.USAGE);
      System.out.flush();
      return;
    }
    CloudTasksEmulator emulator;
    try {
      emulator = start(options);
    } catch (IllegalArgumentException | UncheckedIOException e) {
      System.err.println("cloud-tasks-emulator: cannot start: " + e.getMessage());
      System.exit(EXIT_START_FAILED);
      return;
    }
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  emulator.close();
                  System.err.println("cloud-tasks-emulator: stopped");
                  stopped.countDown();
                },
                "cloud-tasks-emulator-shutdown"));
    System.out.println(readyLine(options, emulator));
    System.out.flush();
    // The emulator's threads are daemons: the main thread keeps the JVM alive until the hook ran.
    try {
      stopped.await();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  static CloudTasksEmulator start(Options options) {
    CloudTasksEmulator.Builder builder =
        CloudTasksEmulator.builder()
            .host(options.host())
            .grpcPort(options.grpcPort())
            .httpPort(options.restPort())
            .project(options.project())
            .location(options.location());
    for (Queue queue : options.queues()) {
      builder.queue(queue);
    }
    if (options.appEngineTarget() != null) {
      builder.appEngineTarget(options.appEngineTarget());
    }
    for (Map.Entry<String, java.net.URI> service : options.appEngineServices().entrySet()) {
      builder.appEngineService(service.getKey(), service.getValue());
    }
    if (options.taskTombstoneTtl() != null) {
      builder.taskTombstoneTtl(options.taskTombstoneTtl());
    }
    if (options.queueTombstoneTtl() != null) {
      builder.queueTombstoneTtl(options.queueTombstoneTtl());
    }
    return builder.start();
  }

  /** The one line printed when ready; scripts may wait for it and read the ports from it. */
  static String readyLine(Options options, CloudTasksEmulator emulator) {
    return "Cloud Tasks emulator listening: gRPC "
        + hostPort(options.host(), emulator.grpcPort())
        + ", REST http://"
        + hostPort(options.host(), emulator.httpPort())
        + "/v2/ (project "
        + options.project()
        + ", location "
        + options.location()
        + "), console http://"
        + hostPort(options.host(), emulator.httpPort())
        + "/";
  }

  private static String hostPort(String host, int port) {
    return (host.contains(":") ? "[" + host + "]" : host) + ":" + port;
  }
}
