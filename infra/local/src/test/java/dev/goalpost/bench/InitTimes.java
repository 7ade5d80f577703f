package dev.goalpost.bench;

import dev.goalpost.bench.init.HelloHandler;
import dev.goalpost.bench.init.InitProbe;
import dev.goalpost.local.LocalCloud;
import dev.goalpost.local.functions.FunctionSpec;
import dev.goalpost.platform.Json;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Each function's init time in a fresh JVM, next to a hello-world handler's, with and without the SnapStart
 * priming hook ({@link InitProbe} runs in the child JVM).
 *
 * <p>Per function and mode, {@code -Dbench.initRuns} (default 3) child JVMs; the median is reported. The
 * child runs with Lambda's default JIT settings for Java 21 ({@code -XX:+TieredCompilation
 * -XX:TieredStopAtLevel=1}), the function's environment, and the emulator's endpoint; its event is the last
 * one the function received in the readiness run (so it finds real data).
 *
 * <ul>
 *   <li><b>cold</b>: JVM start to the first response, without priming: what an on-demand cold start costs
 *       (Lambda bills and waits for init + first invoke).</li>
 *   <li><b>init</b>: the handler's constructor (SDK clients, configuration, secrets).</li>
 *   <li><b>first response</b>: the first invocation alone, without and with priming run before it. With
 *       SnapStart, init and priming happen once at publish time; a restored environment pays the restore (not
 *       measurable locally) plus the primed first response.</li>
 * </ul>
 */
final class InitTimes {
  private static final Pattern LINE = Pattern.compile(
      "INIT constructMs=([\\d.]+) primeMs=([\\d.]+) firstResponseMs=([\\d.]+) sinceJvmStartMs=(\\d+) status=(\\S+)");

  private final LocalCloud cloud;
  private final Map<String, Object> events;
  private final int runs = Integer.getInteger("bench.initRuns", 3);

  InitTimes(LocalCloud cloud, Map<String, Object> events) {
    this.cloud = cloud;
    this.events = events;
  }

  record Probe(double construct, double prime, double firstResponse, long sinceJvmStart, String status) {}

  String run() throws IOException, InterruptedException {
    StringBuilder md = new StringBuilder("# Init time per function (fresh JVM)\n\n");
    md.append(String.format(Locale.ROOT, "Median of %d fresh JVMs per cell, `%s`, Java %s, %d cores. cold = JVM "
        + "start to the first response without priming; init = the handler's constructor; first response = the "
        + "first invocation alone, without / with the SnapStart priming hook run before it (priming itself "
        + "runs at publish time with SnapStart; its duration is shown). Times in ms.%n%n", runs,
        String.join(" ", jvmFlags()), System.getProperty("java.version"), Runtime.getRuntime().availableProcessors()));
    md.append("| function | cold (JVM start → first response) | init | first response | first response, primed | priming | status |\n");
    md.append("|---|---:|---:|---:|---:|---:|---|\n");
    Path dir = Files.createTempDirectory("goalpost-init");
    row(md, "hello world (baseline)", HelloHandler.class.getName(), "handleRequest", Map.of(),
        Map.of("hello", "world"), dir);
    for (FunctionSpec spec : cloud.functions().specs()) {
      Object event = events.get(spec.logicalId());
      if (event == null && spec.logicalId().equals("TokenClaimsFunction")) {
        event = Map.of("request", Map.of("userAttributes", Map.of("sub", "ari", "custom:org_id", "ready-org")));
      }
      if (event == null) {
        md.append("| ").append(spec.logicalId()).append(" | no event recorded | | | | | |\n");
        continue;
      }
      row(md, spec.logicalId(), spec.handlerClass(), spec.handlerMethod(), spec.environment(), event, dir);
    }
    return md.toString();
  }

  private void row(StringBuilder md, String name, String handler, String method, Map<String, String> env,
                   Object event, Path dir) throws IOException, InterruptedException {
    Path eventFile = dir.resolve(name.replaceAll("\\W", "_") + ".json");
    Files.writeString(eventFile, Json.write(event));
    List<Probe> plain = new ArrayList<>();
    List<Probe> primed = new ArrayList<>();
    for (int i = 0; i < runs; i++) {
      plain.add(probe(handler, method, env, eventFile, false));
      primed.add(probe(handler, method, env, eventFile, true));
    }
    md.append(String.format(Locale.ROOT, "| %s | %.0f | %.0f | %.0f | %.0f | %.0f | %s |%n", name,
        median(plain.stream().mapToDouble(p -> p.sinceJvmStart).toArray()),
        median(plain.stream().mapToDouble(Probe::construct).toArray()),
        median(plain.stream().mapToDouble(Probe::firstResponse).toArray()),
        median(primed.stream().mapToDouble(Probe::firstResponse).toArray()),
        median(primed.stream().mapToDouble(Probe::prime).toArray()),
        plain.getFirst().status()));
    System.out.printf("[init] %s done%n", name);
  }

  private static List<String> jvmFlags() {
    return List.of("-XX:+TieredCompilation", "-XX:TieredStopAtLevel=1");
  }

  private Probe probe(String handler, String method, Map<String, String> env, Path event, boolean prime)
      throws IOException, InterruptedException {
    List<String> cmd = new ArrayList<>();
    cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    cmd.addAll(jvmFlags());
    cmd.add("-cp");
    cmd.add(System.getProperty("java.class.path"));
    cmd.add(InitProbe.class.getName());
    cmd.addAll(List.of(handler, method, event.toString(), String.valueOf(prime)));
    ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
    Map<String, String> e = pb.environment();
    e.keySet().removeIf(k -> k.startsWith("AWS_"));
    Map<String, String> vars = new HashMap<>(env);
    vars.put("AWS_ENDPOINT_URL", cloud.emulatorEndpoint());
    vars.put("AWS_REGION", cloud.stack().region());
    vars.put("AWS_ACCESS_KEY_ID", "test");
    vars.put("AWS_SECRET_ACCESS_KEY", "test");
    e.putAll(vars);
    Process p = pb.start();
    List<String> output = new ArrayList<>();
    Probe found = null;
    try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
      for (String line; (line = r.readLine()) != null; ) {
        output.add(line);
        Matcher m = LINE.matcher(line);
        if (m.find()) {
          found = new Probe(Double.parseDouble(m.group(1)), Double.parseDouble(m.group(2)),
              Double.parseDouble(m.group(3)), Long.parseLong(m.group(4)), m.group(5));
        }
      }
    }
    p.waitFor();
    if (found == null) {
      throw new IllegalStateException("Init probe of " + handler + " printed no result:\n"
          + String.join("\n", output.subList(Math.max(0, output.size() - 30), output.size())));
    }
    return found;
  }

  private static double median(double[] values) {
    double[] sorted = values.clone();
    java.util.Arrays.sort(sorted);
    return sorted[sorted.length / 2];
  }
}
