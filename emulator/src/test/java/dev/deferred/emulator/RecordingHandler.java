package dev.deferred.emulator;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

/**
 * A real HTTP endpoint on a free port that records every request and answers with scripted statuses
 * (200 once the script runs out).
 */
final class RecordingHandler implements AutoCloseable {

  record Recorded(
      String method,
      String path,
      Map<String, List<String>> headers,
      byte[] body,
      java.time.Instant receivedAt) {
    String header(String name) {
      for (Map.Entry<String, List<String>> e : headers.entrySet()) {
        if (e.getKey().equalsIgnoreCase(name)) {
          return e.getValue().get(0);
        }
      }
      return null;
    }

    String bodyText() {
      return new String(body, java.nio.charset.StandardCharsets.UTF_8);
    }
  }

  /** What to answer: a status and optional headers, or a hang (never answer until closed). */
  record Reply(int status, Map<String, String> headers, boolean hangs) {
    static Reply of(int status) {
      return new Reply(status, Map.of(), false);
    }

    static Reply hanging() {
      return new Reply(0, Map.of(), true);
    }
  }

  private final HttpServer server;
  private final ExecutorService executor = Executors.newCachedThreadPool();
  private final LinkedBlockingQueue<Recorded> received = new LinkedBlockingQueue<>();
  private final ConcurrentLinkedQueue<Reply> script = new ConcurrentLinkedQueue<>();
  private final CountDownLatch closing = new CountDownLatch(1);
  private volatile Function<Recorded, Reply> responder;

  RecordingHandler() throws IOException {
    server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.setExecutor(executor);
    server.createContext(
        "/",
        ex -> {
          byte[] body;
          try (InputStream in = ex.getRequestBody()) {
            body = in.readAllBytes();
          }
          Recorded r =
              new Recorded(
                  ex.getRequestMethod(),
                  ex.getRequestURI().toString(),
                  Map.copyOf(ex.getRequestHeaders()),
                  body,
                  java.time.Instant.now());
          received.add(r);
          Reply reply = script.poll();
          if (reply == null && responder != null) {
            reply = responder.apply(r);
          }
          if (reply == null) {
            reply = Reply.of(200);
          }
          if (reply.hangs()) {
            try {
              closing.await(60, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
              Thread.currentThread().interrupt();
            }
            ex.close();
            return;
          }
          reply.headers().forEach((k, v) -> ex.getResponseHeaders().add(k, v));
          ex.sendResponseHeaders(reply.status(), -1);
          ex.close();
        });
    server.start();
  }

  URI url(String path) {
    return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + path);
  }

  URI base() {
    return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
  }

  void script(Reply... replies) {
    script.addAll(List.of(replies));
  }

  void script(int... statuses) {
    for (int s : statuses) {
      script.add(Reply.of(s));
    }
  }

  void respond(Function<Recorded, Reply> responder) {
    this.responder = responder;
  }

  /** The next request, waiting up to 20 s; fails the test if none comes. */
  Recorded next() throws InterruptedException {
    Recorded r = received.poll(20, TimeUnit.SECONDS);
    if (r == null) {
      throw new AssertionError("No request reached the handler within 20 s");
    }
    return r;
  }

  /** The next request if one arrives within the given time, else null. */
  Recorded poll(Duration wait) throws InterruptedException {
    return received.poll(wait.toMillis(), TimeUnit.MILLISECONDS);
  }

  List<Recorded> take(int n) throws InterruptedException {
    List<Recorded> out = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      out.add(next());
    }
    return out;
  }

  int pending() {
    return received.size();
  }

  @Override
  public void close() {
    closing.countDown();
    server.stop(0);
    executor.shutdownNow();
  }
}
