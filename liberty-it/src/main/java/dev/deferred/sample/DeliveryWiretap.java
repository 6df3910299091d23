package dev.deferred.sample;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ReadListener;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletInputStream;
import jakarta.servlet.annotation.WebFilter;
import jakarta.servlet.http.HttpFilter;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import jakarta.servlet.http.HttpServletResponse;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.Collections;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Test instrumentation, not part of the demo: records every request that reaches Deferred's task
 * handler (headers, body and the status it got), so that the integration tests can replay a real
 * delivery with a tampered body or token and check that the handler rejects it. A real application
 * has no such filter. Off unless {@code sample.wiretap.enabled} is {@code true} (the build sets it
 * for the integration tests, not for the demo): it keeps OIDC tokens.
 */
@WebFilter(urlPatterns = {"/_ah/*", "/api/*"})
public class DeliveryWiretap extends HttpFilter {

  private static final long serialVersionUID = 1L;

  @Inject Deliveries deliveries;

  @Override
  protected void doFilter(
      HttpServletRequest request, HttpServletResponse response, FilterChain chain)
      throws IOException, ServletException {
    if (!deliveries.enabled()
        || !"POST".equals(request.getMethod())
        || request.getHeader("X-CloudTasks-TaskName") == null) {
      chain.doFilter(request, response);
      return;
    }
    byte[] body = request.getInputStream().readAllBytes();
    Map<String, String> headers = new LinkedHashMap<>();
    for (String name : Collections.list(request.getHeaderNames())) {
      headers.put(name.toLowerCase(Locale.ROOT), request.getHeader(name));
    }
    chain.doFilter(new CachedBodyRequest(request, body), response);
    deliveries.add(
        new Deliveries.Delivery(
            request.getRequestURI(),
            headers,
            new String(body, StandardCharsets.UTF_8),
            response.getStatus()));
  }

  /** The deliveries seen so far; bounded. */
  @ApplicationScoped
  public static class Deliveries {
    private static final int CAPACITY = 500;
    private final Deque<Delivery> recorded = new ArrayDeque<>();

    @Inject
    @ConfigProperty(name = "sample.wiretap.enabled", defaultValue = "false")
    boolean enabled;

    /** Whether deliveries are recorded at all. */
    public boolean enabled() {
      return enabled;
    }

    /**
     * One request delivered by Cloud Tasks.
     *
     * @param path the request path
     * @param headers the request headers, names in lower case
     * @param body the request body
     * @param status the status the application answered with
     */
    public record Delivery(String path, Map<String, String> headers, String body, int status) {}

    void add(Delivery delivery) {
      synchronized (recorded) {
        if (recorded.size() == CAPACITY) {
          recorded.removeFirst();
        }
        recorded.addLast(delivery);
      }
    }

    /** The deliveries of the task with this short name, oldest first. */
    public List<Delivery> forTask(String taskName) {
      synchronized (recorded) {
        return recorded.stream()
            .filter(d -> taskName.equals(d.headers().get("x-cloudtasks-taskname")))
            .toList();
      }
    }
  }

  private static final class CachedBodyRequest extends HttpServletRequestWrapper {
    private final byte[] body;

    CachedBodyRequest(HttpServletRequest request, byte[] body) {
      super(request);
      this.body = body;
    }

    @Override
    public ServletInputStream getInputStream() {
      ByteArrayInputStream in = new ByteArrayInputStream(body);
      return new ServletInputStream() {
        @Override
        public int read() {
          return in.read();
        }

        @Override
        public int read(byte[] b, int off, int len) {
          return in.read(b, off, len);
        }

        @Override
        public boolean isFinished() {
          return in.available() == 0;
        }

        @Override
        public boolean isReady() {
          return true;
        }

        @Override
        public void setReadListener(ReadListener listener) {
          throw new UnsupportedOperationException("synchronous reads only");
        }
      };
    }
  }
}
