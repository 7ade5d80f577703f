package dev.goalpost.local.emulator;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.logging.Logger;

/**
 * A moto server child process: one endpoint serving DynamoDB, SQS, EventBridge and Scheduler. Its request
 * log goes to a file (it logs every call), and {@link #close()} kills it and any children it spawned.
 *
 * <p>It is started through {@code emulator/goalpost_moto.py} (copied next to the log), which runs
 * {@code moto.server} with one fix: a TransactWriteItems backs up only the items it touches instead of
 * deep-copying the whole table once per item (read the script's header). Without it a send on a goal of
 * 10,000 contacts costs moto seconds, and a cancelled transaction's restored copy erases concurrent writes.
 * {@code GOALPOST_MOTO_PLAIN=1} in the environment runs moto unchanged.
 */
public final class MotoServer implements Emulator {
  public static final String MISSING = "moto is missing: pip install \"moto[server]>=5.1\"";
  private static final Logger LOG = Logger.getLogger(MotoServer.class.getName());
  private static final Duration STARTUP = Duration.ofSeconds(60);
  /** Ports tried after a busy preferred one, so a second local cloud still starts. */
  private static final int PORT_ATTEMPTS = 10;

  private final Process process;
  private final int port;
  private final Path log;

  private MotoServer(Process process, int port, Path log) {
    this.process = process;
    this.port = port;
    this.log = log;
  }

  /** Starts moto on {@code preferredPort} (or the next free one after it; 0 = any free port) and waits for it. */
  public static MotoServer start(String python, int preferredPort) {
    return start(python, preferredPort, Map.of());
  }

  /**
   * As {@link #start(String, int)}, with variables added to the launcher's environment (its modes, such as
   * {@code GOALPOST_MOTO_STRICT_LIMITS}, {@code GOALPOST_MOTO_PAGE_SIZE} and {@code GOALPOST_FAULTS}, the fault
   * mode of {@code emulator/goalpost_faults.py}; read the launcher's header).
   */
  public static MotoServer start(String python, int preferredPort, Map<String, String> environment) {
    requireMoto(python);
    int port = choosePort(preferredPort);
    try {
      Path log = Files.createTempFile("goalpost-moto-" + port + "-", ".log");
      Path launcher = launcher();
      ProcessBuilder builder = new ProcessBuilder(python, launcher.toString(), "-H", "127.0.0.1", "-p", String.valueOf(port))
          .redirectErrorStream(true)
          .redirectOutput(log.toFile());
      builder.environment().putAll(environment);
      Process p = builder.start();
      // A JVM stopped without closing the cloud (a killed benchmark or test run) takes its moto with it.
      Runtime.getRuntime().addShutdownHook(new Thread(() -> {
        if (p.isAlive()) {
          p.descendants().forEach(ProcessHandle::destroyForcibly);
          p.destroyForcibly();
        }
      }, "moto-stop"));
      MotoServer server = new MotoServer(p, port, log);
      server.awaitReady();
      LOG.info(() -> "moto listening on " + server.endpoint() + " (log: " + log + ")"
          + (environment.isEmpty() ? "" : " with " + new java.util.TreeMap<>(environment)));
      return server;
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot start moto with " + python, e);
    }
  }

  /** The launcher script, copied from the classpath to a temporary file Python can run. */
  static Path launcher() throws IOException {
    Path dir = Files.createTempDirectory("goalpost_moto-");
    dir.toFile().deleteOnExit();
    Path script = null;
    for (String module : MODULES) { // side by side, so the launcher imports its modules
      Path target = dir.resolve(module);
      target.toFile().deleteOnExit();
      try (var in = MotoServer.class.getResourceAsStream("/emulator/" + module)) {
        if (in == null) {
          throw new IllegalStateException("emulator/" + module + " is missing from the classpath");
        }
        Files.copy(in, target, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
      }
      script = script == null ? target : script;
    }
    return script;
  }

  /** The launcher first, then the modules it imports. */
  private static final List<String> MODULES = List.of("goalpost_moto.py", "goalpost_faults.py");

  private static void requireMoto(String python) {
    try {
      Process check = new ProcessBuilder(python, "-c", "import moto, flask, werkzeug").redirectErrorStream(true).start();
      check.getInputStream().transferTo(java.io.OutputStream.nullOutputStream());
      if (!check.waitFor(60, TimeUnit.SECONDS) || check.exitValue() != 0) {
        throw new IllegalStateException(MISSING);
      }
    } catch (IOException e) {
      throw new IllegalStateException(MISSING + " (and " + python + " could not be run: " + e.getMessage() + ")");
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("Interrupted while checking for moto", e);
    }
  }

  static int choosePort(int preferred) {
    if (preferred == 0) {
      return freePort();
    }
    for (int p = preferred; p < preferred + PORT_ATTEMPTS; p++) {
      try (ServerSocket s = new ServerSocket(p, 1, InetAddress.getLoopbackAddress())) {
        return p;
      } catch (IOException busy) {
        LOG.info("Port " + p + " is busy; trying the next one");
      }
    }
    throw new IllegalStateException("No free port in " + preferred + ".." + (preferred + PORT_ATTEMPTS - 1));
  }

  public static int freePort() {
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return s.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Polls until moto answers any HTTP request; fails fast, with its log, if the process exits. */
  private void awaitReady() {
    HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofMillis(500)).build();
    HttpRequest ping = HttpRequest.newBuilder(URI.create(endpoint() + "/moto-api/")).timeout(Duration.ofSeconds(2)).build();
    Instant deadline = Instant.now().plus(STARTUP);
    while (Instant.now().isBefore(deadline)) {
      if (!process.isAlive()) {
        throw new IllegalStateException("moto exited with " + process.exitValue() + ":\n" + tail());
      }
      try {
        http.send(ping, HttpResponse.BodyHandlers.discarding());
        return;
      } catch (IOException notYet) {
        waitBriefly();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        close();
        throw new IllegalStateException("Interrupted while waiting for moto", e);
      }
    }
    close();
    throw new IllegalStateException("moto did not answer within " + STARTUP.toSeconds() + "s:\n" + tail());
  }

  /** A real-time pause while an external process boots; nothing here depends on the local clock. */
  private void waitBriefly() {
    try {
      process.waitFor(100, TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private String tail() {
    try {
      List<String> lines = Files.readAllLines(log);
      return String.join("\n", lines.subList(Math.max(0, lines.size() - 20), lines.size()));
    } catch (IOException e) {
      return "(no log: " + e.getMessage() + ")";
    }
  }

  @Override
  public String endpoint() {
    return "http://127.0.0.1:" + port;
  }

  @Override
  public void close() {
    process.descendants().forEach(ProcessHandle::destroy);
    process.destroy();
    try {
      if (!process.waitFor(5, TimeUnit.SECONDS)) {
        process.descendants().forEach(ProcessHandle::destroyForcibly);
        process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      process.destroyForcibly();
    }
  }
}
