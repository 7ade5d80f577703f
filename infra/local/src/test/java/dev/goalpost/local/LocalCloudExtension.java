package dev.goalpost.local;

import dev.goalpost.bench.DynamoMeter;
import dev.goalpost.local.faults.FaultPlan;
import dev.goalpost.local.iam.IamMode;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * Starts ONE local cloud per test JVM (in the root store, closed when the JVM's tests end) and hands it to
 * every IT class: emulator from {@link TestBackend} (AWS_ENDPOINT_URL, LocalStack or a moto on a free port),
 * HTTP API on a free port, no demo data, and a fresh name prefix per run so reruns against a long-lived
 * emulator never see an earlier run's tables or queues.
 *
 * <p>Fault mode: {@code -Dgoalpost.faults=rate=0.05,seed=42} runs the cloud (and the moto it starts) in fault
 * mode; the failsafe execution {@code chaos} runs {@code ChaosIT} that way.
 *
 * <p>Templates: {@code -Dgoalpost.templates=a.yaml,b.yaml} (failsafe sets the project's template.yaml plus
 * the test-only probe template).
 *
 * <p>IAM: enforced as by {@code make run} (every function's calls checked against its template Policies);
 * {@code -Dgoalpost.iam=off} turns it off.
 */
public final class LocalCloudExtension implements ParameterResolver {
  private static final ExtensionContext.Namespace NS = ExtensionContext.Namespace.create(LocalCloudExtension.class);

  /** The shared cloud plus its client; closing it stops the cloud (and the emulator the harness started). */
  record Shared(LocalCloud cloud, ApiClient api) implements AutoCloseable {
    @Override
    public void close() {
      cloud.close();
    }
  }

  static Shared shared(ExtensionContext context) {
    return context.getRoot().getStore(NS).getOrComputeIfAbsent(Shared.class, k -> start(), Shared.class);
  }

  private static Shared start() {
    LogFormat.install();
    String prefix = "it-" + UUID.randomUUID().toString().substring(0, 6) + "-";
    LocalCloudOptions options = LocalCloudOptions.defaults()
        .withTemplates(templates())
        .withPort(0)
        .withEmulatorPort(0)
        .withPrefix(prefix)
        .withIam(IamMode.parse(System.getProperty("goalpost.iam", "enforce")))
        .withDynamoModes(dynamoModes())
        .withFaults(FaultPlan.parse(System.getProperty("goalpost.faults", "")));
    LocalCloud cloud = LocalCloud.start(options, TestBackend.start(options));
    DynamoMeter.serializeEmulator(serializesEmulator());

    return new Shared(cloud, new ApiClient(cloud.baseUrl()));
  }

  /**
   * The suite runs with DynamoDB's limits enforced and pages of 3 items ({@link LocalCloudOptions.DynamoModes#DEFAULT}),
   * so every pagination loop of the functions runs. {@code -Dgoalpost.strictLimits=false} and
   * {@code -Dgoalpost.pageSize=0} turn them off (moto only).
   */
  static LocalCloudOptions.DynamoModes dynamoModes() {
    var d = LocalCloudOptions.DynamoModes.DEFAULT;
    return new LocalCloudOptions.DynamoModes(
        Boolean.parseBoolean(System.getProperty("goalpost.strictLimits", String.valueOf(d.strictLimits()))),
        Integer.parseInt(System.getProperty("goalpost.pageSize", String.valueOf(d.pageSize()))));
  }

  private static List<Path> templates() {
    String configured = System.getProperty("goalpost.templates");
    if (configured == null || configured.isBlank()) {
      return List.of(Path.of("../../template.yaml"), Path.of("src/test/resources/local-test-template.yaml"));
    }
    return Arrays.stream(configured.split(",")).map(String::trim).filter(s -> !s.isEmpty()).map(Path::of).toList();
  }

  @Override
  public boolean supportsParameter(ParameterContext p, ExtensionContext e) {
    Class<?> type = p.getParameter().getType();
    return type == LocalCloud.class || type == ApiClient.class;
  }

  @Override
  public Object resolveParameter(ParameterContext p, ExtensionContext e) {
    Shared s = shared(e);
    return p.getParameter().getType() == LocalCloud.class ? s.cloud() : s.api();
  }

  /** Whether the tests run on moto (not an endpoint from AWS_ENDPOINT_URL, not LocalStack). */
  public static boolean onMoto() {
    String endpoint = System.getenv("AWS_ENDPOINT_URL");
    return (endpoint == null || endpoint.isBlank())
        && !"localstack".equalsIgnoreCase(System.getProperty("goalpost.backend", "moto"));
  }

  /**
   * Whether this JVM's DynamoDB requests reach the emulator one at a time ({@link DynamoMeter#serializeEmulator}):
   * on moto by default, because moto applies a transaction item by item and restores a whole-table copy when
   * one is cancelled, erasing what a concurrent request wrote (seen as HTTP 500s and lost writes while the
   * background pollers run). Real DynamoDB and LocalStack are atomic per request, so there it is off.
   * {@code -Dgoalpost.serialize=true|false} overrides.
   */
  public static boolean serializesEmulator() {
    return Boolean.parseBoolean(System.getProperty("goalpost.serialize", String.valueOf(onMoto())));
  }
}
