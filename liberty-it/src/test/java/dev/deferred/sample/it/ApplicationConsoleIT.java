package dev.deferred.sample.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.openqa.selenium.By;
import org.openqa.selenium.OutputType;
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
 * shows its details with the argument escaped, re-defers and deletes it; a user without the role,
 * and a change from another origin, are refused. Leaves a screenshot of each page in {@code
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
    Defer.task("failPermanently").with("key", key).ok();
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
    screenshot("application-console-task");

    browser.findElement(By.id("redefer")).click();
    WebElement notice = wait.until(ExpectedConditions.presenceOfElementLocated(By.id("notice")));
    assertThat(notice.getText()).startsWith("Re-deferred on queue default as ");
    Journal.await(key, "the re-deferred attempt", e -> e.size() == 2);
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
    HttpResponse<String> anonymous =
        call(HttpRequest.newBuilder(SampleApp.uri(CONSOLE + "/")).GET(), null);
    assertThat(anonymous.statusCode()).isEqualTo(401);

    HttpResponse<String> guest =
        call(HttpRequest.newBuilder(SampleApp.uri(CONSOLE + "/")).GET(), GUEST);
    assertThat(guest.statusCode()).isEqualTo(403);
    assertThat(guest.body()).doesNotContain("Failed tasks");
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
