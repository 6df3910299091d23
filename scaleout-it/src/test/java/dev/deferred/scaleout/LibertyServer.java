package dev.deferred.scaleout;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * One Open Liberty server of the installation the build made ({@code liberty:create}), started,
 * stopped and killed by the tests with the runtime's own {@code bin/server} script. Its instance
 * settings are server variables in {@code configDropins/overrides/instance.xml}, which the sample's
 * MicroProfile Config reads.
 */
final class LibertyServer {

  private static final Duration START_TIMEOUT = Duration.ofMinutes(10);

  private final Path wlp;
  private final String name;
  private final String instance;
  private final int httpPort;
  private final int httpsPort;
  private final Path workDir;
  private boolean started;

  LibertyServer(Path wlp, String name, String instance, Path workDir) {
    this.wlp = wlp;
    this.name = name;
    this.instance = instance;
    this.httpPort = ChildProcess.freePort();
    this.httpsPort = ChildProcess.freePort();
    this.workDir = workDir;
  }

  String name() {
    return name;
  }

  /** The {@code sample.instance} this server reports. */
  String instance() {
    return instance;
  }

  int httpPort() {
    return httpPort;
  }

  /** The sample's base URL on this server, bypassing the load balancer. */
  String baseUrl() {
    return "http://127.0.0.1:" + httpPort + "/sample";
  }

  /**
   * The server's MicroProfile Health endpoint, {@code /health/ready} or {@code /health/live},
   * outside the application's context root.
   */
  Http.Reply health(String which) {
    return Http.reply("http://127.0.0.1:" + httpPort + "/health/" + which);
  }

  Path serverDir() {
    return wlp.resolve("usr/servers").resolve(name);
  }

  Path messagesLog() {
    return serverDir().resolve("logs/messages.log");
  }

  String messages() {
    try {
      return Files.exists(messagesLog())
          ? Files.readString(messagesLog(), StandardCharsets.UTF_8)
          : "";
    } catch (IOException e) {
      return "(unreadable: " + e + ")";
    }
  }

  /**
   * Deploys the WAR and the JDBC driver, and writes the instance's server variables.
   *
   * @param variables MicroProfile Config values of this instance, as server variables
   */
  void configure(Path war, Path h2Jar, Map<String, String> variables) {
    try {
      Path dir = serverDir();
      if (!Files.isDirectory(dir)) {
        throw new IllegalStateException(
            dir + " is missing: the build creates the servers (liberty:create) before the tests");
      }
      Files.createDirectories(dir.resolve("apps"));
      Files.copy(war, dir.resolve("apps/sample.war"), StandardCopyOption.REPLACE_EXISTING);
      Path jdbc = wlp.resolve("usr/shared/resources/jdbc");
      Files.createDirectories(jdbc);
      Files.copy(h2Jar, jdbc.resolve("h2.jar"), StandardCopyOption.REPLACE_EXISTING);
      StringBuilder xml =
          new StringBuilder("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<server>\n");
      variable(xml, "default.http.port", String.valueOf(httpPort));
      variable(xml, "default.https.port", String.valueOf(httpsPort));
      variable(xml, "sample.instance", instance);
      variables.forEach((k, v) -> variable(xml, k, v));
      xml.append("</server>\n");
      Path overrides = dir.resolve("configDropins/overrides");
      Files.createDirectories(overrides);
      Files.writeString(overrides.resolve("instance.xml"), xml.toString(), StandardCharsets.UTF_8);
      // A process id left by an earlier run must never be taken for this run's server.
      Files.deleteIfExists(wlp.resolve("usr/servers/.pid").resolve(name + ".pid"));
      // A bounded heap: three servers and their emulators share a small machine.
      Files.writeString(dir.resolve("jvm.options"), "-Xmx512m\n", StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException("Could not configure server " + name, e);
    }
  }

  private static void variable(StringBuilder xml, String name, String value) {
    xml.append("  <variable name=\"")
        .append(escape(name))
        .append("\" value=\"")
        .append(escape(value))
        .append("\"/>\n");
  }

  private static String escape(String s) {
    return s.replace("&", "&amp;").replace("\"", "&quot;").replace("<", "&lt;");
  }

  /** Runs {@code bin/server start}, which returns once the server process is launched. */
  void start() {
    started = true;
    script("start");
  }

  /** Waits until the sample answers on this server's own port. */
  void awaitReady() throws InterruptedException {
    String probe = baseUrl() + "/api/scaleout/instance";
    Poll.until(
        "server " + name + " serving " + probe,
        START_TIMEOUT,
        Duration.ofMillis(500),
        () -> Http.status(probe),
        status -> status == 200,
        status -> "status " + status + "\n" + tail());
  }

  /** The server JVM's process id, from the file the server script writes. */
  long pid() {
    Path pidFile = wlp.resolve("usr/servers/.pid").resolve(name + ".pid");
    try {
      return Long.parseLong(Files.readString(pidFile, StandardCharsets.UTF_8).strip());
    } catch (IOException | NumberFormatException e) {
      throw new IllegalStateException("no process id for server " + name + " in " + pidFile, e);
    }
  }

  /** SIGKILL: no shutdown hook, no clean stop, requests in flight cut off. */
  void kill() throws Exception {
    ProcessHandle handle =
        ProcessHandle.of(pid())
            .orElseThrow(() -> new IllegalStateException("server " + name + " is not running"));
    handle.destroyForcibly();
    handle.onExit().get(60, TimeUnit.SECONDS);
  }

  /** A clean stop; a server that does not stop is killed. */
  void stop() {
    if (!started) {
      return;
    }
    try {
      script("stop");
    } catch (RuntimeException e) {
      // fall through to the kill below
    }
    try {
      ProcessHandle.of(pid()).ifPresent(ProcessHandle::destroyForcibly);
    } catch (IllegalStateException noPid) {
      // never started
    }
  }

  private void script(String action) {
    List<String> command = new ArrayList<>();
    command.add(wlp.resolve("bin/server").toString());
    command.add(action);
    command.add(name);
    try {
      Files.createDirectories(workDir);
      Path out = workDir.resolve(name + "-" + action + ".log");
      ProcessBuilder builder =
          new ProcessBuilder(command)
              .redirectErrorStream(true)
              .redirectOutput(ProcessBuilder.Redirect.appendTo(out.toFile()));
      builder.environment().put("JAVA_HOME", System.getProperty("java.home"));
      Process process = builder.start();
      if (!process.waitFor(START_TIMEOUT.toMinutes(), TimeUnit.MINUTES)) {
        process.destroyForcibly();
        throw new IllegalStateException("server " + action + " " + name + " did not return");
      }
      if (process.exitValue() != 0) {
        throw new IllegalStateException(
            "server "
                + action
                + " "
                + name
                + " exited with "
                + process.exitValue()
                + ": "
                + Files.readString(out, StandardCharsets.UTF_8));
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  /** The end of the server's log, for failure messages. */
  String tail() {
    String all = messages();
    return "--- "
        + name
        + " messages.log (end) ---\n"
        + all.substring(Math.max(0, all.length() - 6000));
  }
}
