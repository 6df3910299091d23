package dev.deferred.impl.client;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.Test;

class TaskSpecTest {

  @Test
  void theRecreationLineHoldsTheCallButNoUsableSignature() {
    TaskSpec spec =
        new TaskSpec(
            "mail",
            "t-1",
            "{\"v\":2,\"queue\":\"mail\"}".getBytes(StandardCharsets.UTF_8),
            "v1=c2VjcmV0LXNpZ25hdHVyZQ",
            Map.of("X-Tenant", "acme"),
            null,
            null,
            null,
            null,
            null,
            null,
            null,
            false,
            "Mailer.send(String)");

    assertThat(spec.recreation())
        .isEqualTo(
            "queue=mail, name=t-1, method=Mailer.send(String), headers={X-Tenant=acme},"
                + " body={\"v\":2,\"queue\":\"mail\"}")
        .doesNotContain("c2VjcmV0LXNpZ25hdHVyZQ");
  }
}
