package dev.goalpost.local;

import dev.goalpost.local.faults.FaultPlan;
import dev.goalpost.local.iam.IamMode;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * How to start a {@link LocalCloud}. {@code endpoint} null means: use {@code AWS_ENDPOINT_URL} if set, else
 * start moto on {@code emulatorPort} (0 = any free port; otherwise the first free one from there).
 */
public record LocalCloudOptions(
    List<Path> templates,
    String host,
    int port,
    int emulatorPort,
    String endpoint,
    String prefix,
    boolean demo,
    Map<String, String> parameters,
    String python,
    boolean queueTriggers,
    DynamoModes dynamo,
    IamMode iam,
    FaultPlan faults) {

  public static final String USAGE = """
      Usage: java -cp 'infra/local/target/classes:infra/local/target/lib/*' dev.goalpost.local.LocalCloud [options]
        --template FILE        SAM template to emulate (repeatable; later files add resources)  [template.yaml]
        --port N               HTTP API port (0 = any free port)                                [8080]
        --host ADDR            address the HTTP API listens on                                  [127.0.0.1]
        --emulator-port N      port for the moto server it starts (0 = any free port)           [4566]
        --endpoint URL         use this running emulator instead of starting moto  [$AWS_ENDPOINT_URL]
        --prefix P             prefix of every table/queue/bus name                             [goalpost-local-]
        --param NAME=VALUE     override a template parameter's Default (repeatable)
        --python CMD           Python that has moto installed                                  [python3]
        --demo                 seed the demo org, groups, users and contacts through the API
        --no-queue-triggers    do not poll queues into functions (a benchmark drives them itself)
        --strict-limits on|off refuse what DynamoDB's request limits refuse, with its texts      [on]
        --page-size N          at most N items per Query/Scan page and BatchGetItem (0 = off)   [3]
        --iam enforce|off      check every AWS call a function makes against its Policies     [enforce]
        --faults SPEC          fault mode, e.g. rate=0.05,seed=42[,window=10ms][,kinds=conflict+throttle+5xx+
                               duplicate+crash+carrier-fail+carrier-timeout]; the seed is printed   [off]
        --help
      """;

  public LocalCloudOptions {
    templates = List.copyOf(templates);
    parameters = Map.copyOf(parameters);
    faults = faults == null ? FaultPlan.OFF : faults;
  }

  public static LocalCloudOptions defaults() {
    return new LocalCloudOptions(List.of(Path.of("template.yaml")), "127.0.0.1", 8080, 4566, null,
        "goalpost-local-", false, Map.of(), "python3", true, DynamoModes.DEFAULT, IamMode.ENFORCE, FaultPlan.OFF);
  }

  public LocalCloudOptions withTemplates(List<Path> t) {
    return new LocalCloudOptions(t, host, port, emulatorPort, endpoint, prefix, demo, parameters, python, queueTriggers, dynamo, iam, faults);
  }

  public LocalCloudOptions withPort(int p) {
    return new LocalCloudOptions(templates, host, p, emulatorPort, endpoint, prefix, demo, parameters, python, queueTriggers, dynamo, iam, faults);
  }

  public LocalCloudOptions withEmulatorPort(int p) {
    return new LocalCloudOptions(templates, host, port, p, endpoint, prefix, demo, parameters, python, queueTriggers, dynamo, iam, faults);
  }

  public LocalCloudOptions withEndpoint(String e) {
    return new LocalCloudOptions(templates, host, port, emulatorPort, e, prefix, demo, parameters, python, queueTriggers, dynamo, iam, faults);
  }

  public LocalCloudOptions withPrefix(String p) {
    return new LocalCloudOptions(templates, host, port, emulatorPort, endpoint, p, demo, parameters, python, queueTriggers, dynamo, iam, faults);
  }

  public LocalCloudOptions withDemo(boolean d) {
    return new LocalCloudOptions(templates, host, port, emulatorPort, endpoint, prefix, d, parameters, python, queueTriggers, dynamo, iam, faults);
  }

  /**
   * Whether SQS event sources poll their queues into their functions (as Lambda does). A benchmark turns
   * them off to receive and invoke on its own thread, so each request is attributed to the operation.
   */
  public LocalCloudOptions withQueueTriggers(boolean on) {
    return new LocalCloudOptions(templates, host, port, emulatorPort, endpoint, prefix, demo, parameters, python, on, dynamo, iam, faults);
  }

  /** Whether hosted functions' AWS calls are checked against their template policies. */
  public LocalCloudOptions withIam(IamMode mode) {
    return new LocalCloudOptions(templates, host, port, emulatorPort, endpoint, prefix, demo, parameters, python,
        queueTriggers, dynamo, mode, faults);
  }

  /** The fault mode ({@link FaultPlan}; {@link FaultPlan#OFF} by default). */
  public LocalCloudOptions withFaults(FaultPlan f) {
    return new LocalCloudOptions(templates, host, port, emulatorPort, endpoint, prefix, demo, parameters, python,
        queueTriggers, dynamo, iam, f);
  }

  /** The emulator's DynamoDB modes (moto only; read {@link DynamoModes}). */
  public LocalCloudOptions withDynamoModes(DynamoModes d) {
    return new LocalCloudOptions(templates, host, port, emulatorPort, endpoint, prefix, demo, parameters, python, queueTriggers, d, iam, faults);
  }

  /**
   * How the moto the local cloud starts plays DynamoDB's limits, passed to its launcher
   * ({@code emulator/goalpost_moto.py}) as environment variables.
   *
   * @param strictLimits refuse, with DynamoDB's ValidationException texts, the requests DynamoDB refuses
   *     (BatchWriteItem over 25, TransactWriteItems over 100 items or 4 MB, ...): {@code GOALPOST_MOTO_STRICT_LIMITS=1}
   * @param pageSize when above 0, every Query and Scan page holds at most this many items (as if the 1 MB cap
   *     were hit, before any filter) and a BatchGetItem answers at most this many keys, the others unprocessed:
   *     {@code GOALPOST_MOTO_PAGE_SIZE=N}. So every pagination loop runs.
   */
  public record DynamoModes(boolean strictLimits, int pageSize) {
    /** On for {@code make run} and the tests: limits as DynamoDB's, pages of 3. */
    public static final DynamoModes DEFAULT = new DynamoModes(true, 3);
    /** Pages as DynamoDB's (1 MB), limits still DynamoDB's: for the benchmarks, whose request counts must be real. */
    public static final DynamoModes REAL_PAGES = new DynamoModes(true, 0);

    public DynamoModes {
      if (pageSize < 0) {
        throw new IllegalArgumentException("--page-size must be 0 (off) or more, got " + pageSize);
      }
    }

    public Map<String, String> environment() {
      return Map.of("GOALPOST_MOTO_STRICT_LIMITS", strictLimits ? "1" : "0",
          "GOALPOST_MOTO_PAGE_SIZE", Integer.toString(pageSize));
    }
  }

  /** Parses command-line flags over the defaults; throws {@link IllegalArgumentException} with the usage. */
  public static LocalCloudOptions parse(String[] args) {
    LocalCloudOptions o = defaults();
    List<Path> templates = new ArrayList<>();
    Map<String, String> params = new LinkedHashMap<>();
    String host = o.host;
    int port = o.port;
    int emulatorPort = o.emulatorPort;
    String endpoint = null;
    String prefix = o.prefix;
    boolean demo = false;
    boolean queueTriggers = true;
    String python = o.python;
    boolean strictLimits = o.dynamo.strictLimits();
    int pageSize = o.dynamo.pageSize();
    IamMode iam = o.iam;
    FaultPlan faults = FaultPlan.OFF;
    for (int i = 0; i < args.length; i++) {
      String a = args[i];
      switch (a) {
        case "--template" -> templates.add(Path.of(value(args, ++i, a)));
        case "--port" -> port = Integer.parseInt(value(args, ++i, a));
        case "--host" -> host = value(args, ++i, a);
        case "--emulator-port" -> emulatorPort = Integer.parseInt(value(args, ++i, a));
        case "--endpoint" -> endpoint = value(args, ++i, a);
        case "--prefix" -> prefix = value(args, ++i, a);
        case "--python" -> python = value(args, ++i, a);
        case "--demo" -> demo = true;
        case "--no-queue-triggers" -> queueTriggers = false;
        case "--strict-limits" -> strictLimits = onOff(value(args, ++i, a), a);
        case "--page-size" -> pageSize = Integer.parseInt(value(args, ++i, a));
        case "--iam" -> iam = IamMode.parse(value(args, ++i, a));
        case "--faults" -> faults = FaultPlan.parse(value(args, ++i, a));
        case "--param" -> {
          String kv = value(args, ++i, a);
          int eq = kv.indexOf('=');
          if (eq <= 0) {
            throw new IllegalArgumentException("--param needs NAME=VALUE, got " + kv + "\n" + USAGE);
          }
          params.put(kv.substring(0, eq), kv.substring(eq + 1));
        }
        default -> throw new IllegalArgumentException("Unknown option " + a + "\n" + USAGE);
      }
    }
    return new LocalCloudOptions(templates.isEmpty() ? o.templates : templates, host, port, emulatorPort, endpoint,
        prefix, demo, params, python, queueTriggers, new DynamoModes(strictLimits, pageSize), iam, faults);
  }

  private static boolean onOff(String v, String flag) {
    return switch (v) {
      case "on" -> true;
      case "off" -> false;
      default -> throw new IllegalArgumentException(flag + " takes on or off, got " + v + "\n" + USAGE);
    };
  }

  private static String value(String[] args, int i, String flag) {
    if (i >= args.length) {
      throw new IllegalArgumentException(flag + " needs a value\n" + USAGE);
    }
    return args[i];
  }
}
