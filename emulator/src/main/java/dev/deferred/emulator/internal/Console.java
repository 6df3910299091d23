package dev.deferred.emulator.internal;

import com.google.cloud.tasks.v2.AppEngineHttpRequest;
import com.google.cloud.tasks.v2.Queue;
import com.google.cloud.tasks.v2.RateLimits;
import com.google.cloud.tasks.v2.RetryConfig;
import com.google.cloud.tasks.v2.Task;
import com.google.protobuf.ByteString;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The emulator console: server-rendered HTML pages on the HTTP port, at {@code /} (the queues) and
 * {@code /queue?name=QUEUE} (its tasks), refreshed by a small script that fetches the same page's
 * live part every two seconds. The buttons call the emulator's own REST API, so every change passes
 * the same browser-safety rules as any other client (same origin, JSON). Pages may not be framed
 * (clickjacking) and run only the console's own script (Content-Security-Policy).
 */
public final class Console implements HttpHandler {

  /** Tasks shown per queue page: the first ones by id. */
  static final int MAX_TASKS_SHOWN = 500;

  /** Bodies larger than this are shown as a size only. */
  static final int MAX_BODY_SHOWN = 4096;

  private static final String SCRIPT = resource("console.js");
  private static final String STYLE = resource("console.css");

  private static final java.util.Set<String> PAGES =
      java.util.Set.of("/", "/queue", "/console.js", "/console.css");

  private final EmulatorCore core;

  public Console(EmulatorCore core) {
    this.core = core;
  }

  private static String resource(String name) {
    try (InputStream in =
        Console.class.getResourceAsStream("/dev/deferred/emulator/console/" + name)) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException | NullPointerException e) {
      throw new IllegalStateException("The console resource " + name + " is missing", e);
    }
  }

  @Override
  public void handle(HttpExchange exchange) throws IOException {
    try (exchange) {
      String method = exchange.getRequestMethod();
      String path = exchange.getRequestURI().getRawPath();
      if (!method.equals("GET") || !PAGES.contains(path)) {
        // Not a page: answered like the REST API answers a URL it does not map.
        send(
            exchange,
            404,
            "application/json",
            "{\"error\":{\"code\":404,\"message\":\""
                + json(
                    "No Cloud Tasks v2 REST method or console page matches "
                        + method
                        + " "
                        + path
                        + "; the API is under /v2/, the console at GET /.")
                + "\",\"status\":\"NOT_FOUND\"}}");
        return;
      }
      Map<String, String> query = query(exchange.getRequestURI().getRawQuery());
      boolean fragment = query.containsKey("fragment");
      switch (path) {
        case "/" -> {
          String live = queuesTable();
          send(exchange, 200, "text/html", fragment ? live : page("Queues", "", live));
        }
        case "/queue" -> {
          String name = query.getOrDefault("name", "");
          QueueEntry q = core.queues.get(name);
          if (q == null) {
            send(
                exchange,
                404,
                "text/html",
                page("Queue not found", "", "<p class=\"error\">No queue " + html(name) + ".</p>"));
            return;
          }
          String live = tasksTable(q);
          send(
              exchange,
              200,
              "text/html",
              fragment ? live : page("Queue " + q.shortId, "<a href=\"/\">All queues</a>", live));
        }
        case "/console.js" -> send(exchange, 200, "text/javascript", SCRIPT);
        case "/console.css" -> send(exchange, 200, "text/css", STYLE);
        default -> throw new IllegalStateException("unreachable: " + path);
      }
    }
  }

  private static String page(String title, String nav, String live) {
    return "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
        + "<title>"
        + html(title)
        + " · Cloud Tasks emulator</title>"
        + "<link rel=\"stylesheet\" href=\"/console.css\"></head><body>"
        + "<header><h1>Cloud Tasks emulator</h1><nav>"
        + nav
        + "</nav><span id=\"status\" role=\"status\"></span></header>"
        + "<h2>"
        + html(title)
        + "</h2><div id=\"live\">"
        + live
        + "</div><script src=\"/console.js\"></script></body></html>\n";
  }

  // ---------------------------------------------------------------- queues

  private String queuesTable() {
    StringBuilder b = new StringBuilder();
    Instant now = core.now();
    b.append("<p class=\"time\">Emulator time ").append(html(now.toString())).append("</p>");
    if (core.queues.isEmpty()) {
      return b.append("<p>No queues yet.</p>").toString();
    }
    b.append("<table id=\"queues\"><thead><tr><th>Queue</th><th>State</th><th>Rate</th>")
        .append("<th>Retries</th><th>Waiting</th><th>In flight</th><th>Dispatched</th>")
        .append("<th>Failed attempts</th><th></th></tr></thead><tbody>");
    for (QueueEntry q : core.queues.values()) {
      Queue queue;
      int tasks;
      int inFlight;
      long dispatched;
      long failed;
      synchronized (q) {
        if (q.deleted) {
          continue;
        }
        queue = q.queue;
        tasks = q.tasks.size();
        inFlight = q.inFlight;
        dispatched = q.dispatched;
        failed = q.failedAttempts;
      }
      boolean paused = queue.getState() == Queue.State.PAUSED;
      b.append("<tr data-queue=\"").append(html(q.shortId)).append("\">");
      b.append("<td><a href=\"/queue?name=")
          .append(html(URLEncoder.encode(q.name, StandardCharsets.UTF_8)))
          .append("\" title=\"")
          .append(html(q.name))
          .append("\">")
          .append(html(q.shortId))
          .append("</a></td>");
      b.append("<td class=\"state\">").append(html(stateName(queue.getState()))).append("</td>");
      b.append("<td>").append(html(rate(queue.getRateLimits()))).append("</td>");
      b.append("<td>").append(html(retry(queue.getRetryConfig()))).append("</td>");
      b.append("<td class=\"waiting\">").append(Math.max(0, tasks - inFlight)).append("</td>");
      b.append("<td class=\"in-flight\">").append(inFlight).append("</td>");
      b.append("<td class=\"dispatched\">").append(dispatched).append("</td>");
      b.append("<td class=\"failed\">").append(failed).append("</td>");
      b.append("<td class=\"actions\">");
      String api = "/v2/" + q.name;
      b.append(
          paused
              ? button("resume", "POST", api + ":resume", "Resume", null)
              : button("pause", "POST", api + ":pause", "Pause", null));
      b.append(
          button(
              "purge", "POST", api + ":purge", "Purge", "Delete every task of " + q.shortId + "?"));
      b.append("</td></tr>");
    }
    return b.append("</tbody></table>").toString();
  }

  private static String stateName(Queue.State state) {
    return switch (state) {
      case RUNNING -> "running";
      case PAUSED -> "paused";
      case DISABLED -> "disabled";
      default -> state.name().toLowerCase(Locale.ROOT);
    };
  }

  private static String rate(RateLimits r) {
    return fmt(r.getMaxDispatchesPerSecond())
        + "/s, burst "
        + r.getMaxBurstSize()
        + ", "
        + r.getMaxConcurrentDispatches()
        + " concurrent";
  }

  private static String retry(RetryConfig r) {
    String attempts = r.getMaxAttempts() < 0 ? "unlimited" : Integer.toString(r.getMaxAttempts());
    return attempts
        + " attempts, backoff "
        + seconds(Protos.duration(r.getMinBackoff()))
        + " to "
        + seconds(Protos.duration(r.getMaxBackoff()))
        + ", "
        + r.getMaxDoublings()
        + " doublings"
        + (r.hasMaxRetryDuration() && !Protos.duration(r.getMaxRetryDuration()).isZero()
            ? ", for " + seconds(Protos.duration(r.getMaxRetryDuration()))
            : "");
  }

  private static String seconds(Duration d) {
    return fmt(d.toNanos() / 1e9) + " s";
  }

  private static String fmt(double v) {
    return v == Math.rint(v) ? Long.toString((long) v) : Double.toString(v);
  }

  // ---------------------------------------------------------------- tasks

  private String tasksTable(QueueEntry q) {
    List<TaskView> tasks = new ArrayList<>();
    int total;
    Queue queue;
    synchronized (q) {
      queue = q.queue;
      total = q.tasks.size();
      for (TaskEntry t : q.tasks.values()) {
        if (tasks.size() == MAX_TASKS_SHOWN) {
          break;
        }
        tasks.add(new TaskView(t.id, t.task, List.copyOf(t.attempts), t.inFlight > 0));
      }
    }
    StringBuilder b = new StringBuilder();
    b.append("<p class=\"time\">")
        .append(html(stateName(queue.getState())))
        .append(", ")
        .append(total)
        .append(total == 1 ? " task" : " tasks")
        .append(total > tasks.size() ? " (the first " + tasks.size() + " shown)" : "")
        .append(". Emulator time ")
        .append(html(core.now().toString()))
        .append("</p>");
    if (tasks.isEmpty()) {
      return b.append("<p>No tasks.</p>").toString();
    }
    b.append("<table id=\"tasks\"><thead><tr><th>Task</th><th>Target</th><th>Scheduled</th>")
        .append(
            "<th>Attempts</th><th>Last response</th><th>Body</th><th></th></tr></thead><tbody>");
    for (TaskView t : tasks) {
      Task task = t.task();
      b.append("<tr data-task=\"").append(html(t.id())).append("\">");
      b.append("<td class=\"name\">")
          .append(html(t.id()))
          .append(t.running() ? " <em>running</em>" : "")
          .append("</td>");
      b.append("<td class=\"target\">").append(html(target(task))).append("</td>");
      b.append("<td class=\"schedule\">")
          .append(html(Protos.instant(task.getScheduleTime()).toString()))
          .append("</td>");
      b.append("<td class=\"attempts\">")
          .append(task.getDispatchCount())
          .append(" dispatched, ")
          .append(task.getResponseCount())
          .append(" answered");
      if (!t.attempts().isEmpty()) {
        b.append("<ol>");
        for (TaskEntry.AttemptRecord a : t.attempts()) {
          b.append("<li>")
              .append(html(a.dispatched().toString()))
              .append(": ")
              .append(a.httpStatus() > 0 ? "HTTP " + a.httpStatus() : html(a.error()))
              .append(" at ")
              .append(html(a.responded().toString()))
              .append("</li>");
        }
        b.append("</ol>");
      }
      b.append("</td>");
      b.append("<td class=\"last-response\">").append(html(lastResponse(t))).append("</td>");
      b.append("<td class=\"body\">").append(body(task)).append("</td>");
      String api = "/v2/" + task.getName();
      b.append("<td class=\"actions\">")
          .append(button("run", "POST", api + ":run", "Run now", null))
          .append(button("delete", "DELETE", api, "Delete", "Delete task " + t.id() + "?"))
          .append("</td></tr>");
    }
    return b.append("</tbody></table>").toString();
  }

  private record TaskView(
      String id, Task task, List<TaskEntry.AttemptRecord> attempts, boolean running) {}

  private static String target(Task task) {
    if (task.hasHttpRequest()) {
      return method(task.getHttpRequest().getHttpMethod().name())
          + " "
          + task.getHttpRequest().getUrl();
    }
    AppEngineHttpRequest r = task.getAppEngineHttpRequest();
    var routing = r.getAppEngineRouting();
    StringBuilder route = new StringBuilder("App Engine ");
    route.append(routing.getService().isEmpty() ? "default" : routing.getService());
    if (!routing.getVersion().isEmpty()) {
      route.append(", version ").append(routing.getVersion());
    }
    if (!routing.getInstance().isEmpty()) {
      route.append(", instance ").append(routing.getInstance());
    }
    return method(r.getHttpMethod().name()) + " " + r.getRelativeUri() + " (" + route + ")";
  }

  private static String method(String name) {
    return name.equals("HTTP_METHOD_UNSPECIFIED") ? "POST" : name;
  }

  private static String lastResponse(TaskView t) {
    if (t.attempts().isEmpty()) {
      return "none yet";
    }
    TaskEntry.AttemptRecord last = t.attempts().get(t.attempts().size() - 1);
    return last.httpStatus() > 0 ? "HTTP " + last.httpStatus() : last.error();
  }

  /** The body as text when it is UTF-8 text, else its size. Escaped for HTML either way. */
  private static String body(Task task) {
    ByteString body =
        task.hasHttpRequest()
            ? task.getHttpRequest().getBody()
            : task.getAppEngineHttpRequest().getBody();
    if (body.isEmpty()) {
      return "<span class=\"muted\">empty</span>";
    }
    if (body.size() > MAX_BODY_SHOWN) {
      return body.size() + " bytes";
    }
    try {
      String text =
          StandardCharsets.UTF_8
              .newDecoder()
              .onMalformedInput(CodingErrorAction.REPORT)
              .onUnmappableCharacter(CodingErrorAction.REPORT)
              .decode(ByteBuffer.wrap(body.toByteArray()))
              .toString();
      for (int i = 0; i < text.length(); i++) {
        char c = text.charAt(i);
        if (c < 0x20 && c != '\n' && c != '\r' && c != '\t') {
          return body.size() + " bytes";
        }
      }
      return "<pre>" + html(text) + "</pre>";
    } catch (CharacterCodingException binary) {
      return body.size() + " bytes";
    }
  }

  // ---------------------------------------------------------------- plumbing

  private static String button(
      String action, String method, String url, String label, String confirm) {
    return "<button type=\"button\" class=\""
        + action
        + "\" data-method=\""
        + method
        + "\" data-url=\""
        + html(url)
        + "\""
        + (confirm == null ? "" : " data-confirm=\"" + html(confirm) + "\"")
        + ">"
        + html(label)
        + "</button>";
  }

  /** The inside of a JSON string. */
  private static String json(String s) {
    StringBuilder b = new StringBuilder(s.length() + 16);
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c == '"' || c == '\\') {
        b.append('\\').append(c);
      } else if (c < 0x20 || c == '<' || c == '>' || c == '&' || c > 0x7e) {
        b.append(String.format("\\u%04x", (int) c));
      } else {
        b.append(c);
      }
    }
    return b.toString();
  }

  static String html(String s) {
    if (s == null) {
      return "";
    }
    StringBuilder b = new StringBuilder(s.length() + 16);
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      switch (c) {
        case '<' -> b.append("&lt;");
        case '>' -> b.append("&gt;");
        case '&' -> b.append("&amp;");
        case '"' -> b.append("&quot;");
        case '\'' -> b.append("&#39;");
        default -> b.append(c);
      }
    }
    return b.toString();
  }

  private static Map<String, String> query(String raw) {
    Map<String, String> params = new java.util.HashMap<>();
    if (raw == null) {
      return params;
    }
    for (String pair : raw.split("&")) {
      int eq = pair.indexOf('=');
      try {
        String name =
            URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
        String value =
            eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
        params.putIfAbsent(name, value);
      } catch (IllegalArgumentException malformed) {
        // Ignored: the page then shows what it would without the parameter.
      }
    }
    return params;
  }

  private static void send(HttpExchange exchange, int status, String type, String body) {
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    var headers = exchange.getResponseHeaders();
    headers.set("Content-Type", type + "; charset=utf-8");
    headers.set("Cache-Control", "no-store");
    headers.set("X-Content-Type-Options", "nosniff");
    headers.set("X-Frame-Options", "DENY");
    headers.set(
        "Content-Security-Policy",
        "default-src 'none'; script-src 'self'; style-src 'self'; connect-src 'self';"
            + " img-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'");
    headers.set("Referrer-Policy", "no-referrer");
    try {
      exchange.sendResponseHeaders(status, bytes.length);
      try (OutputStream out = exchange.getResponseBody()) {
        out.write(bytes);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
