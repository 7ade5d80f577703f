package dev.goalpost.bench;

import dev.goalpost.local.LocalClock;
import dev.goalpost.local.LocalCloud;
import dev.goalpost.local.LocalCloudOptions;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Locale;
import java.util.UUID;
import java.util.logging.Level;
import java.util.logging.Logger;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/**
 * What every benchmark's {@code main} does around its measurements: a quiet local cloud of the template
 * ({@code -Dgoalpost.templates}, default {@code ../../template.yaml}) with a fresh name prefix, the emulator
 * serialized and the meter's size reader set, then the report printed and written to {@code out}, and the exit
 * status (1 if the run failed).
 */
final class BenchRun {
  interface Body {
    String run(LocalCloud cloud, DynamoDbClient dynamo) throws Exception;
  }

  private BenchRun() {}

  static void main(String prefix, Path out, boolean queueTriggers, Body body) {
    main(prefix, out, o -> o.withQueueTriggers(queueTriggers), body);
  }

  /** As above, with the local cloud's options adjusted by {@code adjust} (queue triggers, fault mode). */
  static void main(String prefix, Path out, java.util.function.UnaryOperator<LocalCloudOptions> adjust, Body body) {
    Logger.getLogger("").setLevel(Level.WARNING);
    String templates = System.getProperty("goalpost.templates", "../../template.yaml");
    LocalCloudOptions options = LocalCloudOptions.defaults()
        .withTemplates(Arrays.stream(templates.split(",")).map(Path::of).toList())
        .withPort(0).withEmulatorPort(0)
        .withDynamoModes(LocalCloudOptions.DynamoModes.REAL_PAGES) // request counts as DynamoDB's 1 MB pages give
        .withPrefix(prefix + "-" + UUID.randomUUID().toString().substring(0, 6) + "-");
    options = adjust.apply(options);
    long start = System.nanoTime();
    int status = 0;
    try (LocalCloud cloud = LocalCloud.start(options)) {
      Logger.getLogger("").setLevel(Level.WARNING);
      DynamoDbClient dynamo = DynamoDbClient.builder().httpClient(UrlConnectionHttpClient.create()).build();
      DynamoMeter.serializeEmulator(true);
      DynamoMeter.sizeReader(dynamo);
      String report = body.run(cloud, dynamo)
          + String.format(Locale.ROOT, "%nWhole run: %.0f s.%n", (System.nanoTime() - start) / 1e9);
      System.out.println(report);
      Files.createDirectories(out.toAbsolutePath().getParent());
      Files.writeString(out, report);
      System.out.println("Written to " + out.toAbsolutePath());
    } catch (Exception e) {
      e.printStackTrace();
      status = 1;
    } finally {
      LocalClock.shared().reset();
    }
    System.exit(status);
  }

  /**
   * The goal both benchmarks measure: an EVENT for anyone in the group, launched before and active from
   * 2026-12-02 09:00 (Chicago), with an initial script using merge fields and a response script.
   */
  static java.util.Map<String, Object> rallyGoal(String name) {
    java.util.Map<String, Object> goal = new java.util.LinkedHashMap<>();
    goal.put("type", "EVENT");
    goal.put("name", name);
    goal.put("eventStartAt", "2026-12-20T18:00");
    goal.put("assignmentStrategy", "ANYONE");
    goal.put("agentInstructions", "Be kind; log Yes for anyone who can come.");
    goal.put("workflowsAvailableAt", "2026-12-02T09:00");
    goal.put("workflowsCloseAt", "2026-12-20T12:00");
    goal.put("remindersEnabled", false);
    goal.put("scripts", java.util.Map.of(
        "initial", java.util.List.of(java.util.Map.of("body",
            "Hi <first name|friend>, it's <agent name>: rally <event date>! Reply STOP to opt out")),
        "response", java.util.List.of(java.util.Map.of("body", "Thanks <first name>!"))));
    return goal;
  }
}
