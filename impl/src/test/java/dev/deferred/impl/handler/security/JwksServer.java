package dev.deferred.impl.handler.security;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

/** A real HTTP server publishing a key set, counting how often it is asked. */
final class JwksServer implements AutoCloseable {
  private final HttpServer server;
  private final AtomicReference<String> body = new AtomicReference<>("{\"keys\":[]}");
  private final AtomicReference<String> cacheControl = new AtomicReference<>();
  private final AtomicInteger status = new AtomicInteger(200);
  private final AtomicInteger requests = new AtomicInteger();
  private final AtomicReference<CountDownLatch> hold = new AtomicReference<>();
  private final CountDownLatch held = new CountDownLatch(1);

  JwksServer() {
    try {
      server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    server.createContext(
        "/certs",
        exchange -> {
          requests.incrementAndGet();
          CountDownLatch release = hold.get();
          if (release != null) {
            held.countDown();
            try {
              release.await(30, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
              Thread.currentThread().interrupt();
            }
          }
          byte[] bytes = body.get().getBytes(StandardCharsets.UTF_8);
          exchange.getResponseHeaders().add("Content-Type", "application/json");
          if (cacheControl.get() != null) {
            exchange.getResponseHeaders().add("Cache-Control", cacheControl.get());
          }
          exchange.sendResponseHeaders(status.get(), bytes.length);
          try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
          }
        });
    server.start();
  }

  URI uri() {
    return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/certs");
  }

  void publish(String jwks) {
    body.set(jwks);
  }

  void cacheControl(String value) {
    cacheControl.set(value);
  }

  void status(int code) {
    status.set(code);
  }

  /** Makes the next responses wait until the returned latch is released. */
  CountDownLatch hold() {
    CountDownLatch release = new CountDownLatch(1);
    hold.set(release);
    return release;
  }

  /** Waits until a request is being held. */
  boolean awaitHeldRequest() throws InterruptedException {
    return held.await(30, TimeUnit.SECONDS);
  }

  int requests() {
    return requests.get();
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
