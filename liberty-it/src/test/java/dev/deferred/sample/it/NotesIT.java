package dev.deferred.sample.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Smoke test: CDI + JAX-RS + JPA + JTA on the XA datasource of the real Liberty server. */
@ExtendWith(ServerLogOnFailure.class)
class NotesIT {

  @Test
  void noteWrittenInOneTransactionIsReadBackInAnother() {
    HttpResponse<String> created = SampleApp.post("/api/notes", "text/plain", "hello liberty");

    assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
    long id = Json.parse(created.body()).getJsonNumber("id").longValue();
    assertThat(created.headers().firstValue("Location"))
        .hasValueSatisfying(location -> assertThat(location).endsWith("/sample/api/notes/" + id));

    HttpResponse<String> read = SampleApp.get("/api/notes/" + id);
    assertThat(read.statusCode()).as(read.body()).isEqualTo(200);
    assertThat(Json.parse(read.body()).getString("text")).isEqualTo("hello liberty");
  }

  @Test
  void unknownNoteIsNotFound() {
    HttpResponse<String> read = SampleApp.get("/api/notes/987654321");

    assertThat(read.statusCode()).isEqualTo(404);
  }
}
