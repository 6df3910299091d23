package dev.deferred.sample.it;

import static org.assertj.core.api.Assertions.assertThat;

import jakarta.json.JsonObject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Bad calls fail where they are made, with a message that names the problem; nothing runs. */
@ExtendWith(ServerLogOnFailure.class)
class CallSiteIT {

  @Test
  void argumentThatCannotBeEncodedIsRejectedAtTheCallSite() {
    Defer defer = Defer.task("opaque").with("message", "secret");

    JsonObject error = defer.rejected(400);

    assertThat(error.getString("error")).isEqualTo("dev.deferred.TaskEncodingException");
    assertThat(error.getInt("parameterIndex")).isEqualTo(1);
    assertThat(error.getString("parameterName")).isEqualTo("value");
    assertThat(error.getString("method")).contains("recordOpaque");
    assertThat(error.getString("message"))
        .contains("recordOpaque")
        .contains("dev.deferred.sample.Opaque");
    Defer.awaitMarker("default", 1_000);
    assertThat(Journal.entries(defer.key())).isEmpty();
  }

  @Test
  void unconfiguredQueueIsRejectedAtTheCallSite() {
    Defer defer = Defer.task("record").with("queue", "nonexistent");

    JsonObject error = defer.rejected(400);

    assertThat(error.getString("message")).contains("nonexistent");
  }

  @Test
  void invalidTaskNameIsRejectedAtTheCallSite() {
    Defer defer = Defer.task("record").with("name", "not a valid name!");

    JsonObject error = defer.rejected(400);

    assertThat(error.getString("message")).contains("not a valid name!");
  }
}
