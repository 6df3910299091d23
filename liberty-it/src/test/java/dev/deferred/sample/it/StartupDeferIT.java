package dev.deferred.sample.it;

import static org.assertj.core.api.Assertions.assertThat;

import jakarta.json.JsonObject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A task deferred from the application's own {@code @Initialized(ApplicationScoped.class)} observer
 * is sent to the handler under the context root, and runs.
 */
@ExtendWith(ServerLogOnFailure.class)
class StartupDeferIT {

  @Test
  void aTaskDeferredWhileTheApplicationStartsRuns() {
    JsonObject ran = Journal.awaitRun("deferred-at-startup");

    assertThat(ran.getString("detail")).isEqualTo("deferred while the application started");
    assertThat(ran.getJsonObject("task").getBoolean("isTask")).isTrue();
  }
}
