package dev.deferred.testing.internal;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.deferred.impl.Library;
import dev.deferred.impl.handler.TaskHandler;
import jakarta.enterprise.inject.spi.CDI;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;

/**
 * Stands in for the JAX-RS runtime that a Weld test lacks: a real HTTP server on a free loopback
 * port that hands each request to the same {@link TaskHandler} the library's JAX-RS resource uses,
 * and keeps every exchange: the request, the status answered and the exception the task threw.
 *
 * <p>An exchange is recorded <em>before</em> the answer is sent, so whoever learns that the
 * emulator has the answer (its dispatch finished) also finds the exchange here.
 */
public final class TaskHttpServer implements AutoCloseable {

  /** The path the server answers on, the library's default handler path. */
  public static final String PATH = "/_ah/queue/deferred";

  /**
   * A request as delivered and what came of it.
   *
   * @param headers the request headers (case-insensitive keys, first value)
   * @param body the request body
   * @param status the status the handler answered
   * @param response the handler's answer body
   * @param failure the exception the handler's answer carries (the one the task threw), if any
   */
  public record Exchange(
      Map<String, String> headers, byte[] body, int status, String response, Throwable failure) {

    /**
     * A request header.
     *
     * @param name case-insensitive
     * @return its value or {@code null}
     */
    public String header(String name) {
      return headers.get(name);
    }

    /** The queue's task name header of either target type. */
    String taskName() {
      String n = header("X-CloudTasks-TaskName");
      return n != null ? n : header("X-AppEngine-TaskName");
    }

    /** The retry count header of either target type, -1 if absent. */
    int retryCount() {
      String n = header("X-CloudTasks-TaskRetryCount");
      if (n == null) {
        n = header("X-AppEngine-TaskRetryCount");
      }
      try {
        return n == null ? -1 : Integer.parseInt(n.trim());
      } catch (NumberFormatException e) {
        return -1;
      }
    }

    /** Whether the task succeeded: a 2xx and no failure recorded by the handler. */
    public boolean succeeded() {
      return status >= 200 && status < 300 && failure == null;
    }
  }

  private final HttpServer server;
  private final ExecutorService executor;
  private final BlockingQueue<Exchange> exchanges = new LinkedBlockingQueue<>();
  private final Object deliveryMonitor = new Object();
  private long deliveries;

  /**
   * Starts the server on a free port of 127.0.0.1.
   *
   * @throws IOException if no port can be bound
   */
  public TaskHttpServer() throws IOException {
    executor =
        Executors.newFixedThreadPool(
            4,
            r -> {
              Thread t = new Thread(r, "deferred-test-task-server");
              t.setDaemon(true);
              return t;
            });
    server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.createContext(PATH, this::handle);
    server.setExecutor(executor);
    server.start();
  }

  /** The handler URL, {@code http://127.0.0.1:PORT/_ah/queue/deferred}. */
  public URI url() {
    return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + PATH);
  }

  /** Every exchange so far, in order. */
  public BlockingQueue<Exchange> exchanges() {
    return exchanges;
  }

  /** The latest exchange of a task's attempt with this retry count, if the server had it. */
  Exchange find(String taskName, int retryCount) {
    Exchange found = null;
    for (Exchange e : exchanges) {
      if (taskName.equals(e.taskName()) && e.retryCount() == retryCount) {
        found = e;
      }
    }
    return found;
  }

  /** How many requests the server has answered so far; see {@link #awaitDeliveryAfter}. */
  public long deliveries() {
    synchronized (deliveryMonitor) {
      return deliveries;
    }
  }

  /**
   * Waits, at most {@code timeout}, until the server has recorded more than {@code seen} requests.
   * Returns at once when one arrives, so callers re-check their condition exactly when something
   * changed.
   *
   * @param seen a value of {@link #deliveries()}
   * @param timeout the longest wait
   * @throws InterruptedException if interrupted
   */
  public void awaitDeliveryAfter(long seen, Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    synchronized (deliveryMonitor) {
      long left;
      while (deliveries <= seen && (left = deadline - System.nanoTime()) > 0) {
        deliveryMonitor.wait(Math.max(1, left / 1_000_000));
      }
    }
  }

  /**
   * Sends a request straight to the running application's handler, as any HTTP client could,
   * bypassing the emulator.
   *
   * @param headers request headers
   * @param body request body
   * @return the handler's answer
   */
  public static TaskHandler.Response send(Map<String, String> headers, byte[] body) {
    TreeMap<String, String> h = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
    h.putAll(headers);
    return handler().handle(h::get, body);
  }

  private static TaskHandler handler() {
    return CDI.current().select(TaskHandler.class, Library.LITERAL).get();
  }

  private void handle(HttpExchange exchange) throws IOException {
    try (exchange) {
      byte[] body;
      try (InputStream in = exchange.getRequestBody()) {
        body = in.readAllBytes();
      }
      TreeMap<String, String> headers = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
      exchange.getRequestHeaders().forEach((k, v) -> headers.put(k, v.get(0)));
      TaskHandler.Response response;
      try {
        response = handler().handle(headers::get, body);
      } catch (RuntimeException | Error e) {
        response = new TaskHandler.Response(500, "handler threw " + e, e);
      }
      Throwable failure = response.failure();
      // Recorded before answering: once the emulator has the answer, the exchange is here.
      exchanges.add(new Exchange(headers, body, response.status(), response.body(), failure));
      synchronized (deliveryMonitor) {
        deliveries++;
        deliveryMonitor.notifyAll();
      }
      byte[] out = response.body().getBytes(StandardCharsets.UTF_8);
      exchange.sendResponseHeaders(response.status(), out.length == 0 ? -1 : out.length);
      try (OutputStream os = exchange.getResponseBody()) {
        os.write(out);
      }
    }
  }

  @Override
  public void close() {
    server.stop(0);
    executor.shutdownNow();
  }
}
