package dev.deferred.impl.testsupport;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/** Starts the Datastore emulator once per test run; see {@link DatastoreEmulator}. */
public final class DatastoreEmulatorExtension implements BeforeAllCallback, ParameterResolver {

  private static final ExtensionContext.Namespace NAMESPACE =
      ExtensionContext.Namespace.create(DatastoreEmulatorExtension.class);
  private static final String PROJECT = "deferred-test";
  private static final Duration STARTUP_TIMEOUT = Duration.ofSeconds(90);

  @Override
  public void beforeAll(ExtensionContext context) {
    running(context);
  }

  @Override
  public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
    return parameter.getParameter().getType() == DatastoreEmulatorInstance.class;
  }

  @Override
  public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
    return running(context).instance;
  }

  private static RunningEmulator running(ExtensionContext context) {
    // The root store lives for the whole run and closes its AutoCloseable values at the end.
    return context
        .getRoot()
        .getStore(NAMESPACE)
        .getOrComputeIfAbsent(
            RunningEmulator.class, k -> RunningEmulator.start(), RunningEmulator.class);
  }

  /**
   * An emulator of the test's own, for a fault test that stops it while the shared one stays up.
   */
  public static final class Private implements AutoCloseable {
    private final RunningEmulator running = RunningEmulator.start();

    public DatastoreEmulatorInstance instance() {
      return running.instance;
    }

    /** Stops the emulator (its whole process tree). */
    @Override
    public void close() {
      running.close();
    }
  }

  /**
   * An emulator of the test's own that can be stopped and started again on the same port with the
   * same data, for a fault test of an outage that ends: it keeps its entities on disk in a project
   * directory under {@code target/}, and a stop is the SIGTERM after which the emulator writes them
   * out (checked: an entity written before a stop is read after the restart).
   */
  public static final class Restartable implements AutoCloseable {
    private final int port = RunningEmulator.freePort();
    private final Path projectDir =
        Path.of("target", "datastore-emulator-restartable-" + port).toAbsolutePath();
    private RunningEmulator running;

    /** Creates the project directory and starts the emulator. */
    public Restartable() {
      RunningEmulator.createProject(projectDir);
      start();
    }

    public DatastoreEmulatorInstance instance() {
      return new DatastoreEmulatorInstance("127.0.0.1:" + port, PROJECT);
    }

    /** Stops the emulator (SIGTERM to its whole process tree), which saves its data first. */
    public synchronized void stop() {
      if (running != null) {
        running.close();
        running = null;
      }
    }

    /** Starts the emulator on its port with the data it had when it stopped. */
    public synchronized void start() {
      if (running != null) {
        throw new IllegalStateException("The Datastore emulator on port " + port + " is running");
      }
      running =
          RunningEmulator.start(
              port,
              projectDir,
              List.of("--store_on_disk=true", "--consistency=1.0", projectDir.toString()));
    }

    @Override
    public void close() {
      stop();
    }
  }

  static final class RunningEmulator implements AutoCloseable {
    final DatastoreEmulatorInstance instance;
    private final Process process;
    private final Thread shutdownHook;

    private RunningEmulator(DatastoreEmulatorInstance instance, Process process) {
      this.instance = instance;
      this.process = process;
      // Backstop for a JVM that dies without closing the store: never leave an emulator behind.
      this.shutdownHook = new Thread(this::stop, "datastore-emulator-stop");
      Runtime.getRuntime().addShutdownHook(shutdownHook);
    }

    static RunningEmulator start() {
      int port = freePort();
      // The emulator writes WEB-INF/appengine-generated into its working directory: keep it in
      // target/, out of the source tree.
      Path workDir = Path.of("target", "datastore-emulator-" + port).toAbsolutePath();
      return start(port, workDir, List.of("--store_on_disk=false", "--consistency=1.0"));
    }

    static RunningEmulator start(int port, Path workDir, List<String> options) {
      Path script = script();
      Path log = workDir.resolve("emulator.log");
      Process process;
      try {
        Files.createDirectories(workDir);
        List<String> command = new ArrayList<>();
        command.add(script.toString());
        command.add("start");
        command.add("--host=127.0.0.1");
        command.add("--port=" + port);
        command.addAll(options);
        process =
            new ProcessBuilder(command)
                .directory(workDir.toFile())
                .redirectErrorStream(true)
                // Appended: a restarted emulator's output follows the first one's.
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
                .start();
      } catch (IOException e) {
        throw new UncheckedIOException("Could not start " + script, e);
      }
      RunningEmulator emulator =
          new RunningEmulator(new DatastoreEmulatorInstance("127.0.0.1:" + port, PROJECT), process);
      try {
        emulator.awaitReady(log);
      } catch (RuntimeException e) {
        emulator.close();
        throw e;
      }
      return emulator;
    }

    private void awaitReady(Path log) {
      HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
      URI root = URI.create("http://" + instance.hostPort() + "/");
      Instant deadline = Instant.now().plus(STARTUP_TIMEOUT);
      while (Instant.now().isBefore(deadline)) {
        try {
          HttpResponse<String> response =
              http.send(
                  HttpRequest.newBuilder(root).timeout(Duration.ofSeconds(2)).build(),
                  HttpResponse.BodyHandlers.ofString());
          if (response.statusCode() == 200 && response.body().strip().equals("Ok")) {
            return;
          }
        } catch (IOException notYetListening) {
          // expected while the emulator boots
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          throw new IllegalStateException(
              "Interrupted while waiting for the Datastore emulator", e);
        }
        try {
          // Waiting on the process rather than sleeping notices at once if the emulator died.
          if (process.waitFor(100, TimeUnit.MILLISECONDS)) {
            throw new IllegalStateException(
                "The Datastore emulator exited with status "
                    + process.exitValue()
                    + " before answering on "
                    + root
                    + "; its output:\n"
                    + readLog(log));
          }
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          throw new IllegalStateException(
              "Interrupted while waiting for the Datastore emulator", e);
        }
      }
      throw new IllegalStateException(
          "The Datastore emulator did not answer 'Ok' on "
              + root
              + " within "
              + STARTUP_TIMEOUT
              + "; its output:\n"
              + readLog(log));
    }

    @Override
    public void close() {
      stop();
      try {
        Runtime.getRuntime().removeShutdownHook(shutdownHook);
      } catch (IllegalStateException alreadyShuttingDown) {
        // the hook is running or has run: nothing left to do
      }
    }

    private void stop() {
      // The SDK script forks a java child; killing only the script would orphan the emulator.
      List<ProcessHandle> tree = process.descendants().toList();
      tree.forEach(ProcessHandle::destroy);
      process.destroy();
      for (ProcessHandle handle : tree) {
        awaitExit(handle);
      }
      awaitExit(process.toHandle());
    }

    private static void awaitExit(ProcessHandle handle) {
      try {
        handle.onExit().get(15, TimeUnit.SECONDS);
      } catch (Exception notStopping) {
        handle.destroyForcibly();
      }
    }

    private static String readLog(Path log) {
      try {
        return Files.readString(log, StandardCharsets.UTF_8);
      } catch (IOException e) {
        return "(no output: " + e + ")";
      }
    }

    /** Creates a Datastore project directory for an emulator that keeps its data on disk. */
    static void createProject(Path dir) {
      Path script = script();
      try {
        Files.createDirectories(dir.getParent());
        Process create =
            new ProcessBuilder(script.toString(), "create", dir.toString())
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                .start();
        if (!create.waitFor(120, TimeUnit.SECONDS) || create.exitValue() != 0) {
          create.destroyForcibly();
          throw new IllegalStateException(
              "`" + script + " create " + dir + "` failed or took longer than 120 s");
        }
      } catch (IOException e) {
        throw new UncheckedIOException("Could not run " + script, e);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("Interrupted while creating " + dir, e);
      }
    }

    private static Path script() {
      Path script = sdkRoot().resolve("platform/cloud-datastore-emulator/cloud_datastore_emulator");
      if (!Files.isExecutable(script)) {
        throw new IllegalStateException(
            "The Cloud Datastore emulator is not installed: "
                + script
                + " is missing. Install it with `gcloud components install cloud-datastore-emulator`"
                + " (or the google-cloud-cli-datastore-emulator package).");
      }
      return script;
    }

    static int freePort() {
      try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
        return socket.getLocalPort();
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }

    private static Path sdkRoot() {
      String gcloud = "gcloud";
      try {
        Process info =
            new ProcessBuilder(gcloud, "info", "--format=value(installation.sdk_root)")
                .redirectErrorStream(false)
                .redirectError(ProcessBuilder.Redirect.DISCARD)
                .start();
        String out =
            new String(info.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
        if (!info.waitFor(60, TimeUnit.SECONDS) || info.exitValue() != 0 || out.isEmpty()) {
          throw new IllegalStateException(
              "`gcloud info --format=value(installation.sdk_root)` did not name the Google Cloud"
                  + " SDK directory (exit "
                  + (info.isAlive() ? "timeout" : info.exitValue())
                  + "): the Datastore store tests need the SDK with the cloud-datastore-emulator"
                  + " component");
        }
        return Path.of(out);
      } catch (IOException e) {
        throw new IllegalStateException(
            "The Datastore store tests need the Google Cloud SDK (`gcloud` on the PATH) with the"
                + " cloud-datastore-emulator component; see"
                + " https://cloud.google.com/sdk/docs/install",
            e);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("Interrupted while locating the Google Cloud SDK", e);
      }
    }
  }
}
