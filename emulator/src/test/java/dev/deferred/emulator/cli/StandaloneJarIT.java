package dev.deferred.emulator.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.api.gax.core.NoCredentialsProvider;
import com.google.api.gax.grpc.InstantiatingGrpcChannelProvider;
import com.google.cloud.tasks.v2.AppEngineHttpRequest;
import com.google.cloud.tasks.v2.CloudTasksClient;
import com.google.cloud.tasks.v2.CloudTasksSettings;
import com.google.cloud.tasks.v2.LocationName;
import com.google.cloud.tasks.v2.Queue;
import com.google.cloud.tasks.v2.Task;
import com.google.protobuf.ByteString;
import com.sun.net.httpserver.HttpServer;
import io.grpc.ManagedChannelBuilder;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Runs {@code target/cloud-tasks-emulator.jar} as users do, in a child JVM, and talks to it with
 * the official client over both transports.
 */
class StandaloneJarIT {

  private static final Pattern READY =
      Pattern.compile(
          "Cloud Tasks emulator listening: gRPC 127\\.0\\.0\\.1:(\\d+), REST"
              + " http://127\\.0\\.0\\.1:(\\d+)/v2/ \\(project p, location l\\), console"
              + " http://127\\.0\\.0\\.1:\\2/");

  private static Path jar() {
    Path jar = Path.of(System.getProperty("emulator.jar", "target/cloud-tasks-emulator.jar"));
    assertThat(jar).as("the shaded jar built by `package`").isRegularFile();
    return jar;
  }

  /** Output goes to files: {@link Process#destroy()} closes the pipes before they can be read. */
  private static Process launch(Path workDir, String... flags) throws IOException {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.add("-jar");
    command.add(jar().toAbsolutePath().toString());
    command.addAll(List.of(flags));
    return new ProcessBuilder(command)
        .directory(workDir.toFile())
        .redirectOutput(workDir.resolve("stdout.txt").toFile())
        .redirectError(workDir.resolve("stderr.txt").toFile())
        .start();
  }

  private static String stdout(Path dir) throws IOException {
    return Files.readString(dir.resolve("stdout.txt"), StandardCharsets.UTF_8);
  }

  private static String stderr(Path dir) throws IOException {
    return Files.readString(dir.resolve("stderr.txt"), StandardCharsets.UTF_8);
  }

  /** Polls stdout for the first complete line, failing early if the JVM dies first. */
  private static String awaitReadyLine(Process process, Path dir) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    while (System.nanoTime() < deadline) {
      String out = stdout(dir);
      int newline = out.indexOf('\n');
      if (newline >= 0) {
        return out.substring(0, newline).strip();
      }
      if (!process.isAlive()) {
        throw new AssertionError(
            "the emulator exited with "
                + process.exitValue()
                + " before it was ready: "
                + stderr(dir));
      }
      try {
        process.onExit().get(50, TimeUnit.MILLISECONDS);
      } catch (TimeoutException stillRunning) {
        // not ready yet: poll again
      }
    }
    throw new AssertionError("no ready line within 60 s; stderr: " + stderr(dir));
  }

  @Test
  void jarStartsServesBothTransportsAndStopsCleanlyOnSigterm(@TempDir Path dir) throws Exception {
    Files.writeString(
        dir.resolve("queue.yaml"), "queue:\n- name: from-yaml\n  rate: 2/s\n  bucket_size: 4\n");
    Process process =
        launch(
            dir,
            "--host=127.0.0.1",
            "--port",
            "0",
            "--project",
            "p",
            "--location=l",
            "--queue",
            "default",
            "--queue-yaml",
            "queue.yaml",
            "--app-engine-target",
            "http://localhost:8080");
    try {
      String ready = awaitReadyLine(process, dir);
      Matcher m = READY.matcher(ready);
      assertThat(m.matches()).as(ready).isTrue();
      int grpcPort = Integer.parseInt(m.group(1));
      int restPort = Integer.parseInt(m.group(2));

      try (CloudTasksClient grpc = grpcClient(grpcPort);
          CloudTasksClient rest = restClient(restPort)) {
        assertThat(names(grpc)).containsExactly("default", "from-yaml");
        assertThat(names(rest)).containsExactly("default", "from-yaml");
        Queue fromYaml = grpc.getQueue("projects/p/locations/l/queues/from-yaml");
        assertThat(fromYaml.getRateLimits().getMaxDispatchesPerSecond()).isEqualTo(2.0);
        assertThat(fromYaml.getRateLimits().getMaxBurstSize()).isEqualTo(4);
      }

      process.destroy(); // SIGTERM
      assertThat(process.waitFor(30, TimeUnit.SECONDS)).as("exits after SIGTERM").isTrue();
      // 143 = 128 + SIGTERM: the JVM's normal exit status after running its shutdown hooks.
      assertThat(process.exitValue()).isEqualTo(143);
      assertThat(stdout(dir))
          .as("exactly one line on stdout")
          .isEqualTo(ready + System.lineSeparator());
      assertThat(stderr(dir)).contains("cloud-tasks-emulator: stopped");
    } finally {
      process.destroyForcibly();
    }
  }

  @Test
  void appEngineTasksFollowTheQueueYamlTargetToTheMappedService(@TempDir Path dir)
      throws Exception {
    BlockingQueue<String> received = new LinkedBlockingQueue<>();
    HttpServer worker = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    worker.createContext(
        "/",
        exchange -> {
          received.add(
              exchange.getRequestURI().getPath()
                  + " "
                  + exchange.getRequestHeaders().getFirst("X-AppEngine-QueueName")
                  + " "
                  + new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
          exchange.sendResponseHeaders(200, -1);
          exchange.close();
        });
    worker.start();
    Files.writeString(dir.resolve("queue.yaml"), "queue:\n- name: routed\n  target: v1.worker\n");
    Process process =
        launch(
            dir,
            "--port=0",
            "--project=p",
            "--location=l",
            "--queue-yaml=queue.yaml",
            // Nothing listens there: a task that ignored the routing would never arrive.
            "--app-engine-target=http://127.0.0.1:9",
            "--app-engine-service=worker=http://127.0.0.1:" + worker.getAddress().getPort());
    try {
      Matcher m = READY.matcher(awaitReadyLine(process, dir));
      assertThat(m.matches()).isTrue();
      try (CloudTasksClient grpc = grpcClient(Integer.parseInt(m.group(1)))) {
        grpc.createTask(
            "projects/p/locations/l/queues/routed",
            Task.newBuilder()
                .setAppEngineHttpRequest(
                    AppEngineHttpRequest.newBuilder()
                        .setRelativeUri("/jobs/1")
                        .setBody(ByteString.copyFromUtf8("hello")))
                .build());
      }

      assertThat(received.poll(60, TimeUnit.SECONDS)).isEqualTo("/jobs/1 routed hello");
    } finally {
      process.destroyForcibly();
      worker.stop(0);
    }
  }

  @Test
  void badFlagPrintsOneLineOnStderrAndExitsWithTwo(@TempDir Path dir) throws Exception {
    Process process = launch(dir, "--port", "9022", "--rest-prot", "9100");

    assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(process.exitValue()).isEqualTo(2);
    assertThat(stdout(dir)).isEmpty();
    assertThat(stderr(dir))
        .isEqualTo(
            "cloud-tasks-emulator: unknown flag '--rest-prot': did you mean --rest-port? (see"
                + " --help)"
                + System.lineSeparator());
  }

  @Test
  void portInUseIsReportedAndExitsWithOne(@TempDir Path dir) throws Exception {
    try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
      int port = taken.getLocalPort();
      Process process = launch(dir, "--port", Integer.toString(port), "--rest-port", "0");

      assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
      assertThat(process.exitValue()).isEqualTo(1);
      assertThat(stdout(dir)).isEmpty();
      assertThat(stderr(dir))
          .startsWith("cloud-tasks-emulator: cannot start: ")
          .contains("gRPC port " + port);
    }
  }

  @Test
  void helpPrintsTheFlagsAndExitsWithZero(@TempDir Path dir) throws Exception {
    Process process = launch(dir, "--help");

    assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(process.exitValue()).isZero();
    assertThat(stdout(dir)).isEqualTo(Options.USAGE);
  }

  private static List<String> names(CloudTasksClient client) {
    return StreamSupport.stream(
            client.listQueues(LocationName.of("p", "l")).iterateAll().spliterator(), false)
        .map(q -> q.getName().substring(q.getName().lastIndexOf('/') + 1))
        .collect(Collectors.toList());
  }

  private static CloudTasksClient grpcClient(int port) throws IOException {
    String target = "127.0.0.1:" + port;
    return CloudTasksClient.create(
        CloudTasksSettings.newBuilder()
            .setCredentialsProvider(NoCredentialsProvider.create())
            .setTransportChannelProvider(
                InstantiatingGrpcChannelProvider.newBuilder()
                    .setEndpoint(target)
                    .setChannelConfigurator(ManagedChannelBuilder::usePlaintext)
                    .build())
            .build());
  }

  private static CloudTasksClient restClient(int port) throws IOException {
    return CloudTasksClient.create(
        CloudTasksSettings.newHttpJsonBuilder()
            .setEndpoint("http://127.0.0.1:" + port)
            .setCredentialsProvider(NoCredentialsProvider.create())
            .build());
  }
}
