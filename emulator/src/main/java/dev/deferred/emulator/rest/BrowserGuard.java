package dev.deferred.emulator.rest;

import com.sun.net.httpserver.Filter;
import com.sun.net.httpserver.HttpExchange;
import dev.deferred.emulator.internal.Messages;
import io.grpc.Status;
import java.io.IOException;
import java.net.InetAddress;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Keeps web pages away from the emulator's HTTP port. Any page open in a developer's browser can
 * send requests to {@code http://localhost:PORT}: a form or a {@code no-cors} fetch (cross-site
 * request forgery), or a page whose own name has been re-pointed at 127.0.0.1 (DNS rebinding),
 * which may then even read the answers. Against the first, a request that carries an {@code Origin}
 * other than the emulator's own is refused (browsers send {@code Origin} on every {@code POST} and
 * on every cross-origin {@code fetch}); against the second, the {@code Host} header must be a
 * loopback name while the emulator is bound to a loopback address. Clients that are not browsers
 * send no {@code Origin} and address the emulator by the name they connected to, so they pass. The
 * third rule, {@code application/json} on writes, is the gateway's.
 *
 * <p>Refusals are Google-style JSON errors, 403 {@code PERMISSION_DENIED}. Thread-safe.
 */
public final class BrowserGuard extends Filter {

  private static final Pattern IPV4_LOOPBACK =
      Pattern.compile("127\\.\\d{1,3}\\.\\d{1,3}\\.\\d{1,3}");

  private final String boundTo;
  private final boolean anyHost;
  private final Set<String> extraHosts;

  private BrowserGuard(String boundTo, boolean anyHost, Set<String> extraHosts) {
    this.boundTo = boundTo;
    this.anyHost = anyHost;
    this.extraHosts = extraHosts;
  }

  /**
   * The guard for a server bound to {@code host}: loopback names only when it is a loopback
   * address; also the bound name itself when it is another specific address; any name when it is
   * the wildcard address ({@code 0.0.0.0}, {@code ::}), where the server is meant to be reached
   * under names it cannot know (containers, other machines).
   *
   * @param host the address as given to the server ({@code 127.0.0.1}, {@code 0.0.0.0}, a name)
   * @param address what it resolved to
   */
  public static BrowserGuard forBinding(String host, InetAddress address) {
    if (address.isAnyLocalAddress()) {
      return new BrowserGuard(host, true, Set.of());
    }
    if (address.isLoopbackAddress()) {
      return new BrowserGuard(host, false, Set.of());
    }
    return new BrowserGuard(
        host,
        false,
        Set.copyOf(
            List.of(
                hostName(host),
                hostName(address.getHostAddress()),
                hostName(address.getHostName()))));
  }

  @Override
  public String description() {
    return "Refuses foreign Host and Origin headers";
  }

  @Override
  public void doFilter(HttpExchange exchange, Chain chain) throws IOException {
    List<String> hosts = exchange.getRequestHeaders().get("Host");
    if (hosts == null || hosts.size() != 1 || hosts.get(0).isBlank()) {
      RestGateway.sendError(
          exchange, Status.INVALID_ARGUMENT.withDescription(Messages.missingHost()));
      return;
    }
    String host = hosts.get(0).trim();
    if (!anyHost && !allowedHost(host)) {
      RestGateway.sendError(
          exchange,
          Status.PERMISSION_DENIED.withDescription(Messages.hostNotAllowed(host, boundTo)));
      return;
    }
    List<String> origins = exchange.getRequestHeaders().get("Origin");
    if (origins != null) {
      String own = "http://" + host;
      for (String origin : origins) {
        // "null" (sandboxed frames, file: pages) is never the emulator.
        if (!origin.trim().equalsIgnoreCase(own)) {
          RestGateway.sendError(
              exchange,
              Status.PERMISSION_DENIED.withDescription(Messages.foreignOrigin(origin, own)));
          return;
        }
      }
    }
    chain.doFilter(exchange);
  }

  private boolean allowedHost(String hostHeader) {
    String name = hostName(hostHeader);
    return name.equals("localhost")
        || name.endsWith(".localhost")
        || IPV4_LOOPBACK.matcher(name).matches()
        || name.equals("::1")
        || name.equals("0:0:0:0:0:0:0:1")
        || extraHosts.contains(name);
  }

  /** The name part of a Host header or an address, lower case, without port or brackets. */
  static String hostName(String value) {
    String v = value.trim().toLowerCase(Locale.ROOT);
    if (v.startsWith("[")) {
      int end = v.indexOf(']');
      return end < 0 ? v : v.substring(1, end);
    }
    int colon = v.indexOf(':');
    if (colon >= 0 && colon == v.lastIndexOf(':')) {
      v = v.substring(0, colon);
    }
    // A fully qualified name may end in a dot.
    return v.endsWith(".") ? v.substring(0, v.length() - 1) : v;
  }
}
