package dev.deferred.testing.internal;

import com.google.cloud.tasks.v2.ListQueuesResponse;
import com.google.cloud.tasks.v2.ListTasksResponse;
import com.google.cloud.tasks.v2.Queue;
import com.google.cloud.tasks.v2.Task;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Message;
import com.google.protobuf.util.JsonFormat;
import dev.deferred.testing.PendingTask;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * {@code TaskQueues} against a running server: its emulator driven over the Cloud Tasks REST API.
 */
public final class RemoteDriver extends QueueDriver {
  private static final Duration POLL = Duration.ofMillis(20);

  private final URI base;
  private final String project;
  private final String location;
  private final HttpClient http =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();

  /**
   * A driver for one emulator.
   *
   * @param emulatorUrl its HTTP base URL
   * @param project the project of the queues
   * @param location the location of the queues
   */
  public RemoteDriver(URI emulatorUrl, String project, String location) {
    String u = emulatorUrl.toString();
    this.base = URI.create(u.endsWith("/") ? u : u + "/");
    this.project = project;
    this.location = location;
  }

  private String parent() {
    return "projects/" + project + "/locations/" + location;
  }

  private String queueName(String queue) {
    return parent() + "/queues/" + queue;
  }

  @Override
  protected List<String> queueIds() {
    List<String> ids = new ArrayList<>();
    String token = "";
    do {
      ListQueuesResponse.Builder page = ListQueuesResponse.newBuilder();
      call("GET", parent() + "/queues?pageSize=1000" + pageToken(token), page);
      for (Queue q : page.getQueuesList()) {
        ids.add(q.getName().substring(q.getName().lastIndexOf('/') + 1));
      }
      token = page.getNextPageToken();
    } while (!token.isEmpty());
    return ids;
  }

  @Override
  protected List<Task> tasks(String queue) {
    List<Task> tasks = new ArrayList<>();
    String token = "";
    do {
      ListTasksResponse.Builder page = ListTasksResponse.newBuilder();
      call(
          "GET",
          queueName(queue) + "/tasks?responseView=FULL&pageSize=1000" + pageToken(token),
          page);
      tasks.addAll(page.getTasksList());
      token = page.getNextPageToken();
    } while (!token.isEmpty());
    return tasks;
  }

  private static String pageToken(String token) {
    return token.isEmpty() ? "" : "&pageToken=" + URLEncoder.encode(token, StandardCharsets.UTF_8);
  }

  @Override
  protected Outcome runOnce(Task task, int retryCount, PendingTask described) {
    if (send("POST", task.getName() + ":run", "{}").statusCode() == 404) {
      return new Outcome(false, 0, null, "the task is no longer queued");
    }
    long deadline = System.nanoTime() + ATTEMPT_TIMEOUT.toNanos();
    while (System.nanoTime() < deadline) {
      HttpResponse<String> r = send("GET", task.getName() + "?responseView=BASIC", null);
      if (r.statusCode() == 404) {
        // Answered 2xx: Cloud Tasks deletes a task once it succeeded.
        return new Outcome(true, 0, null, "done");
      }
      Task now = parse(r, Task.newBuilder()).build();
      if (now.getDispatchCount() > retryCount && now.getLastAttempt().hasResponseTime()) {
        return new Outcome(
            false,
            0,
            null,
            "the emulator recorded the attempt's status as "
                + com.google.rpc.Code.forNumber(
                    now.getLastAttempt().getResponseStatus().getCode()));
      }
      // The remote emulator has no completion signal to wait on: poll the task, briefly.
      try {
        TimeUnit.NANOSECONDS.sleep(POLL.toNanos());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new AssertionError("Interrupted while waiting for task " + described, e);
      }
    }
    throw new AssertionError(TestingMessages.stillRunning(described.toString(), ATTEMPT_TIMEOUT));
  }

  @Override
  protected boolean exists(Task task) {
    return send("GET", task.getName() + "?responseView=BASIC", null).statusCode() != 404;
  }

  @Override
  protected void delete(Task task) {
    HttpResponse<String> r = send("DELETE", task.getName(), null);
    if (r.statusCode() != 404) {
      check("DELETE", task.getName(), r);
    }
  }

  @Override
  protected void purge(String queue) {
    call("POST", queueName(queue) + ":purge", null);
  }

  /** Pauses a queue: its tasks wait until the test runs them. */
  public void pause(String queue) {
    call("POST", queueName(known(queue)) + ":pause", null);
  }

  /** Resumes a queue: the emulator dispatches its tasks on its own again. */
  public void resume(String queue) {
    call("POST", queueName(known(queue)) + ":resume", null);
  }

  @Override
  protected PendingTask describe(String queue, Task task) {
    return Payloads.raw(queue, task);
  }

  @Override
  protected Instant now() {
    return Instant.now();
  }

  @Override
  public void advanceClock(Duration amount) {
    throw new UnsupportedOperationException(TestingMessages.remoteClock());
  }

  private void call(String method, String path, Message.Builder into) {
    HttpResponse<String> r = send(method, path, method.equals("POST") ? "{}" : null);
    check(method, path, r);
    if (into != null) {
      parse(r, into);
    }
  }

  private void check(String method, String path, HttpResponse<String> r) {
    if (r.statusCode() / 100 != 2) {
      throw new AssertionError(
          TestingMessages.remoteCallFailed(
              method, base.resolve("v2/" + path).toString(), r.statusCode(), r.body()));
    }
  }

  private static <B extends Message.Builder> B parse(HttpResponse<String> r, B into) {
    try {
      JsonFormat.parser().ignoringUnknownFields().merge(r.body(), into);
      return into;
    } catch (InvalidProtocolBufferException e) {
      throw new AssertionError("The emulator answered JSON that is not a Cloud Tasks message", e);
    }
  }

  private HttpResponse<String> send(String method, String path, String body) {
    URI uri = base.resolve("v2/" + path);
    HttpRequest.Builder b = HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(30));
    if (body != null) {
      b.header("Content-Type", "application/json")
          .method(method, HttpRequest.BodyPublishers.ofString(body));
    } else {
      b.method(method, HttpRequest.BodyPublishers.noBody());
    }
    try {
      return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    } catch (IOException e) {
      throw new AssertionError(TestingMessages.remoteUnreachable(uri.toString(), e), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError("Interrupted while calling " + uri, e);
    }
  }
}
