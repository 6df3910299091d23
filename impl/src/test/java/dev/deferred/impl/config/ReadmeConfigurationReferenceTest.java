package dev.deferred.impl.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * Messages send users to the README's "Configuration reference" section by name: it must exist and
 * list every key the library knows.
 */
class ReadmeConfigurationReferenceTest {
  private static final String HEADING = "## Configuration reference";

  private static String section() throws IOException {
    String readme = Files.readString(Path.of("..", "README.md"));
    int start = readme.indexOf("\n" + HEADING + "\n");
    assertThat(start).as("README section '%s'", HEADING).isNotNegative();
    int end = readme.indexOf("\n## ", start + HEADING.length() + 1);
    return readme.substring(start, end < 0 ? readme.length() : end);
  }

  @Test
  void theMessageNamesTheSection() {
    assertThat(Messages.unknownKey("deferred.x", Optional.empty()))
        .endsWith("'" + HEADING.substring(3) + "' section of Deferred's README.");
  }

  @Test
  void theSectionListsEveryKey() throws IOException {
    String section = section();
    for (String key : ConfigKey.keys()) {
      assertThat(section).as(key).contains("| `" + key + "` |");
    }
    for (ConfigKey.QueueKey key : ConfigKey.QueueKey.values()) {
      assertThat(section).as(key.suffix()).contains("| `" + key.keyFor("<name>") + "` |");
    }
  }

  /** docs/configuration.md, the full reference, lists them too (Datastore keys in their page). */
  @Test
  void theConfigurationPageListsEveryKey() throws IOException {
    String page = Files.readString(Path.of("..", "docs", "configuration.md"));
    String stores = Files.readString(Path.of("..", "docs", "configuration-stores.md"));
    assertThat(page).contains("| `deferred.datastore.*` |");
    for (String key : ConfigKey.keys()) {
      assertThat(key.startsWith("deferred.datastore.") ? stores : page)
          .as(key)
          .contains("| `" + key + "` |");
    }
    for (ConfigKey.QueueKey key : ConfigKey.QueueKey.values()) {
      assertThat(page).as(key.suffix()).contains("| `" + key.keyFor("<name>") + "` |");
    }
  }
}
