package dev.deferred.emulator.console;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.api.gax.core.NoCredentialsProvider;
import com.google.api.gax.grpc.InstantiatingGrpcChannelProvider;
import com.google.cloud.tasks.v2.CloudTasksClient;
import com.google.cloud.tasks.v2.CloudTasksSettings;
import com.google.cloud.tasks.v2.HttpMethod;
import com.google.cloud.tasks.v2.HttpRequest;
import com.google.cloud.tasks.v2.Queue;
import com.google.cloud.tasks.v2.RateLimits;
import com.google.cloud.tasks.v2.Task;
import com.google.protobuf.ByteString;
import com.sun.net.httpserver.HttpServer;
import dev.deferred.emulator.CloudTasksEmulator;
import io.grpc.ManagedChannelBuilder;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.Alert;
import org.openqa.selenium.By;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The emulator console in a real browser (headless Chromium from Debian's {@code chromium} and
 * {@code chromium-driver} packages): the pages show what the test created, refresh by themselves,
 * the buttons do what they say, and a page of another origin cannot change anything. Leaves a
 * screenshot of each page in {@code target/console-screenshots/}.
 */
class ConsoleBrowserIT {

  private static final String PROJECT = "console-project";
  private static final String PARENT = "projects/" + PROJECT + "/locations/us-central1";

  private HttpServer target;
  private ExecutorService targetExecutor;
  private final AtomicInteger delivered = new AtomicInteger();
  private CloudTasksEmulator emu;
  private CloudTasksClient client;
  private ChromeDriver browser;
  private WebDriverWait wait;

  @BeforeEach
  void start() throws Exception {
    // The task target: "/fail" always answers 500, everything else 200.
    target = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    targetExecutor = Executors.newFixedThreadPool(2);
    target.setExecutor(targetExecutor);
    target.createContext(
        "/",
        ex -> {
          ex.getRequestBody().readAllBytes();
          int status = ex.getRequestURI().getPath().equals("/fail") ? 500 : 200;
          if (status == 200) {
            delivered.incrementAndGet();
          }
          ex.sendResponseHeaders(status, -1);
          ex.close();
        });
    target.start();
    emu = CloudTasksEmulator.builder().project(PROJECT).start();
    client =
        CloudTasksClient.create(
            CloudTasksSettings.newBuilder()
                .setEndpoint(emu.grpcTarget())
                .setCredentialsProvider(NoCredentialsProvider.create())
                .setTransportChannelProvider(
                    InstantiatingGrpcChannelProvider.newBuilder()
                        .setEndpoint(emu.grpcTarget())
                        .setChannelConfigurator(ManagedChannelBuilder::usePlaintext)
                        .build())
                .build());
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
    wait = new WebDriverWait(browser, Duration.ofSeconds(20));
    // The live refresh replaces rows: an element found a moment ago may be gone; look again.
    wait.ignoring(org.openqa.selenium.StaleElementReferenceException.class);
  }

  @AfterEach
  void stop() throws Exception {
    if (browser != null) {
      browser.quit();
    }
    if (client != null) {
      client.close();
    }
    if (emu != null) {
      emu.close();
    }
    target.stop(0);
    targetExecutor.shutdownNow();
  }

  private String url(String path) {
    return "http://127.0.0.1:" + target.getAddress().getPort() + path;
  }

  private Queue queue(String id, boolean paused) {
    Queue q =
        client.createQueue(
            PARENT,
            Queue.newBuilder()
                .setName(PARENT + "/queues/" + id)
                .setRateLimits(RateLimits.newBuilder().setMaxDispatchesPerSecond(5))
                .build());
    return paused ? client.pauseQueue(q.getName()) : q;
  }

  private Task task(Queue q, String id, String path, String body) {
    return client.createTask(
        q.getName(),
        Task.newBuilder()
            .setName(q.getName() + "/tasks/" + id)
            .setHttpRequest(
                HttpRequest.newBuilder()
                    .setUrl(url(path))
                    .setHttpMethod(HttpMethod.POST)
                    .setBody(ByteString.copyFromUtf8(body)))
            .build());
  }

  private WebElement row(String table, String attribute, String value) {
    return wait.until(
        ExpectedConditions.presenceOfElementLocated(
            By.cssSelector("#" + table + " tr[" + attribute + "='" + value + "']")));
  }

  /**
   * The text of a row, read in one step after finding it: the live refresh may replace the row
   * between finding it and reading it, and then it is found again.
   */
  private String rowText(String table, String attribute, String value) {
    row(table, attribute, value);
    return wait.until(
        d ->
            d.findElement(By.cssSelector("#" + table + " tr[" + attribute + "='" + value + "']"))
                .getText());
  }

  /** The text of one cell of a row, read like {@link #rowText}. */
  private String cellText(String table, String attribute, String value, String cell) {
    row(table, attribute, value);
    return wait.until(
        d ->
            d.findElement(
                    By.cssSelector(
                        "#" + table + " tr[" + attribute + "='" + value + "'] td." + cell))
                .getText());
  }

  private void cellBecomes(String table, String attribute, String value, String cell, String text) {
    wait.until(
        d -> {
          try {
            return d.findElement(
                    By.cssSelector(
                        "#" + table + " tr[" + attribute + "='" + value + "'] td." + cell))
                .getText()
                .equals(text);
          } catch (org.openqa.selenium.NoSuchElementException
              | org.openqa.selenium.StaleElementReferenceException e) {
            return false;
          }
        });
  }

  private void click(String table, String attribute, String value, String button) {
    wait.until(
        d -> {
          try {
            d.findElement(
                    By.cssSelector(
                        "#" + table + " tr[" + attribute + "='" + value + "'] button." + button))
                .click();
            return true;
          } catch (org.openqa.selenium.StaleElementReferenceException e) {
            return false; // the refresh replaced the row between finding and clicking
          }
        });
  }

  private void screenshot(String name) throws Exception {
    Path dir = Path.of("target/console-screenshots");
    Files.createDirectories(dir);
    Files.write(dir.resolve(name + ".png"), browser.getScreenshotAs(OutputType.BYTES));
  }

  @Test
  void queuesPageShowsTheQueuesAndItsButtonsPauseResumeAndPurge() throws Exception {
    Queue mail = queue("mail", true);
    queue("reports", false);
    for (int i = 0; i < 3; i++) {
      task(mail, "m" + i, "/ok", "{\"to\":\"user" + i + "@example.com\"}");
    }
    Queue failing = queue("failing", false);
    task(failing, "broken", "/fail", "boom");

    browser.get(emu.consoleUrl().toString());

    assertThat(browser.getTitle()).isEqualTo("Queues · Cloud Tasks emulator");
    assertThat(rowText("queues", "data-queue", "mail")).contains("paused", "5/s");
    cellBecomes("queues", "data-queue", "mail", "waiting", "3");
    // Live: failed attempts of the failing queue appear without a reload.
    wait.until(
        d ->
            !d.findElement(By.cssSelector("#queues tr[data-queue='failing'] td.failed"))
                .getText()
                .equals("0"));
    screenshot("emulator-console");

    click("queues", "data-queue", "mail", "resume");
    cellBecomes("queues", "data-queue", "mail", "state", "running");
    wait.until(d -> delivered.get() == 3);
    cellBecomes("queues", "data-queue", "mail", "dispatched", "3");
    cellBecomes("queues", "data-queue", "mail", "waiting", "0");

    click("queues", "data-queue", "reports", "pause");
    cellBecomes("queues", "data-queue", "reports", "state", "paused");
    assertThat(client.getQueue(PARENT + "/queues/reports").getState())
        .isEqualTo(Queue.State.PAUSED);

    Queue held = client.pauseQueue(mail.getName());
    task(held, "later", "/ok", "x");
    cellBecomes("queues", "data-queue", "mail", "waiting", "1");
    click("queues", "data-queue", "mail", "purge");
    Alert confirm = wait.until(ExpectedConditions.alertIsPresent());
    assertThat(confirm.getText()).isEqualTo("Delete every task of mail?");
    confirm.accept();
    cellBecomes("queues", "data-queue", "mail", "waiting", "0");
    assertThat(client.listTasks(mail.getName()).iterateAll()).isEmpty();
  }

  @Test
  void queuePageShowsTasksWithAttemptsAndBodiesAndRunsAndDeletesThem() throws Exception {
    Queue q = queue("work", true);
    task(q, "json-task", "/ok", "{\"order\":42}");
    client.createTask(
        q.getName(),
        Task.newBuilder()
            .setName(q.getName() + "/tasks/binary-task")
            .setHttpRequest(
                HttpRequest.newBuilder()
                    .setUrl(url("/ok"))
                    .setBody(ByteString.copyFrom(new byte[] {0, 1, 2, (byte) 0xff})))
            .build());
    task(q, "failing-task", "/fail", "<script>alert(1)</script>");
    client.runTask(q.getName() + "/tasks/failing-task");

    browser.get(emu.consoleUrl().toString());
    browser.findElement(By.linkText("work")).click();

    wait.until(ExpectedConditions.titleIs("Queue work · Cloud Tasks emulator"));
    assertThat(rowText("tasks", "data-task", "json-task"))
        .contains("POST " + url("/ok"), "{\"order\":42}", "none yet");
    assertThat(rowText("tasks", "data-task", "binary-task")).contains("4 bytes");
    cellBecomes("tasks", "data-task", "failing-task", "last-response", "HTTP 500");
    assertThat(cellText("tasks", "data-task", "failing-task", "attempts"))
        .contains("1 dispatched, 1 answered", "HTTP 500 at");
    // The body is shown as text, never run as markup.
    assertThat(cellText("tasks", "data-task", "failing-task", "body"))
        .isEqualTo("<script>alert(1)</script>");
    screenshot("emulator-console-queue");

    click("tasks", "data-task", "json-task", "run");
    wait.until(d -> delivered.get() == 1);
    wait.until(d -> d.findElements(By.cssSelector("#tasks tr[data-task='json-task']")).isEmpty());

    click("tasks", "data-task", "binary-task", "delete");
    wait.until(ExpectedConditions.alertIsPresent()).accept();
    wait.until(d -> d.findElements(By.cssSelector("#tasks tr[data-task='binary-task']")).isEmpty());
    assertThat(client.listTasks(q.getName()).iterateAll())
        .extracting(Task::getName)
        .containsExactly(q.getName() + "/tasks/failing-task");
  }

  @Test
  void aPageOfAnotherOriginCannotChangeAnything() throws Exception {
    Queue q = queue("guarded", false);
    // A page served by another origin (the task target's server) tries the console's own request.
    target.createContext(
        "/attack",
        ex -> {
          String page =
              "<!DOCTYPE html><html><body><p id=\"result\">pending</p><script>"
                  + "fetch('"
                  + emu.httpBaseUrl()
                  + "/v2/"
                  + q.getName()
                  + ":pause', {method: 'POST', mode: 'no-cors', body: '{}'})"
                  + ".then(function () { document.getElementById('result').textContent = 'sent'; })"
                  + ".catch(function (e) { document.getElementById('result').textContent = 'blocked'; });"
                  + "</script></body></html>";
          byte[] bytes = page.getBytes(StandardCharsets.UTF_8);
          ex.getResponseHeaders().set("Content-Type", "text/html; charset=utf-8");
          ex.sendResponseHeaders(200, bytes.length);
          ex.getResponseBody().write(bytes);
          ex.close();
        });

    browser.get(url("/attack"));
    wait.until(d -> !d.findElement(By.id("result")).getText().equals("pending"));

    assertThat(client.getQueue(q.getName()).getState()).isEqualTo(Queue.State.RUNNING);
  }
}
