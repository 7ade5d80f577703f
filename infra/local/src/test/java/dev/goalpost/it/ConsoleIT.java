package dev.goalpost.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.goalpost.local.ApiClient;
import dev.goalpost.local.LocalCloud;
import dev.goalpost.local.LocalCloudTest;
import dev.goalpost.local.demo.DemoSeeder;
import dev.goalpost.local.http.WebConsole;
import dev.goalpost.platform.Json;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The web console (web/) on the local cloud: its files are served at the API's origin (and nothing else of the
 * folder), and the browser test drives it in headless Chromium through playwright-core — an admin imports a CSV
 * and launches a goal, an agent texts three contacts and answers a reply, the stats show the counts
 * (web/test/e2e.mjs; screenshots in target/console-screenshots).
 */
@LocalCloudTest
class ConsoleIT {
  private static final Path WEB = WebConsole.besideTemplate(Path.of(System.getProperty("goalpost.templates",
      "../../template.yaml").split(",")[0])).orElseThrow(() -> new IllegalStateException("web/index.html not found"));
  private static final Path SCREENSHOTS = Path.of("target/console-screenshots").toAbsolutePath();

  private final LocalCloud cloud;
  private final ApiClient api;
  private final HttpClient http = HttpClient.newHttpClient();

  ConsoleIT(LocalCloud cloud, ApiClient api) {
    this.cloud = cloud;
    this.api = api;
  }

  @AfterEach
  void resetClock() {
    api.resetClock();
  }

  private HttpResponse<String> send(String method, String path) throws IOException, InterruptedException {
    return http.send(HttpRequest.newBuilder(URI.create(cloud.baseUrl() + path)).method(method, HttpRequest.BodyPublishers.noBody()).build(),
        HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void theConsoleIsServedAtTheApiOriginWithItsConfigAndNothingElseOfTheFolder() throws Exception {
    HttpResponse<String> index = send("GET", "/");
    assertThat(index.statusCode()).isEqualTo(200);
    assertThat(index.headers().firstValue("content-type")).hasValue("text/html; charset=utf-8");
    assertThat(index.body()).contains("<script type=\"module\" src=\"src/app.js\">");
    assertThat(send("GET", "/src/api.js").headers().firstValue("content-type")).hasValue("text/javascript; charset=utf-8");
    assertThat(send("GET", "/styles.css").headers().firstValue("content-type")).hasValue("text/css; charset=utf-8");

    var config = Json.read(send("GET", "/config.json").body());
    assertThat(config.path("apiBaseUrl").asText()).isEmpty(); // same origin
    assertThat(config.path("auth").path("mode").asText()).isEqualTo("local");
    assertThat(config.path("auth").path("tokenEndpoint").asText()).isEqualTo("/_local/token");
    assertThat(config.path("auth").path("orgId").asText()).isEqualTo("org-demo");

    for (String hidden : List.of("/package.json", "/test/e2e.mjs", "/node_modules/playwright-core/package.json",
        "/src/../package.json", "/src/%2e%2e/package.json", "/.gitignore", "/src/missing.js")) {
      HttpResponse<String> r = send("GET", hidden);
      assertThat(r.statusCode()).as(hidden).isEqualTo(404);
      assertThat(r.body()).as(hidden).isEqualTo("{\"message\":\"Not Found\"}");
    }
    assertThat(send("POST", "/").statusCode()).isEqualTo(404);
    assertThat(send("GET", "/groups").statusCode()).as("API routes win over files").isEqualTo(401);
  }

  @Test
  void theConsolesSegmentCounterMergeFieldsAndCsvParserPassTheirUnitChecks() throws Exception {
    Run run = node(List.of("--test", "test/sms.test.mjs"), 60);
    assertThat(run.exit()).as(run.output()).isZero();
    assertThat(run.output()).contains("# fail 0");
  }

  @Test
  void anAdminLaunchesAGoalAnAgentTextsThreeContactsAndAnswersAReplyAndTheStatsShowIt() throws Exception {
    DemoSeeder.Seeded seeded = new DemoSeeder(cloud.baseUrl()).seed(System.out);
    assertThat(seeded.warnings()).isEmpty();

    Run run = node(List.of("test/e2e.mjs", cloud.baseUrl(), SCREENSHOTS.toString()), 180);

    assertThat(run.exit()).as(run.output()).isZero();
    assertThat(run.output()).contains("passed; screenshots in");
    for (String screen : List.of("01-sign-in", "02-admin-groups", "03-admin-contacts-import", "04-admin-goal-form",
        "05-agent-home", "06-agent-batch", "07-agent-batch-phone", "08-agent-reply", "09-admin-stats", "10-admin-review")) {
      assertThat(SCREENSHOTS.resolve(screen + ".png")).as(screen).isNotEmptyFile();
    }
  }

  private record Run(int exit, String output) {}

  /** Runs node in web/; the wait is for the process (bounded), not for time to pass. */
  private static Run node(List<String> args, int timeoutSeconds) throws IOException, InterruptedException {
    Files.createDirectories(SCREENSHOTS);
    Path log = SCREENSHOTS.resolve("node-" + System.nanoTime() + ".log");
    List<String> command = new java.util.ArrayList<>(List.of("node"));
    command.addAll(args);
    Process p = new ProcessBuilder(command).directory(WEB.toFile()).redirectErrorStream(true)
        .redirectOutput(log.toFile()).start();
    boolean done = p.waitFor(timeoutSeconds, TimeUnit.SECONDS);
    if (!done) {
      p.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
    }
    String output = Files.readString(log, StandardCharsets.UTF_8);
    System.out.println(output);
    return new Run(done ? p.exitValue() : -1, done ? output : output + "\n(timed out after " + timeoutSeconds + " s)");
  }
}
