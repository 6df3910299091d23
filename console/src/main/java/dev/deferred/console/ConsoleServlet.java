package dev.deferred.console;

import static dev.deferred.console.Html.query;
import static dev.deferred.console.Html.text;

import dev.deferred.DeferredTask;
import dev.deferred.FailedTask;
import dev.deferred.FailedTaskFilter;
import dev.deferred.FailedTaskPage;
import dev.deferred.FailedTasks;
import dev.deferred.IterationProgress;
import dev.deferred.IterationService;
import dev.deferred.TaskCounts;
import jakarta.enterprise.inject.spi.CDI;
import jakarta.inject.Inject;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.HttpSession;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The console's pages. Every answer checks the role again (the container already demands it), sends
 * no script, forbids framing and escapes every value. A change (re-defer, delete) is a POST that
 * must come from the console's own origin and carry the session's form token.
 */
public class ConsoleServlet extends HttpServlet {
  private static final long serialVersionUID = 1L;

  static final String PATH_PARAM = "dev.deferred.console.path";
  static final String ROLE_PARAM = "dev.deferred.console.role";
  private static final String TOKEN = "dev.deferred.console.token";
  private static final String NOTICE = "dev.deferred.console.notice";
  private static final int PAGE_SIZE = 50;
  private static final SecureRandom RANDOM = new SecureRandom();

  /** Iterations listed on the iterations page. */
  static final int ITERATIONS = 50;

  /** While an iteration runs, the iterations page reloads itself this often. */
  static final int REFRESH_SECONDS = 5;

  @Inject transient FailedTasks failedTasks;
  @Inject transient IterationService iterations;
  @Inject transient TaskCounts counts;

  @Override
  public void init() {
    // A container that does not inject servlets it creates from a ServletContainerInitializer.
    if (failedTasks == null) {
      failedTasks = CDI.current().select(FailedTasks.class).get();
    }
    if (iterations == null) {
      iterations = CDI.current().select(IterationService.class).get();
    }
    if (counts == null) {
      counts = CDI.current().select(TaskCounts.class).get();
    }
  }

  @Override
  protected void doGet(HttpServletRequest req, HttpServletResponse resp) throws IOException {
    if (!allowed(req, resp)) {
      return;
    }
    String where = req.getPathInfo() == null ? "/" : req.getPathInfo();
    switch (where) {
      case "/" -> list(req, resp);
      case "/task" -> details(req, resp);
      case "/iterations" -> iterations(req, resp);
      case "/queues" -> queues(req, resp);
      default -> resp.sendError(HttpServletResponse.SC_NOT_FOUND);
    }
  }

  @Override
  protected void doPost(HttpServletRequest req, HttpServletResponse resp) throws IOException {
    if (!allowed(req, resp) || !sameOriginWithToken(req, resp)) {
      return;
    }
    String where = req.getPathInfo() == null ? "/" : req.getPathInfo();
    String id = req.getParameter("id");
    if (id == null || id.isBlank()) {
      resp.sendError(HttpServletResponse.SC_BAD_REQUEST);
      return;
    }
    switch (where) {
      case "/redefer" -> {
        try {
          DeferredTask task = failedTasks.redefer(id);
          notice(
              req,
              "Re-deferred on queue "
                  + task.queue()
                  + " as "
                  + task.name().orElse("a new task (named when the transaction commits)")
                  + ".");
        } catch (RuntimeException e) {
          notice(
              req, "Not re-deferred: " + (e.getMessage() == null ? e.toString() : e.getMessage()));
        }
        resp.sendRedirect(base(req) + "/task?id=" + query(id));
      }
      case "/delete" -> {
        boolean deleted = failedTasks.delete(id);
        notice(
            req,
            deleted
                ? "Deleted failed task " + id + "."
                : "No failed task " + id + " (deleted already).");
        resp.sendRedirect(base(req) + "/");
      }
      default -> resp.sendError(HttpServletResponse.SC_NOT_FOUND);
    }
  }

  private boolean allowed(HttpServletRequest req, HttpServletResponse resp) throws IOException {
    String role = getInitParameter(ROLE_PARAM);
    String refusal = null;
    if (role == null) {
      refusal = ConsoleMessages.noRole(req.getContextPath() + getInitParameter(PATH_PARAM));
    } else if (!req.isUserInRole(role)) {
      refusal = ConsoleMessages.notInRole(role);
    }
    if (refusal != null) {
      resp.setStatus(HttpServletResponse.SC_FORBIDDEN);
      resp.setContentType("text/plain;charset=UTF-8");
      resp.getWriter().write(refusal);
      return false;
    }
    return true;
  }

  private boolean sameOriginWithToken(HttpServletRequest req, HttpServletResponse resp)
      throws IOException {
    String expected = origin(req);
    String origin = req.getHeader("Origin");
    String referer = req.getHeader("Referer");
    String refusal = null;
    if (origin != null
        ? !origin.equals(expected)
        : referer == null || !referer.startsWith(expected + "/")) {
      refusal =
          ConsoleMessages.foreignOrigin(
              origin != null ? origin : String.valueOf(referer), expected);
    } else {
      HttpSession session = req.getSession(false);
      Object token = session == null ? null : session.getAttribute(TOKEN);
      String sent = req.getParameter("token");
      if (token == null
          || sent == null
          || !MessageDigest.isEqual(
              token.toString().getBytes(StandardCharsets.UTF_8),
              sent.getBytes(StandardCharsets.UTF_8))) {
        refusal = ConsoleMessages.badToken();
      }
    }
    if (refusal != null) {
      resp.setStatus(HttpServletResponse.SC_FORBIDDEN);
      resp.setContentType("text/plain;charset=UTF-8");
      resp.getWriter().write(refusal);
      return false;
    }
    return true;
  }

  private void list(HttpServletRequest req, HttpServletResponse resp) throws IOException {
    String queue = param(req, "queue");
    String bean = param(req, "bean");
    String method = param(req, "method");
    FailedTaskFilter filter = FailedTaskFilter.all();
    if (queue != null) {
      filter = filter.queue(queue);
    }
    if (bean != null) {
      filter = filter.bean(bean);
    }
    if (method != null) {
      filter = filter.method(method);
    }
    StringBuilder b = new StringBuilder();
    b.append("<h1>Failed tasks</h1>");
    b.append("<form method=\"get\" action=\"")
        .append(text(base(req)))
        .append("/\" class=\"filters\">")
        .append(input("queue", "Queue", queue))
        .append(input("bean", "Bean type", bean))
        .append(input("method", "Method", method))
        .append("<button type=\"submit\">Filter</button> <a href=\"")
        .append(text(base(req)))
        .append("/\">Clear</a></form>");
    FailedTaskPage page;
    try {
      page = failedTasks.list(filter, PAGE_SIZE, param(req, "cursor"));
    } catch (RuntimeException e) {
      b.append("<p class=\"error\">").append(text(e.getMessage())).append("</p>");
      send(req, resp, "Failed tasks", b);
      return;
    }
    if (page.tasks().isEmpty()) {
      b.append("<p id=\"empty\">No failed tasks")
          .append(queue != null || bean != null || method != null ? " match the filter" : "")
          .append(".</p>");
    } else {
      b.append(
          "<table id=\"failed\"><thead><tr><th>Last attempt (UTC)</th><th>Queue</th><th>Call</th><th>Exception</th><th>Attempts</th><th>Re-deferred as</th></tr></thead><tbody>");
      for (FailedTask t : page.tasks()) {
        b.append("<tr data-id=\"")
            .append(text(t.id()))
            .append("\"><td><a href=\"")
            .append(text(base(req) + "/task?id=" + query(t.id())))
            .append("\">")
            .append(text(time(t.lastAttemptAt())))
            .append("</a></td><td>")
            .append(text(t.queue()))
            .append("</td><td>")
            .append(text(t.method().orElse("(unreadable payload)")))
            .append("</td><td>")
            .append(text(simple(t.exceptionClass())))
            .append(t.message().map(m -> ": " + text(shorten(m))).orElse(""))
            .append("</td><td>")
            .append(t.attempts())
            .append("</td><td>")
            .append(text(t.redeferredAs().orElse("")))
            .append("</td></tr>");
      }
      b.append("</tbody></table>");
    }
    page.nextCursor()
        .ifPresent(
            c ->
                b.append("<p><a id=\"next\" href=\"")
                    .append(
                        text(
                            base(req)
                                + "/?cursor="
                                + query(c)
                                + (queue == null ? "" : "&queue=" + query(queue))
                                + (bean == null ? "" : "&bean=" + query(bean))
                                + (method == null ? "" : "&method=" + query(method))))
                    .append("\">Next page</a></p>"));
    send(req, resp, "Failed tasks", b);
  }

  private void details(HttpServletRequest req, HttpServletResponse resp) throws IOException {
    String id = param(req, "id");
    Optional<FailedTask> found = id == null ? Optional.empty() : failedTasks.find(id);
    StringBuilder b = new StringBuilder();
    if (found.isEmpty()) {
      resp.setStatus(HttpServletResponse.SC_NOT_FOUND);
      b.append("<h1>Failed task</h1><p class=\"error\">No failed task has the id ")
          .append(text(id))
          .append(" (any more).</p>");
      send(req, resp, "Failed task", b);
      return;
    }
    FailedTask t = found.get();
    b.append("<h1>Failed task ").append(text(t.id())).append("</h1><table id=\"task\">");
    row(b, "Queue", t.queue());
    row(b, "Task name", t.taskName().orElse(""));
    row(b, "Bean type", t.beanType().orElse(""));
    row(b, "Method", t.method().orElse("(unreadable payload)"));
    row(b, "Exception", t.exceptionClass());
    row(b, "Message", t.message().orElse(""));
    row(b, "Attempts", Integer.toString(t.attempts()));
    row(b, "First attempt (UTC)", t.firstAttemptAt().map(ConsoleServlet::time).orElse(""));
    row(b, "Last attempt (UTC)", time(t.lastAttemptAt()));
    row(b, "Re-deferred as", t.redeferredAs().orElse(""));
    row(b, "Re-deferred at (UTC)", t.redeferredAt().map(ConsoleServlet::time).orElse(""));
    b.append("</table><h2>Arguments</h2>");
    if (t.arguments().isEmpty()) {
      b.append("<p>Not readable: the payload of this task could not be decoded.</p>");
    } else if (t.arguments().get().isEmpty()) {
      b.append("<p>None.</p>");
    } else {
      b.append(
          "<table id=\"arguments\"><thead><tr><th>#</th><th>Type</th><th>Value (JSON)</th></tr></thead><tbody>");
      int i = 0;
      for (FailedTask.Argument a : t.arguments().get()) {
        b.append("<tr><td>")
            .append(i++)
            .append("</td><td>")
            .append(text(a.type()))
            .append("</td><td><pre>")
            .append(text(a.json()))
            .append("</pre></td></tr>");
      }
      b.append("</tbody></table>");
    }
    if (!t.deliveryOptions().isEmpty()) {
      b.append("<h2>Delivery options</h2><table id=\"delivery\">");
      t.deliveryOptions().forEach((name, value) -> row(b, name, value));
      b.append("</table>");
    }
    b.append("<h2>Stack trace</h2><pre id=\"stack\">")
        .append(text(t.stackTraceSummary()))
        .append("</pre>");
    String token = token(req);
    b.append("<div class=\"actions\">");
    if (t.redeferrable()) {
      b.append(form(req, "redefer", t.id(), token, "Re-defer"));
    } else {
      b.append("<p>This task cannot be re-deferred: its recorded payload is not readable.</p>");
    }
    b.append(form(req, "delete", t.id(), token, "Delete"));
    b.append("</div>");
    send(req, resp, "Failed task " + t.id(), b);
  }

  private void iterations(HttpServletRequest req, HttpServletResponse resp) throws IOException {
    StringBuilder b = new StringBuilder();
    b.append("<h1>Iterations</h1>");
    List<IterationProgress> list;
    try {
      list = iterations.recent(ITERATIONS);
    } catch (RuntimeException e) {
      b.append("<p class=\"error\">").append(text(e.getMessage())).append("</p>");
      send(req, resp, "Iterations", b);
      return;
    }
    b.append(
        "<p class=\"hint\">The iterations that have a marker, newest first: running, failed, and"
            + " finished ones kept with deleteMarker(false). A finished iteration's marker is"
            + " deleted by default, so it leaves this list.</p>");
    if (list.isEmpty()) {
      b.append("<p id=\"empty\">No iteration has a marker.</p>");
      send(req, resp, "Iterations", b);
      return;
    }
    Instant now = Instant.now();
    boolean running = false;
    b.append(
        "<table id=\"iterations\"><thead><tr><th>Iteration</th><th>State</th><th>Progress</th><th>Shards finished</th><th>Rows processed</th><th>Started (UTC)</th><th>Duration</th><th>Failure</th></tr></thead><tbody>");
    for (IterationProgress p : list) {
      running |=
          p.state() == IterationProgress.State.RUNNING
              || p.state() == IterationProgress.State.FINALIZING;
      int max = Math.max(1, p.shards());
      int value = p.shards() == 0 ? 1 : Math.min(p.shardsFinished(), p.shards());
      long percent = Math.round(p.fraction() * 100);
      b.append("<tr data-id=\"")
          .append(text(p.id()))
          .append("\"><td><code>")
          .append(text(p.id()))
          .append("</code></td><td class=\"state ")
          .append(p.state().name().toLowerCase(java.util.Locale.ROOT))
          .append("\">")
          .append(p.state().name())
          .append("</td><td><progress max=\"")
          .append(max)
          .append("\" value=\"")
          .append(value)
          .append("\">")
          .append(percent)
          .append(" %</progress> ")
          .append(percent)
          .append(" %</td><td class=\"shards\">")
          .append(p.shardsFinished())
          .append(" / ")
          .append(p.shards())
          .append("</td><td class=\"rows\">")
          .append(p.rowsProcessed())
          .append("</td><td>")
          .append(text(time(p.startedAt())))
          .append("</td><td>")
          .append(text(duration(Duration.between(p.startedAt(), p.endedAt().orElse(now)))))
          .append(p.endedAt().isPresent() ? "" : " so far")
          .append("</td><td>")
          .append(text(p.failure().map(ConsoleServlet::shorten).orElse("")))
          .append("</td></tr>");
    }
    b.append("</tbody></table>");
    if (running) {
      b.append("<p class=\"hint\">This page reloads every ")
          .append(REFRESH_SECONDS)
          .append(" seconds while an iteration runs.</p>");
    }
    send(req, resp, "Iterations", b, running ? REFRESH_SECONDS : 0);
  }

  private void queues(HttpServletRequest req, HttpServletResponse resp) throws IOException {
    StringBuilder b = new StringBuilder();
    b.append("<h1>Queues</h1><p class=\"hint\">Counted by this instance of the application since ")
        .append(text(time(counts.since())))
        .append(
            " UTC; each instance counts what it deferred and what it handled. The OpenTelemetry"
                + " metrics deferred.tasks.* count the same events across instances.</p>");
    b.append(
        "<table id=\"queues\"><thead><tr><th>Queue</th><th>Deferred</th><th>Succeeded</th><th>Retried</th><th>Failed</th></tr></thead><tbody>");
    for (Map.Entry<String, TaskCounts.QueueCounts> e : counts.byQueue().entrySet()) {
      TaskCounts.QueueCounts c = e.getValue();
      b.append("<tr data-queue=\"")
          .append(text(e.getKey()))
          .append("\"><td>")
          .append(text(e.getKey()))
          .append("</td><td class=\"deferred\">")
          .append(c.deferred())
          .append("</td><td class=\"succeeded\">")
          .append(c.succeeded())
          .append("</td><td class=\"retried\">")
          .append(c.retried())
          .append("</td><td class=\"failed\"><a href=\"")
          .append(text(base(req) + "/?queue=" + query(e.getKey())))
          .append("\">")
          .append(c.failed())
          .append("</a></td></tr>");
    }
    b.append("</tbody></table>");
    send(req, resp, "Queues", b);
  }

  /** {@code 12 s}, {@code 3 min 05 s}, {@code 2 h 07 min}. */
  static String duration(Duration d) {
    long s = Math.max(0, d.getSeconds());
    if (s < 60) {
      return s + " s";
    }
    if (s < 3600) {
      return (s / 60) + " min " + String.format("%02d", s % 60) + " s";
    }
    return (s / 3600) + " h " + String.format("%02d", (s % 3600) / 60) + " min";
  }

  private static String form(
      HttpServletRequest req, String action, String id, String token, String label) {
    return "<form method=\"post\" action=\""
        + text(base(req) + "/" + action)
        + "\"><input type=\"hidden\" name=\"id\" value=\""
        + text(id)
        + "\"><input type=\"hidden\" name=\"token\" value=\""
        + text(token)
        + "\"><button type=\"submit\" id=\""
        + action
        + "\">"
        + text(label)
        + "</button></form>";
  }

  private static String input(String name, String label, String value) {
    return "<label>"
        + text(label)
        + " <input name=\""
        + name
        + "\" value=\""
        + text(value)
        + "\"></label> ";
  }

  private static void row(StringBuilder b, String name, String value) {
    b.append("<tr><th>")
        .append(text(name))
        .append("</th><td>")
        .append(text(value))
        .append("</td></tr>");
  }

  private static String token(HttpServletRequest req) {
    HttpSession session = req.getSession(true);
    Object token = session.getAttribute(TOKEN);
    if (token == null) {
      byte[] bytes = new byte[32];
      RANDOM.nextBytes(bytes);
      token = Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
      session.setAttribute(TOKEN, token);
    }
    return token.toString();
  }

  private static void notice(HttpServletRequest req, String message) {
    req.getSession(true).setAttribute(NOTICE, message);
  }

  private void send(
      HttpServletRequest req, HttpServletResponse resp, String title, CharSequence body)
      throws IOException {
    send(req, resp, title, body, 0);
  }

  private void send(
      HttpServletRequest req,
      HttpServletResponse resp,
      String title,
      CharSequence body,
      int refreshSeconds)
      throws IOException {
    HttpSession session = req.getSession(false);
    String notice = null;
    if (session != null) {
      Object n = session.getAttribute(NOTICE);
      if (n != null) {
        notice = n.toString();
        session.removeAttribute(NOTICE);
      }
    }
    resp.setContentType("text/html;charset=UTF-8");
    resp.setHeader("Cache-Control", "no-store");
    resp.setHeader("X-Content-Type-Options", "nosniff");
    resp.setHeader("X-Frame-Options", "DENY");
    resp.setHeader("Referrer-Policy", "same-origin");
    resp.setHeader(
        "Content-Security-Policy",
        "default-src 'none'; style-src 'unsafe-inline'; form-action 'self'; frame-ancestors 'none';"
            + " base-uri 'none'");
    String base = text(base(req));
    StringBuilder page = new StringBuilder(4096);
    page.append("<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\">");
    if (refreshSeconds > 0) {
      page.append("<meta http-equiv=\"refresh\" content=\"").append(refreshSeconds).append("\">");
    }
    page.append("<title>")
        .append(text(title))
        .append(" · Deferred console</title><style>")
        .append(STYLE)
        .append("</style></head><body><header><strong>Deferred console</strong> <a href=\"")
        .append(base)
        .append("/\">Failed tasks</a> <a href=\"")
        .append(base)
        .append("/iterations\">Iterations</a> <a href=\"")
        .append(base)
        .append("/queues\">Queues</a></header><main>");
    if (notice != null) {
      page.append("<p id=\"notice\">").append(text(notice)).append("</p>");
    }
    page.append(body).append("</main></body></html>");
    resp.getWriter().write(page.toString());
  }

  /** The console's own origin, as the browser names it in the Origin header. */
  private static String origin(HttpServletRequest req) {
    String scheme = req.getScheme();
    String host = req.getServerName();
    if (host.contains(":") && !host.startsWith("[")) {
      host = "[" + host + "]";
    }
    int port = req.getServerPort();
    boolean defaultPort =
        (scheme.equals("http") && port == 80) || (scheme.equals("https") && port == 443);
    return scheme + "://" + host + (defaultPort || port <= 0 ? "" : ":" + port);
  }

  private static String base(HttpServletRequest req) {
    return req.getContextPath() + req.getServletPath();
  }

  private static String param(HttpServletRequest req, String name) {
    String v = req.getParameter(name);
    return v == null || v.isBlank() ? null : v.trim();
  }

  private static String time(Instant instant) {
    return instant.truncatedTo(ChronoUnit.SECONDS).toString().replace('T', ' ').replace("Z", "");
  }

  private static String simple(String className) {
    return className.substring(className.lastIndexOf('.') + 1);
  }

  private static String shorten(String message) {
    return message.length() > 160 ? message.substring(0, 157) + "..." : message;
  }

  private static final String STYLE =
      "body{font:14px/1.4 system-ui,sans-serif;margin:0;color:#222}"
          + "header{background:#263238;color:#fff;padding:10px 16px}"
          + "header a{color:#cfd8dc;margin-left:16px}main{padding:16px}"
          + "table{border-collapse:collapse;margin:8px 0}th,td{border:1px solid #ddd;padding:4px 8px;"
          + "text-align:left;vertical-align:top}thead th{background:#eceff1}"
          + "pre{margin:0;white-space:pre-wrap;word-break:break-all}#stack{background:#f5f5f5;"
          + "padding:8px;border:1px solid #ddd}.filters label{margin-right:8px}"
          + ".actions form{display:inline-block;margin-right:8px}"
          + "#notice{background:#e8f5e9;border:1px solid #a5d6a7;padding:6px 10px}"
          + ".error{color:#b71c1c}button{padding:4px 12px}.hint{color:#555}"
          + "progress{width:160px;height:14px;vertical-align:middle}"
          + ".state.failed{color:#b71c1c}.state.done{color:#2e7d32}"
          + "#queues td:not(:first-child){text-align:right}";
}
