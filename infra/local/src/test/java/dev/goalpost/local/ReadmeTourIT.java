package dev.goalpost.local;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.goalpost.platform.Json;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * The README's front door, executed as a new user would: starts the local cloud exactly as {@code make run}
 * does (its own process, {@code --demo}, the Makefile's classpath), takes the {@code export} lines and the
 * {@code Try:} curl lines it prints, and runs in bash:
 * <ul>
 *   <li>the README's "A tour" block as it stands (after the exports), checking each {@code #=>} comment
 *       against what its step printed;</li>
 *   <li>every curl line printed under "Try:", each of which must answer 2xx with JSON.</li>
 * </ul>
 * Changing the README, the demo seed or the API so that the tour breaks fails this test. Needs bash, curl and
 * jq ({@code .ci/run} installs jq when it is missing).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ReadmeTourIT {
  private static final Path README = Path.of("../../README.md");
  private static final Duration START_TIMEOUT = Duration.ofMinutes(5);
  private static final String MARK = "@@step ";

  private Process cloud;
  private final StringBuilder printed = new StringBuilder();
  private final CompletableFuture<Void> ready = new CompletableFuture<>();

  @BeforeAll
  void startAsMakeRunDoes() throws Exception {
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    List<String> command = new ArrayList<>(List.of(java, "-cp", "target/classes:target/lib/*",
        "dev.goalpost.local.LocalCloud", "--demo", "--template", "../../template.yaml",
        "--port", "0", "--emulator-port", "0", "--prefix", "tour-" + UUID.randomUUID().toString().substring(0, 6) + "-"));
    ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true);
    cloud = pb.start();
    Thread reader = new Thread(() -> {
      try (BufferedReader r = new BufferedReader(new InputStreamReader(cloud.getInputStream(), StandardCharsets.UTF_8))) {
        String line;
        while ((line = r.readLine()) != null) {
          synchronized (printed) {
            printed.append(line).append('\n');
          }
          if (line.startsWith("Ctrl-C stops everything")) {
            ready.complete(null);
          }
        }
        ready.completeExceptionally(new IllegalStateException("the local cloud exited before it was ready"));
      } catch (IOException e) {
        ready.completeExceptionally(e);
      }
    }, "tour-cloud-output");
    reader.setDaemon(true);
    reader.start();
    try {
      ready.get(START_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
    } catch (Exception e) {
      throw new AssertionError("make run's local cloud did not print its summary: " + e + "\n" + output(), e);
    }
  }

  @AfterAll
  void stop() throws InterruptedException {
    if (cloud != null) {
      cloud.destroy(); // SIGTERM: the shutdown hook stops moto too
      if (!cloud.waitFor(30, TimeUnit.SECONDS)) {
        cloud.destroyForcibly();
      }
    }
  }

  @Test
  void theReadmeTourPastedAfterMakeRunTextsAContactAndShowsTheReplyAndTheStats() throws Exception {
    List<Step> steps = tourSteps();
    assertThat(steps).as("the README's tour block").hasSizeGreaterThan(10);
    StringBuilder script = new StringBuilder("set -euo pipefail\n").append(exports()).append('\n');
    for (int i = 0; i < steps.size(); i++) {
      script.append("echo '").append(MARK).append(i).append("'\n").append(steps.get(i).command()).append('\n');
    }
    script.append("echo '").append(MARK).append("end'\n");

    Shell result = bash(script.toString(), Duration.ofMinutes(4));

    assertThat(result.exit()).as("the tour exits cleanly; it printed:\n%s\nstderr:\n%s", result.out(), result.err())
        .isZero();
    List<String> outputs = splitByStep(result.out(), steps.size());
    int checked = 0;
    for (int i = 0; i < steps.size(); i++) {
      Step step = steps.get(i);
      if (step.expected() != null) {
        assertThat(outputs.get(i).strip()).as("step %d: %s", i, step.command()).contains(step.expected());
        checked++;
      }
    }
    assertThat(checked).as("#=> checks in the tour").isGreaterThanOrEqualTo(10);
  }

  @Test
  void everyCurlLineMakeRunPrintsUnderTryAnswers2xxWithJson() throws Exception {
    List<String> lines = tryLines();
    assertThat(lines).as("the Try: lines make run printed").hasSizeGreaterThanOrEqualTo(5);
    for (String line : lines) {
      assertThat(line).startsWith("curl -s ");
      String checked = "curl -s --fail-with-body " + line.substring("curl -s ".length());
      Shell r = bash(exports() + "\n" + checked + "\n", Duration.ofSeconds(60));
      assertThat(r.exit()).as("%s answered: %s %s", line, r.out(), r.err()).isZero();
      JsonNode body = Json.read(r.out());
      assertThat(body.isObject()).as("%s printed JSON: %s", line, r.out()).isTrue();
    }
  }

  /** One command of the tour (continuation lines joined) and the text its {@code #=>} comment expects. */
  record Step(String command, String expected) {}

  static List<Step> tourSteps() throws IOException {
    String readme = Files.readString(README);
    int heading = readme.indexOf("### A tour");
    assertThat(heading).as("README has the tour heading").isPositive();
    int open = readme.indexOf("```bash\n", heading);
    int close = readme.indexOf("\n```", open + 8);
    String block = readme.substring(open + 8, close);
    List<Step> steps = new ArrayList<>();
    StringBuilder current = new StringBuilder();
    for (String line : block.split("\n", -1)) {
      if (current.isEmpty() && (line.isBlank() || line.strip().startsWith("#"))) {
        continue;
      }
      current.append(line).append('\n');
      if (!line.endsWith("\\")) {
        String command = current.toString().stripTrailing();
        Matcher m = Pattern.compile("#=>\\s*(.+)$").matcher(line);
        steps.add(new Step(command, m.find() ? m.group(1).strip() : null));
        current.setLength(0);
      }
    }
    return steps;
  }

  private String output() {
    synchronized (printed) {
      return printed.toString();
    }
  }

  /** The {@code export NAME=value} lines of the summary, exactly as printed. */
  private String exports() {
    StringBuilder out = new StringBuilder();
    for (String line : output().split("\n")) {
      if (line.strip().startsWith("export ")) {
        out.append(line.strip()).append('\n');
      }
    }
    assertThat(out.toString()).contains("export API=", "export ADMIN=", "export AGENT=", "export AUSTIN=");
    return out.toString();
  }

  /** The curl commands under "Try:" (continuations joined), as printed. */
  private List<String> tryLines() {
    String all = output();
    int from = all.indexOf("\nTry:\n");
    int to = all.indexOf("Ctrl-C stops everything", from);
    assertThat(from).as("make run printed a Try: section").isPositive();
    List<String> out = new ArrayList<>();
    StringBuilder current = new StringBuilder();
    for (String line : all.substring(from + 6, to).split("\n")) {
      String t = line.strip();
      if (t.isEmpty()) {
        continue;
      }
      if (t.endsWith("\\")) {
        current.append(t, 0, t.length() - 1).append(' ');
      } else {
        out.add(current.append(t).toString());
        current.setLength(0);
      }
    }
    return out;
  }

  private static List<String> splitByStep(String out, int steps) {
    List<String> parts = new ArrayList<>();
    for (int i = 0; i < steps; i++) {
      String start = MARK + i + "\n";
      String end = MARK + (i + 1 < steps ? String.valueOf(i + 1) : "end") + "\n";
      int a = out.indexOf(start);
      int b = out.indexOf(end, a);
      assertThat(a).as("step %d ran", i).isNotNegative();
      assertThat(b).as("step %d finished", i).isGreaterThan(a);
      parts.add(out.substring(a + start.length(), b));
    }
    return parts;
  }

  record Shell(int exit, String out, String err) {}

  private static Shell bash(String script, Duration timeout) throws IOException, InterruptedException {
    Path file = Files.createTempFile("goalpost-tour", ".sh");
    Files.writeString(file, script);
    Process p = new ProcessBuilder("bash", file.toString()).start();
    CompletableFuture<String> out = CompletableFuture.supplyAsync(() -> read(p.getInputStream()));
    CompletableFuture<String> err = CompletableFuture.supplyAsync(() -> read(p.getErrorStream()));
    if (!p.waitFor(timeout.toSeconds(), TimeUnit.SECONDS)) {
      p.destroyForcibly();
      throw new AssertionError("bash did not finish within " + timeout + ":\n" + script);
    }
    Files.deleteIfExists(file);
    return new Shell(p.exitValue(), out.join(), err.join());
  }

  private static String read(java.io.InputStream in) {
    try {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      return e.toString();
    }
  }
}
