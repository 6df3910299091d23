package dev.deferred.impl.operations;

import static org.assertj.core.api.Assertions.assertThat;

import dev.deferred.FailedTask;
import dev.deferred.FailedTaskPage;
import jakarta.json.bind.Jsonb;
import jakarta.json.bind.JsonbBuilder;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** An admin endpoint can return the API's types as they are: JSON-B writes them. */
class FailedTaskJsonTest {

  @Test
  void jsonBWritesAFailedTaskPageWithPresentValuesAndLeavesEmptyOnesOut() throws Exception {
    FailedTask task =
        new FailedTask(
            "7",
            "mail",
            Optional.of("t1"),
            Optional.of("com.example.Mailer"),
            Optional.of("Mailer.send(String)"),
            Optional.of(List.of(new FailedTask.Argument("java.lang.String", "\"a@b.c\""))),
            Map.of("header X-Tenant", "acme"),
            "java.lang.IllegalStateException",
            Optional.empty(),
            "java.lang.IllegalStateException",
            3,
            Optional.empty(),
            Instant.parse("2026-11-29T10:00:00Z"),
            Optional.empty(),
            Optional.empty(),
            true);
    try (Jsonb jsonb = JsonbBuilder.create()) {
      String json = jsonb.toJson(new FailedTaskPage(List.of(task), Optional.empty()));
      assertThat(json)
          .isEqualTo(
              "{\"tasks\":[{\"arguments\":[{\"json\":\"\\\"a@b.c\\\"\",\"type\":\"java.lang.String\"}],"
                  + "\"attempts\":3,\"beanType\":\"com.example.Mailer\","
                  + "\"deliveryOptions\":{\"header X-Tenant\":\"acme\"},"
                  + "\"exceptionClass\":\"java.lang.IllegalStateException\",\"id\":\"7\","
                  + "\"lastAttemptAt\":\"2026-11-29T10:00:00Z\",\"method\":\"Mailer.send(String)\","
                  + "\"queue\":\"mail\",\"redeferrable\":true,"
                  + "\"stackTraceSummary\":\"java.lang.IllegalStateException\",\"taskName\":\"t1\"}]}");
    }
  }
}
