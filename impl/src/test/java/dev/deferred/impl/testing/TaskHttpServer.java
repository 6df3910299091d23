package dev.deferred.impl.testing;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.deferred.impl.DeferredRuntime;
import dev.deferred.impl.handler.TaskHandler;
import jakarta.enterprise.inject.spi.CDI;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;

/**
 * Stands in for the JAX-RS runtime that weld tests lack: a real HTTP server on a free port that
 * hands each request to the same {@link TaskHandler} core the JAX-RS resource uses, and keeps what
 * it received and answered, so tests can replay (and tamper with) real deliveries.
 */
public final class TaskHttpServer implements AutoCloseable {

  /** A request as delivered, and the status the handler answered. */
  public record Exchange(Map<String, String> headers, byte[] body, int status) {
    public String header(String name) {
      return headers.get(name);
    }
  }

  public static final String PATH = "/_ah/queue/deferred";

  private final HttpServer server;
  private final ExecutorService executor = Executors.newFixedThreadPool(4);
  private final BlockingQueue<Exchange> exchanges = new LinkedBlockingQueue<>();
  private final Object deliveryMonitor = new Object();
  private long deliveries;

  public TaskHttpServer() throws IOException {
    server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.createContext(PATH, this::handle);
    server.setExecutor(executor);
    server.start();
  }

  public URI url() {
    return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + PATH);
  }

  /** Every exchange so far, in order, waiting for none. */
  public BlockingQueue<Exchange> exchanges() {
    return exchanges;
  }

  /** How many requests the server has answered so far; see {@link #awaitDeliveryAfter}. */
  public long deliveries() {
    synchronized (deliveryMonitor) {
      return deliveries;
    }
  }

  /**
   * Waits, at most {@code timeout}, until the server has answered more than {@code seen} requests.
   * Returns at once when a delivery arrives, so callers re-check their condition exactly when
   * something changed rather than on a fixed interval.
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

  /** Sends a request to the handler as any HTTP client would, bypassing the emulator. */
  public static TaskHandler.Response send(Map<String, String> headers, byte[] body) {
    TreeMap<String, String> h = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
    h.putAll(headers);
    return CDI.current().select(DeferredRuntime.class).get().handler().handle(h::get, body);
  }

  private void handle(HttpExchange exchange) throws IOException {
    byte[] body;
    try (InputStream in = exchange.getRequestBody()) {
      body = in.readAllBytes();
    }
    TreeMap<String, String> headers = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
    for (Map.Entry<String, List<String>> e : exchange.getRequestHeaders().entrySet()) {
      headers.put(e.getKey(), e.getValue().get(0));
    }
    TaskHandler.Response response;
    try {
      response =
          CDI.current().select(DeferredRuntime.class).get().handler().handle(headers::get, body);
    } catch (RuntimeException e) {
      response = new TaskHandler.Response(599, "handler threw " + e);
    }
    // Recorded before answering: once the emulator has the answer (awaitIdle returns), the
    // exchange is here.
    exchanges.add(new Exchange(headers, body, response.status()));
    synchronized (deliveryMonitor) {
      deliveries++;
      deliveryMonitor.notifyAll();
    }
    byte[] out = response.body().getBytes(StandardCharsets.UTF_8);
    exchange.sendResponseHeaders(response.status(), out.length);
    try (OutputStream os = exchange.getResponseBody()) {
      os.write(out);
    }
  }

  @Override
  public void close() {
    server.stop(0);
    executor.shutdownNow();
  }
}
