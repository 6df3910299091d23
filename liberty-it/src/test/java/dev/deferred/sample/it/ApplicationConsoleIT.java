package dev.deferred.sample.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.UUID;
import java.util.function.Predicate;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.openqa.selenium.By;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The application console (module deferred-console) of the sample, in headless Chromium (Debian's
 * {@code chromium} and {@code chromium-driver}): at {@code /admin/deferred} for role {@code
 * operator} (server's configDropins/overrides/console.xml). It lists a failure the test caused,
 * shows its details with the argument escaped, re-defers and deletes it; the progress bar of an
 * iteration advances as its shards finish (the sample's gated iteration scenario); the queue page
 * counts what each queue deferred, succeeded, retried and failed; a user without the role, and a
 * change from another origin, are refused. Leaves a screenshot of each page in {@code
 * target/console-screenshots/}.
 */
@ExtendWith(ServerLogOnFailure.class)
class ApplicationConsoleIT {

  private static final String CONSOLE = "/admin/deferred";
  private static final String OPERATOR = "ops:ops-sample-password";
  private static final String GUEST = "guest:guest-sample-password";

  private ChromeDriver browser;
  private WebDriverWait wait;

  @BeforeAll
  static void started() {
    SampleApp.awaitStarted();
  }

  @BeforeEach
  void openBrowser() {
    Path driver = Path.of("/usr/bin/chromedriver");
    assertThat(driver)
        .as("chromedriver from Debian's chromium-driver package (.ci/run installs it)")
        .isExecutable();
    ChromeOptions options = new ChromeOptions();
    options.setBinary("/usr/bin/chromium");
    options.addArguments(
        "--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--window-size=1400,900");
    browser =
        new ChromeDriver(
            new ChromeDriverService.Builder().usingDriverExecutable(driver.toFile()).build(),
            options);
    wait = new WebDriverWait(browser, Duration.ofSeconds(30));
  }

  @AfterEach
  void closeBrowser() {
    if (browser != null) {
      browser.quit();
    }
  }

  private static String consoleUrl(String credentials, String path) {
    String base = SampleApp.baseUrl();
    return base.replaceFirst("^http://", "http://" + credentials + "@") + CONSOLE + path;
  }

  private static HttpResponse<String> call(HttpRequest.Builder request, String credentials) {
    if (credentials != null) {
      request.header(
          "Authorization",
          "Basic "
              + Base64.getEncoder().encodeToString(credentials.getBytes(StandardCharsets.UTF_8)));
    }
    return SampleApp.send(request);
  }

  private void screenshot(String name) throws Exception {
    Path dir = Path.of("target/console-screenshots");
    Files.createDirectories(dir);
    Files.write(dir.resolve(name + ".png"), browser.getScreenshotAs(OutputType.BYTES));
  }

  @Test
  void listsShowsReDefersAndDeletesAFailedTask() throws Exception {
    String key = "<b>console-" + UUID.randomUUID() + "</b>";
    Defer.task("failPermanently").with("key", key).header("X-Tenant", "console-tenant").ok();
    Journal.await(key, "the failing attempt", e -> e.size() == 1);

    // The failure record is written when the handler answers: poll the list until it shows.
    Poll.until(
        "the failed task in the console's list",
        () -> call(HttpRequest.newBuilder(SampleApp.uri(CONSOLE + "/")).GET(), OPERATOR),
        r ->
            r.statusCode() == 200
                && r.body().contains(key.replace("<", "&lt;").replace(">", "&gt;")),
        Duration.ofSeconds(30));

    browser.get(consoleUrl(OPERATOR, "/?method=failPermanently"));
    WebElement row =
        wait.until(
            ExpectedConditions.presenceOfElementLocated(
                By.xpath("//table[@id='failed']//tr[contains(., 'Task " + key + "')]")));
    assertThat(row.getText()).contains("Tasks.failPermanently(String)", "PermanentTaskFailure");
    assertThat(browser.findElements(By.cssSelector("#failed b")))
        .as("the argument is text, not markup")
        .isEmpty();
    String id = row.getAttribute("data-id");
    screenshot("application-console");

    row.findElement(By.tagName("a")).click();
    WebElement arguments =
        wait.until(ExpectedConditions.presenceOfElementLocated(By.id("arguments")));
    assertThat(arguments.getText()).contains("java.lang.String", "\"" + key + "\"");
    assertThat(browser.findElement(By.id("stack")).getText())
        .contains("dev.deferred.PermanentTaskFailure: Task " + key + " cannot succeed");
    assertThat(browser.findElement(By.id("delivery")).getText())
        .contains("header X-Tenant console-tenant");
    screenshot("application-console-task");

    browser.findElement(By.id("redefer")).click();
    WebElement notice = wait.until(ExpectedConditions.presenceOfElementLocated(By.id("notice")));
    assertThat(notice.getText()).startsWith("Re-deferred on queue default as ");
    Journal.await(key, "the re-deferred attempt", e -> e.size() == 2);
    // The new task carries the original call's per-call header.
    String newTask =
        notice.getText().replaceFirst("^Re-deferred on queue default as (.+)\\.$", "$1");
    assertThat(Deliveries.first(newTask).getJsonObject("headers").getString("x-tenant"))
        .isEqualTo("console-tenant");
    assertThat(browser.findElement(By.id("task")).getText()).contains("Re-deferred as");

    browser.findElement(By.id("delete")).click();
    wait.until(ExpectedConditions.textToBe(By.id("notice"), "Deleted failed task " + id + "."));
    assertThat(browser.findElements(By.cssSelector("#failed tr[data-id='" + id + "']"))).isEmpty();
    assertThat(
            call(HttpRequest.newBuilder(SampleApp.uri(CONSOLE + "/task?id=" + id)).GET(), OPERATOR)
                .statusCode())
        .isEqualTo(404);
  }

  @Test
  void aUserWithoutTheRoleIsRefused() {
    for (String page : List.of("/", "/iterations", "/queues", "/task?id=1")) {
      HttpResponse<String> anonymous =
          call(HttpRequest.newBuilder(SampleApp.uri(CONSOLE + page)).GET(), null);
      assertThat(anonymous.statusCode()).as("anonymous " + page).isEqualTo(401);

      HttpResponse<String> guest =
          call(HttpRequest.newBuilder(SampleApp.uri(CONSOLE + page)).GET(), GUEST);
      assertThat(guest.statusCode()).as("guest " + page).isEqualTo(403);
      assertThat(guest.body()).doesNotContain("Deferred console");
    }
    // A change from the console's own origin, by a user without the role: refused before anything.
    for (String credentials : new String[] {null, GUEST}) {
      HttpResponse<String> change =
          call(
              HttpRequest.newBuilder(SampleApp.uri(CONSOLE + "/redefer"))
                  .header("Content-Type", "application/x-www-form-urlencoded")
                  .header("Origin", SampleApp.baseUrl().replaceFirst("/sample$", ""))
                  .POST(HttpRequest.BodyPublishers.ofString("id=1&token=x")),
              credentials);
      assertThat(change.statusCode()).isEqualTo(credentials == null ? 401 : 403);
    }
  }

  @Test
  void theIterationsPageShowsAProgressBarThatAdvancesWhileTheIterationRuns() throws Exception {
    String label = "console-" + UUID.randomUUID();
    HttpResponse<String> started =
        SampleApp.send(
            HttpRequest.newBuilder(
                    SampleApp.uri(
                        "/api/iterations?label=" + label + "&rows=24&shards=3&gated=true"))
                .POST(HttpRequest.BodyPublishers.noBody()));
    assertThat(started.statusCode()).as(started.body()).isEqualTo(200);
    String id = Json.parse(started.body()).getString("id");
    By bar = By.cssSelector("#iterations tr[data-id='" + id + "'] progress");
    By state = By.cssSelector("#iterations tr[data-id='" + id + "'] .state");

    // Planned, every shard waiting at its gate (a shard without rows may have finished).
    browser.get(consoleUrl(OPERATOR, "/iterations"));
    int first =
        until(
                "the iteration planned and running",
                () -> progress(bar, state),
                p -> p.max() == 3 && p.state().equals("RUNNING"))
            .value();
    assertThat(first).isLessThan(3);

    List<Integer> seen = new ArrayList<>(List.of(first));
    for (int shard = 0; shard < 3; shard++) {
      HttpResponse<String> opened =
          SampleApp.send(
              HttpRequest.newBuilder(
                      SampleApp.uri("/api/iterations/gates?label=" + label + "&shard=" + shard))
                  .POST(HttpRequest.BodyPublishers.noBody()));
      assertThat(opened.statusCode()).isEqualTo(204);
      int opens = shard + 1;
      Progress p =
          until(
              "shard " + shard + " finished",
              () -> progress(bar, state),
              q -> q.value() >= opens || q.state().equals("DONE"));
      seen.add(p.value());
      if (shard == 0) {
        screenshot("application-console-iterations");
      }
    }
    Progress done =
        until("the iteration done", () -> progress(bar, state), p -> p.state().equals("DONE"));
    assertThat(done.value()).isEqualTo(3);
    assertThat(seen).as("the bar never goes back").isSorted();
    assertThat(seen.get(seen.size() - 1)).isGreaterThan(first);
    WebElement row = browser.findElement(By.cssSelector("#iterations tr[data-id='" + id + "']"));
    assertThat(row.findElement(By.cssSelector(".shards")).getText()).isEqualTo("3 / 3");
    assertThat(row.findElement(By.cssSelector(".rows")).getText()).isEqualTo("12");
  }

  @Test
  void theQueuesPageCountsWhatEachQueueDeferredSucceededRetriedAndFailed() throws Exception {
    browser.get(consoleUrl(OPERATOR, "/queues"));
    long[] before = counts("console");

    Defer ok = Defer.task("record").with("queue", "console");
    Defer flaky = Defer.task("failThenSucceed").with("queue", "console").with("failures", 1);
    Defer doomed = Defer.task("failPermanently").with("queue", "console");
    ok.ok();
    flaky.ok();
    doomed.ok();
    Journal.awaitRun(ok.key());
    Journal.awaitRun(flaky.key());
    Journal.await(doomed.key(), "the failing attempt", e -> e.size() == 1);

    long[] after =
        until(
            "the counts of queue console",
            () -> {
              browser.navigate().refresh();
              return counts("console");
            },
            c -> c[1] - before[1] == 2 && c[3] - before[3] == 1);
    assertThat(after[0] - before[0]).as("deferred").isEqualTo(3);
    assertThat(after[1] - before[1]).as("succeeded").isEqualTo(2);
    assertThat(after[2] - before[2]).as("retried").isEqualTo(1);
    assertThat(after[3] - before[3]).as("failed").isEqualTo(1);
    assertThat(browser.findElements(By.cssSelector("#queues tr[data-queue]")))
        .extracting(e -> e.getAttribute("data-queue"))
        .contains("console", "default", "mail", "retries");
    screenshot("application-console-queues");
  }

  private long[] counts(String queue) {
    WebElement row =
        wait.until(
            ExpectedConditions.presenceOfElementLocated(
                By.cssSelector("#queues tr[data-queue='" + queue + "']")));
    long[] c = new long[4];
    String[] cells = {"deferred", "succeeded", "retried", "failed"};
    for (int i = 0; i < 4; i++) {
      c[i] = Long.parseLong(row.findElement(By.className(cells[i])).getText().trim());
    }
    return c;
  }

  private record Progress(int value, int max, String state) {}

  /** The bar and state of an iteration, read again after a reload (the page has no script). */
  private Progress progress(By bar, By state) {
    browser.navigate().refresh();
    try {
      List<WebElement> bars = browser.findElements(bar);
      if (bars.isEmpty()) {
        return new Progress(-1, -1, "absent");
      }
      return new Progress(
          (int) Double.parseDouble(bars.get(0).getAttribute("value")),
          (int) Double.parseDouble(bars.get(0).getAttribute("max")),
          browser.findElement(state).getText());
    } catch (StaleElementReferenceException e) {
      // the page reloaded itself meanwhile
      return new Progress(-1, -1, "reloading");
    }
  }

  private static <T> T until(String what, Supplier<T> probe, Predicate<T> condition) {
    return Poll.until(what, probe, condition, Duration.ofSeconds(90));
  }

  @Test
  void aChangeFromAnotherOriginIsRefused() {
    String key = "console-origin-" + UUID.randomUUID();
    Defer.task("failPermanently").with("key", key).ok();
    HttpResponse<String> list =
        Poll.until(
            "the failed task in the console's list",
            () ->
                call(
                    HttpRequest.newBuilder(SampleApp.uri(CONSOLE + "/?method=failPermanently"))
                        .GET(),
                    OPERATOR),
            r -> r.statusCode() == 200 && r.body().contains(key),
            Duration.ofSeconds(30));
    String body = list.body();
    int at = body.lastIndexOf("data-id=\"", body.indexOf(key));
    String id = body.substring(at + 9, body.indexOf('"', at + 9));

    HttpResponse<String> foreign =
        call(
            HttpRequest.newBuilder(SampleApp.uri(CONSOLE + "/delete"))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .header("Origin", "http://evil.example")
                .POST(HttpRequest.BodyPublishers.ofString("id=" + id + "&token=guess")),
            OPERATOR);
    assertThat(foreign.statusCode()).isEqualTo(403);
    assertThat(foreign.body())
        .isEqualTo(
            "DEFERRED-8003: Refused a change from origin 'http://evil.example': the console"
                + " accepts changes only from its own pages ("
                + SampleApp.baseUrl().replaceFirst("/sample$", "")
                + ")");

    // Without an Origin header the Referer decides; without either, the change is refused too.
    HttpResponse<String> foreignReferer =
        call(
            HttpRequest.newBuilder(SampleApp.uri(CONSOLE + "/delete"))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .header("Referer", "http://evil.example/sample/admin/deferred/")
                .POST(HttpRequest.BodyPublishers.ofString("id=" + id + "&token=guess")),
            OPERATOR);
    assertThat(foreignReferer.statusCode()).isEqualTo(403);
    assertThat(foreignReferer.body())
        .startsWith(
            "DEFERRED-8003: Refused a change from origin"
                + " 'http://evil.example/sample/admin/deferred/'");
    HttpResponse<String> noOrigin =
        call(
            HttpRequest.newBuilder(SampleApp.uri(CONSOLE + "/delete"))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString("id=" + id + "&token=guess")),
            OPERATOR);
    assertThat(noOrigin.statusCode()).isEqualTo(403);
    assertThat(noOrigin.body()).startsWith("DEFERRED-8003: Refused a change from origin 'null'");

    HttpResponse<String> sameOriginNoToken =
        call(
            HttpRequest.newBuilder(SampleApp.uri(CONSOLE + "/delete"))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .header("Origin", SampleApp.baseUrl().replaceFirst("/sample$", ""))
                .POST(HttpRequest.BodyPublishers.ofString("id=" + id + "&token=guess")),
            OPERATOR);
    assertThat(sameOriginNoToken.statusCode()).isEqualTo(403);
    assertThat(sameOriginNoToken.body()).startsWith("DEFERRED-8004: ");

    assertThat(
            call(HttpRequest.newBuilder(SampleApp.uri(CONSOLE + "/task?id=" + id)).GET(), OPERATOR)
                .statusCode())
        .as("the record is still there")
        .isEqualTo(200);
  }
}
