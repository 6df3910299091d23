package dev.deferred.testing;

import dev.deferred.testing.internal.RemoteDriver;
import java.net.URI;
import java.time.Duration;
import java.util.List;

/**
 * {@link TaskQueues} for an integration test against a running server: drives the server's Cloud
 * Tasks emulator over its REST API. Create it with {@link TaskQueues#remote(URI, String, String)}.
 *
 * <p>Differences from the in-process {@code TaskQueues}: the server's queues dispatch on their own
 * unless {@linkplain #pause(String) paused}; a task is delivered by the server's emulator to the
 * server's handler, so a {@link TaskFailedError} has no cause (the exception is in the server's
 * log); arguments are listed as JSON values; the clock cannot be advanced.
 *
 * <pre>{@code
 * RemoteTaskQueues tasks = TaskQueues.remote(URI.create("http://localhost:9023"), "deferred-local", "us-central1");
 * tasks.pause("mail");
 * post("/signup?email=ada@example.com");       // the application defers Mailer.send(...)
 * tasks.assertCount("mail", 1);
 * tasks.process("mail");
 * tasks.resume("mail");
 * }</pre>
 */
public final class RemoteTaskQueues implements TaskQueues {
  private final RemoteDriver driver;

  RemoteTaskQueues(URI emulatorUrl, String project, String location) {
    this.driver = new RemoteDriver(emulatorUrl, project, location);
  }

  /**
   * Pauses a queue of the server: its tasks wait until the test runs them.
   *
   * @param queue the queue id
   */
  public void pause(String queue) {
    driver.pause(queue);
  }

  /**
   * Resumes a queue of the server: its emulator dispatches the queue's tasks on its own again.
   *
   * @param queue the queue id
   */
  public void resume(String queue) {
    driver.resume(queue);
  }

  @Override
  public int process(String queue, FailureBehaviour onFailure, int maxTasks) {
    return driver.process(queue, onFailure, maxTasks);
  }

  @Override
  public void run(PendingTask task) {
    driver.run(task);
  }

  @Override
  public void flush() {
    driver.flush();
  }

  @Override
  public void flush(String queue) {
    driver.flush(queue);
  }

  @Override
  public int count() {
    return driver.count();
  }

  @Override
  public int count(String queue) {
    return driver.count(queue);
  }

  @Override
  public void assertCount(int expected) {
    driver.assertCount(expected);
  }

  @Override
  public void assertCount(String queue, int expected) {
    driver.assertCount(queue, expected);
  }

  @Override
  public List<PendingTask> pending() {
    return driver.pending();
  }

  @Override
  public List<PendingTask> pending(String queue) {
    return driver.pending(queue);
  }

  /**
   * Not available: the server's emulator runs on real time.
   *
   * @throws UnsupportedOperationException always
   */
  @Override
  public void advanceClock(Duration amount) {
    driver.advanceClock(amount);
  }
}
