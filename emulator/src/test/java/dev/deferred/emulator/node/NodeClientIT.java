package dev.deferred.emulator.node;

import static org.assertj.core.api.Assertions.assertThat;

import dev.deferred.emulator.CloudTasksEmulator;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Cross-language check: {@code src/test/node/check.mjs} drives the emulator with Google's official
 * Node.js client, over gRPC and over its HTTP/JSON transport, and asserts the documented Cloud
 * Tasks behaviour (status codes and messages, views, dispatch headers, tombstones, paging). The
 * build installs the client with {@code npm ci} from the committed lockfile; the check itself talks
 * only to loopback.
 */
class NodeClientIT {

  @Test
  void officialNodeClientSeesCloudTasksBehaviour(@TempDir Path tmp) throws Exception {
    Path dir = Path.of(System.getProperty("node.check.dir", "src/test/node")).toAbsolutePath();
    assertThat(dir.resolve("node_modules/@google-cloud/tasks"))
        .as("the Node client, installed by `npm ci` in %s (the build does it when missing)", dir)
        .isDirectory();
    try (CloudTasksEmulator emu =
        CloudTasksEmulator.builder()
            .project("node-project")
            .location("asia-northeast1")
            .queueTombstoneTtl(Duration.ofDays(7))
            .start()) {
      Path output = tmp.resolve("node-output.txt");
      ProcessBuilder builder =
          new ProcessBuilder("node", "check.mjs")
              .directory(dir.toFile())
              .redirectErrorStream(true)
              .redirectOutput(output.toFile());
      builder.environment().put("EMULATOR_GRPC", emu.grpcTarget());
      builder.environment().put("EMULATOR_REST_PORT", Integer.toString(emu.httpPort()));
      builder.environment().put("PROJECT", "node-project");
      builder.environment().put("LOCATION", "asia-northeast1");
      Process node = builder.start();
      try {
        boolean exited = node.waitFor(3, TimeUnit.MINUTES);
        String text = Files.readString(output, StandardCharsets.UTF_8);
        assertThat(exited).as("node finished within 3 minutes; output so far:%n%s", text).isTrue();
        assertThat(node.exitValue()).as("node exit code; output:%n%s", text).isZero();
        assertThat(text).contains("12 passed, 0 failed").doesNotContain("not ok");
      } finally {
        node.destroyForcibly();
      }
    }
  }
}
