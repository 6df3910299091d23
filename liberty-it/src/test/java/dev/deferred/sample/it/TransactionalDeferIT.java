package dev.deferred.sample.it;

import static org.assertj.core.api.Assertions.assertThat;

import jakarta.json.JsonObject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Defers tied to the JTA transaction of a JPA write, on Liberty's transaction manager. */
@ExtendWith(ServerLogOnFailure.class)
class TransactionalDeferIT {

  @Test
  void transactionalDeferRunsAfterCommitAndTheTaskChangesTheManagedEntity() {
    Defer defer = Defer.task("processNote").with("transaction", "commit");

    JsonObject task = defer.ok();

    assertThat(task.getString("state")).isEqualTo("ENQUEUED");
    assertThat(task.getString("name")).isNotBlank();
    long noteId = task.getJsonNumber("noteId").longValue();
    JsonObject ran = Journal.awaitRun(defer.key());
    // Loaded inside the task method's own transaction, so managed there.
    assertThat(ran.getString("detail"))
        .isEqualTo("note " + noteId + " text=note of " + defer.key() + " managed=true");
    assertThat(ran.getJsonObject("task").getString("taskName")).isEqualTo(task.getString("name"));
    // The task only called the setter: its transaction wrote the change.
    JsonObject note = Json.parse(SampleApp.get("/api/notes/" + noteId).body());
    assertThat(note.getString("processedBy")).isEqualTo(defer.key());
  }

  @Test
  void transactionalDeferIsDroppedOnRollback() {
    Defer defer = Defer.task("processNote").with("transaction", "rollback");

    JsonObject task = defer.ok();

    assertThat(task.getString("state")).isEqualTo("DROPPED");
    assertThat(task.containsKey("name")).isFalse();
    assertThat(SampleApp.get("/api/notes/" + task.getJsonNumber("noteId")).statusCode())
        .isEqualTo(404);
    Defer.awaitMarker("default", 1_000);
    assertThat(Journal.entries(defer.key())).isEmpty();
  }

  @Test
  void explicitlyNonTransactionalDeferRunsEvenIfTheTransactionRollsBack() {
    Defer defer = Defer.task("record").with("transaction", "rollback").with("transactional", false);

    JsonObject task = defer.ok();

    assertThat(task.getString("state")).isEqualTo("ENQUEUED");
    Journal.awaitRun(defer.key());
  }

  @Test
  void deferredMethodCalledInATransactionRunsOnlyAfterCommit() {
    Defer committed = Defer.task("announce").with("transaction", "commit");
    Defer rolledBack = Defer.task("announce").with("transaction", "rollback");

    long noteId = committed.ok().getJsonNumber("noteId").longValue();
    rolledBack.ok();

    JsonObject ran = Journal.awaitRun(committed.key());
    assertThat(ran.getString("detail"))
        .isEqualTo("announced note " + noteId + ": note of " + committed.key());
    assertThat(ran.getJsonObject("task").getString("queueName")).isEqualTo("mail");
    Defer.awaitMarker("mail", 1_000);
    assertThat(Journal.entries(rolledBack.key())).isEmpty();
  }

  @Test
  void transactionalDeferWithoutATransactionIsRejectedAtTheCallSite() {
    Defer defer = Defer.task("record").with("transactional", true);

    JsonObject error = defer.rejected(400);

    assertThat(error.getString("error")).isEqualTo(IllegalStateException.class.getName());
    assertThat(error.getString("message")).containsIgnoringCase("transaction");
  }

  @Test
  void entityReferenceIsReloadedSoTheTaskSeesTheCommittedState() {
    Defer defer =
        Defer.task("recordNoteText")
            .with("transaction", "commit")
            .with("noteText", "draft")
            .with("noteTextAfterDefer", "final");

    defer.ok();

    assertThat(Journal.awaitRun(defer.key()).getString("detail")).isEqualTo("text=final");
  }
}
