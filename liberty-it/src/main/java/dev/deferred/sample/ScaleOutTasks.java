package dev.deferred.sample;

import dev.deferred.PermanentTaskFailure;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

/**
 * The tasks of the multi-instance scenario. Each writes a {@link TaskRun} row naming the instance
 * that ran it, so that a test can tell which server ran what, even after a server died.
 */
@ApplicationScoped
public class ScaleOutTasks {

  @Inject RunLog runs;

  /** Records that item {@code item} of {@code batch} ran here. */
  public void run(String batch, int item, String deferredBy) {
    runs.record(batch, item, "ran", deferredBy, null);
  }

  /** Records the length of a large argument, which travels through the payload store. */
  public void runLarge(String batch, String deferredBy, String text) {
    runs.record(batch, -1, "ran", deferredBy, "length=" + text.length());
  }

  /**
   * Fails for good the first time it runs in {@code batch} (the failure is recorded by the library
   * and can be re-deferred), and succeeds on every later run.
   */
  public void failOnce(String batch, String deferredBy) {
    if (runs.count(batch, "failed") == 0) {
      runs.recordAlone(batch, -1, "failed", deferredBy, null);
      throw new PermanentTaskFailure("Planned permanent failure of batch " + batch);
    }
    runs.record(batch, -1, "ran", deferredBy, null);
  }
}
