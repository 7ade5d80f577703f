package dev.goalpost.local;

import com.sun.net.httpserver.HttpServer;
import dev.goalpost.local.auth.JwtAuthorizer;
import dev.goalpost.local.carrier.CarrierEndpoints;
import dev.goalpost.local.carrier.CarrierSecrets;
import dev.goalpost.local.auth.LocalIssuer;
import dev.goalpost.local.auth.PreTokenTrigger;
import dev.goalpost.local.demo.DemoSeeder;
import dev.goalpost.local.emulator.Emulator;
import dev.goalpost.local.emulator.MotoServer;
import dev.goalpost.local.faults.FaultPlan;
import dev.goalpost.local.faults.Faults;
import dev.goalpost.local.functions.EventSource;
import dev.goalpost.local.functions.FunctionRegistry;
import dev.goalpost.local.functions.FunctionSpec;
import dev.goalpost.local.functions.FunctionSpecs;
import dev.goalpost.local.functions.HostedFunction;
import dev.goalpost.local.http.ApiEventFactory;
import dev.goalpost.local.iam.Caller;
import dev.goalpost.local.iam.FunctionPolicies;
import dev.goalpost.local.iam.IamMode;
import dev.goalpost.local.http.ClockEndpoint;
import dev.goalpost.local.http.Cors;
import dev.goalpost.local.http.HttpApiServer;
import dev.goalpost.local.http.HttpRoute;
import dev.goalpost.local.http.LocalEndpoints;
import dev.goalpost.local.http.RouteTable;
import dev.goalpost.local.http.TokenEndpoint;
import dev.goalpost.local.http.WebConsole;
import dev.goalpost.local.resources.EmulatorClients;
import dev.goalpost.local.resources.PhysicalResources;
import dev.goalpost.local.resources.ResourceProvisioner;
import dev.goalpost.local.template.Intrinsics;
import dev.goalpost.local.template.Stack;
import dev.goalpost.local.template.Template;
import dev.goalpost.local.triggers.ScheduleTicker;
import dev.goalpost.local.triggers.SqsPoller;
import dev.goalpost.local.triggers.StreamPoller;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeoutException;
import java.util.function.BooleanSupplier;
import java.util.function.Function;
import java.util.logging.Logger;

/**
 * The local cloud: one JVM that plays AWS for the functions of {@code template.yaml}. It starts (or reuses)
 * an AWS-compatible emulator, creates the template's tables/queues/buses/rules in it, hosts every function's
 * handler, serves the HTTP API with API Gateway's routing and JWT authorizer, runs SQS and DynamoDB stream
 * triggers and schedules,
 * and lets the clock be moved. Everything is derived from the template, so local and deployed wiring agree.
 */
public final class LocalCloud implements AutoCloseable {
  /** Template parameters whose local value differs from their default: texts go to the local carrier. */
  /** Locally texts go to the recording carrier, and this process serves the console (no CloudFront). */
  static final Map<String, String> LOCAL_PARAMETER_DEFAULTS = Map.of("SmsProvider", "local", "DeployConsole", "false");

  private final Emulator emulator;
  private final EmulatorClients clients;
  private final Stack stack;
  private final PhysicalResources resources;
  private final FunctionRegistry functions;
  private final HttpApiServer http;
  private final LocalIssuer issuer;
  private final List<SqsPoller> pollers;
  private final List<StreamPoller> streamPollers;
  private final ScheduleTicker schedules;
  private final String baseUrl;

  private LocalCloud(Emulator emulator, EmulatorClients clients, Stack stack, PhysicalResources resources,
                     FunctionRegistry functions, HttpApiServer http, LocalIssuer issuer, List<SqsPoller> pollers,
                     List<StreamPoller> streamPollers, ScheduleTicker schedules, String baseUrl) {
    this.emulator = emulator;
    this.clients = clients;
    this.stack = stack;
    this.resources = resources;
    this.functions = functions;
    this.http = http;
    this.issuer = issuer;
    this.pollers = pollers;
    this.streamPollers = streamPollers;
    this.schedules = schedules;
    this.baseUrl = baseUrl;
  }

  private static Logger log() {
    return Logger.getLogger(LocalCloud.class.getName());
  }

  public static void main(String[] args) {
    LogFormat.install();
    LocalCloudOptions options;
    try {
      if (List.of(args).contains("--help")) {
        System.out.println(LocalCloudOptions.USAGE);
        return;
      }
      options = LocalCloudOptions.parse(args);
    } catch (IllegalArgumentException e) {
      System.err.println(e.getMessage());
      System.exit(2);
      return;
    }
    LocalCloud cloud;
    try {
      cloud = start(options);
    } catch (IllegalStateException | UncheckedIOException e) {
      System.err.println("Local cloud did not start: " + e.getMessage());
      System.exit(1);
      return;
    }
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      System.out.println("Stopping the local cloud…");
      cloud.close();
      stopped.countDown();
    }, "local-cloud-shutdown"));
    if (options.demo()) {
      new DemoSeeder(cloud.baseUrl()).seedAndPrint(System.out);
    } else {
      System.out.printf("%nLocal cloud ready: %s  (emulator %s)%nMint a token: curl -s -X POST %s/_local/token "
              + "-d '{\"userId\":\"admin-ana\",\"orgId\":\"org-demo\",\"cognitoGroups\":[\"admins\"]}'%n%n",
          cloud.baseUrl(), cloud.emulatorEndpoint(), cloud.baseUrl());
    }
    try {
      stopped.await();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  public static LocalCloud start(LocalCloudOptions options) {
    String endpoint = options.endpoint() != null ? options.endpoint() : blankToNull(System.getenv("AWS_ENDPOINT_URL"));
    Emulator emulator = endpoint != null
        ? new Emulator.External(endpoint)
        : MotoServer.start(options.python(), options.emulatorPort(), launcherEnvironment(options));
    if (endpoint != null) {
      log().info(() -> "Emulator " + endpoint + " is not started here: --strict-limits, --page-size and the "
          + "emulator's share of --faults do not apply to it");
    }
    try {
      return start(options, emulator);
    } catch (RuntimeException | Error e) {
      emulator.close(); // never leave an orphan moto behind, whatever stopped the start
      throw e;
    }
  }

  /**
   * What the moto launcher needs to play the same fault mode: {@code GOALPOST_FAULTS} (read by
   * {@code emulator/goalpost_faults.py}). Empty when the fault mode is off.
   */
  public static Map<String, String> launcherEnvironment(LocalCloudOptions options) {
    Map<String, String> env = new java.util.HashMap<>(options.dynamo().environment());
    if (options.faults().enabled()) {
      env.put("GOALPOST_FAULTS", options.faults().spec());
    }
    return Map.copyOf(env);
  }

  /** Starts on an emulator the caller provides (and closes, through {@link #close()}). */
  public static LocalCloud start(LocalCloudOptions options, Emulator emulator) {
    Faults.install(options.faults());
    if (options.faults().enabled()) {
      // Printed, not only logged: the seed is what replays a failure.
      System.out.println("Fault mode on: --faults " + options.faults().spec()
          + (emulator instanceof MotoServer ? "" : "  (the emulator at " + emulator.endpoint()
              + " injects its share only if it was started with GOALPOST_FAULTS=" + options.faults().spec() + ")"));
    }
    String region = configureSdk(emulator.endpoint());
    Stack stack = new Stack(options.prefix(), region, Stack.LOCAL_ACCOUNT);
    Template template = Template.load(options.templates());
    EmulatorClients clients = new EmulatorClients();
    List<AutoCloseable> started = new ArrayList<>(List.of(clients));
    try {
      // The API's port is known before the functions are built: the providers' base URLs point at it.
      HttpServer server = bind(options.host(), options.port());
      String baseUrl = "http://" + options.host() + ":" + server.getAddress().getPort();
      started.add(() -> {
        try {
          server.stop(0);
        } catch (RuntimeException alreadyStopped) {
          // closed by the HTTP API server first
        }
      });
      Map<String, String> parameters = new java.util.HashMap<>(LOCAL_PARAMETER_DEFAULTS);
      parameters.put("TwilioAccountSid", dev.goalpost.local.carrier.ProviderApis.LOCAL_ACCOUNT_SID);
      parameters.put("TwilioApiBaseUrl", baseUrl + "/_local/twilio");
      parameters.putAll(options.parameters());
      // End User Messaging SMS SendTextMessage (which moto lacks) goes to the local carrier, through the SDK.
      System.setProperty("aws.endpointUrlPinpointSmsVoiceV2", baseUrl + dev.goalpost.local.carrier.ProviderApis.SMS_VOICE_PATH);
      PhysicalResources resources = new ResourceProvisioner(template, stack, clients).provision(parameters);
      Intrinsics intrinsics = new Intrinsics(template, stack, resources, parameters);
      CarrierSecrets.provision(resolvedParameters(template, parameters));
      FunctionSpecs specs = new FunctionSpecs(template, intrinsics, stack);
      FunctionRegistry functions = new FunctionRegistry(specs.all(), Thread.currentThread().getContextClassLoader(),
          callers(options.iam(), template, intrinsics, stack));

      LocalClock clock = LocalClock.shared();
      LocalIssuer issuer = new LocalIssuer(baseUrl + "/_local", clock);
      LocalEndpoints local = new LocalEndpoints()
          .on("POST", "/_local/token", new TokenEndpoint(issuer, PreTokenTrigger.from(functions, region))::handle)
          .on("GET", "/_local/clock", new ClockEndpoint(clock)::get)
          .on("POST", "/_local/clock", new ClockEndpoint(clock)::post);
      String tableName = resources.ref("GoalpostTable").orElse(null);
      var awsPath = resources.ref("InboundSmsTopic").isPresent() && resources.ref("SmsEventsTopic").isPresent()
          ? new CarrierEndpoints.AwsPath(clients.sns(), resources.ref("InboundSmsTopic").get(),
              resources.ref("SmsEventsTopic").get(), number -> numberProvider(clients, tableName, number))
          : null;
      new CarrierEndpoints(baseUrl, awsPath).register(local);
      HttpApiServer http = new HttpApiServer(server, new RouteTable(routes(functions)), functions,
          new JwtAuthorizer(issuer, clock), new ApiEventFactory(clock, "local", stack.accountId()),
          cors(functions, specs), local);
      started.add(http);
      WebConsole.besideTemplate(options.templates().getFirst()).ifPresent(web -> {
        http.serveConsole(new WebConsole(web, DemoSeeder.ORG, DemoSeeder.consoleUsers()));
        log().info(() -> "Web console on " + baseUrl + "/ (from " + web + ")");
      });

      List<SqsPoller> pollers = new ArrayList<>();
      List<StreamPoller> streamPollers = new ArrayList<>();
      ScheduleTicker schedules = new ScheduleTicker(clock, stack);
      started.add(schedules);
      for (FunctionSpec spec : functions.specs()) {
        HostedFunction fn = functions.function(spec.logicalId()).orElse(null);
        for (EventSource e : spec.events()) {
          switch (e) {
            case EventSource.Sqs sqs when fn != null && sqs.enabled() && options.queueTriggers() -> {
              SqsPoller p = new SqsPoller(clients.sqs(), fn, sqs, region);
              pollers.add(p);
              started.add(p);
            }
            case EventSource.DynamoDb d when fn != null && d.enabled() && options.queueTriggers() -> {
              StreamPoller p = new StreamPoller(clients.streams(), clients.sqs(), fn, d, region);
              streamPollers.add(p);
              started.add(p);
            }
            case EventSource.Schedule s when fn != null && s.enabled() -> schedules.add(fn, s);
            case EventSource.Cognito c when c.triggers().contains(PreTokenTrigger.TRIGGER) -> log().info(() ->
                spec.logicalId() + " (Cognito " + PreTokenTrigger.TRIGGER + ") runs for each POST /_local/token without explicit claims");
            case EventSource.Cognito c -> log().warning(() -> spec.logicalId() + " Cognito triggers " + c.triggers()
                + " are not emulated locally");
            case EventSource.Unsupported u -> log().warning(() -> spec.logicalId() + " event " + u.name()
                + " of type " + u.type() + " is not emulated locally");
            default -> { }
          }
        }
      }
      java.util.concurrent.atomic.AtomicReference<LocalCloud> self = new java.util.concurrent.atomic.AtomicReference<>();
      local.on("POST", "/_local/settle", new dev.goalpost.local.http.SettleEndpoint(timeout -> self.get().settle(timeout))::handle);
      http.start();
      pollers.forEach(SqsPoller::start);
      streamPollers.forEach(StreamPoller::start);
      schedules.start();
      log().info(() -> "HTTP API on " + baseUrl + ", " + functions.loaded().size() + "/" + functions.specs().size()
          + " functions loaded, " + pollers.size() + " queue triggers, " + streamPollers.size() + " stream triggers");
      LocalCloud cloud = new LocalCloud(emulator, clients, stack, resources, functions, http, issuer,
          List.copyOf(pollers), List.copyOf(streamPollers), schedules, baseUrl);
      self.set(cloud);
      return cloud;
    } catch (RuntimeException e) {
      closeAll(started);
      throw e;
    }
  }

  /** The provider a group number's claim names (the local carrier replies through it). */
  private static java.util.Optional<String> numberProvider(EmulatorClients clients, String table, String number) {
    if (table == null) {
      return java.util.Optional.empty();
    }
    var item = clients.dynamo().getItem(r -> r.tableName(table)
        .key(dev.goalpost.groups.GroupRepository.numberKey(number))).item();
    return dev.goalpost.groups.GroupRepository.providerFrom(item).map(dev.goalpost.groups.NumberProvider::provider);
  }

  /**
   * Who each function's AWS calls are checked as: its execution role's policy, read from its {@code Policies}
   * ({@link FunctionPolicies}); with {@code --iam off}, nobody (unchecked).
   */
  private static Function<FunctionSpec, Caller> callers(IamMode mode, Template template, Intrinsics intrinsics, Stack stack) {
    if (mode == IamMode.OFF) {
      log().info("IAM not enforced (--iam off): functions' AWS calls are not checked against their Policies");
      return spec -> null;
    }
    FunctionPolicies policies = new FunctionPolicies(template, intrinsics, stack);
    log().info("IAM enforced: every AWS call a function makes is checked against its Policies in the template (--iam off to disable)");
    return spec -> policies.callerOf(spec.logicalId());
  }

  /** Each template parameter's value: the one given, else its Default. */
  private static Map<String, String> resolvedParameters(Template template, Map<String, String> given) {
    Map<String, String> out = new java.util.HashMap<>();
    template.parameters().forEach((name, spec) -> {
      Object def = spec instanceof Map<?, ?> m ? m.get("Default") : null;
      if (def != null) {
        out.put(name, String.valueOf(def));
      }
    });
    out.putAll(given);
    return out;
  }

  /**
   * Points every SDK client in this JVM (the functions' and ours) at the emulator through the SDK's own
   * system properties; region and credentials keep any value the environment already gives.
   */
  private static String configureSdk(String endpoint) {
    System.setProperty("aws.endpointUrl", endpoint);
    String region = firstNonBlank(System.getProperty("aws.region"), System.getenv("AWS_REGION"), "us-east-1");
    System.setProperty("aws.region", region);
    if (blankToNull(System.getProperty("aws.accessKeyId")) == null && blankToNull(System.getenv("AWS_ACCESS_KEY_ID")) == null) {
      System.setProperty("aws.accessKeyId", "test");
      System.setProperty("aws.secretAccessKey", "test");
    }
    return region;
  }

  private static HttpServer bind(String host, int port) {
    try {
      return HttpServer.create(new InetSocketAddress(host, port), 64);
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot listen on " + host + ":" + port + " (is another local cloud running? use --port)", e);
    }
  }

  private static List<HttpRoute> routes(FunctionRegistry functions) {
    List<HttpRoute> routes = new ArrayList<>();
    for (FunctionSpec spec : functions.specs()) {
      for (EventSource e : spec.events()) {
        if (e instanceof EventSource.HttpApi api) {
          routes.add(HttpRoute.of(api.method(), api.path(), spec.logicalId(), api.authorizer()));
        }
      }
    }
    return routes;
  }

  /** CORS of the HttpApi the routes use (one local server plays every HttpApi; the first one's CORS wins). */
  private static Cors cors(FunctionRegistry functions, FunctionSpecs specs) {
    Set<String> apis = new LinkedHashSet<>();
    functions.specs().forEach(s -> s.events().forEach(e -> {
      if (e instanceof EventSource.HttpApi api) {
        apis.add(api.apiId());
      }
    }));
    if (apis.size() > 1) {
      log().warning(() -> "Routes belong to several HttpApis " + apis + "; the local server serves them all with the CORS of the first");
    }
    return apis.isEmpty() ? Cors.NONE : Cors.from(specs.apiProperties(apis.iterator().next()).get("CorsConfiguration"));
  }

  public String baseUrl() {
    return baseUrl;
  }

  public String emulatorEndpoint() {
    return emulator.endpoint();
  }

  public Stack stack() {
    return stack;
  }

  public PhysicalResources resources() {
    return resources;
  }

  public EmulatorClients clients() {
    return clients;
  }

  public FunctionRegistry functions() {
    return functions;
  }

  public LocalIssuer issuer() {
    return issuer;
  }

  public LocalClock clock() {
    return LocalClock.shared();
  }

  /**
   * Waits until every queue with a trigger is empty (nothing visible, in flight or delayed), every table
   * stream with a trigger has handed every record written so far to its function, and no trigger is running
   * a function — twice in a row, so work one handler hands to another queue or stream is waited for too.
   */
  public void drainTriggers(Duration timeout) throws TimeoutException {
    int[] quietChecks = {0};
    await(timeout, "queue triggers to drain", () -> {
      boolean quiet = schedules.isIdle() && pollers.stream().allMatch(SqsPoller::isDrained)
          && streamPollers.stream().allMatch(StreamPoller::isDrained);
      quietChecks[0] = quiet ? quietChecks[0] + 1 : 0;
      return quietChecks[0] >= 2;
    });
  }

  /**
   * What {@code POST /_local/settle} waits for: one complete schedule check that began after the call (so a
   * clock move's transitions have run), then {@link #drainTriggers}.
   */
  public void settle(Duration timeout) throws TimeoutException {
    Instant deadline = Instant.now().plus(timeout);
    awaitScheduleCheck(timeout);
    drainTriggers(Duration.between(Instant.now(), deadline).isNegative() ? Duration.ZERO
        : Duration.between(Instant.now(), deadline));
  }

  /** Returns once the schedule ticker has run a complete check that began after this call. */
  public void awaitScheduleCheck(Duration timeout) throws TimeoutException {
    long target = schedules.ticks() + 2;
    await(timeout, "a schedule check", () -> schedules.ticks() >= target && schedules.isIdle());
  }

  /** Polls {@code condition} every 50 ms of real time until it holds or {@code timeout} passes. */
  static void await(Duration timeout, String what, BooleanSupplier condition) throws TimeoutException {
    Instant deadline = Instant.now().plus(timeout);
    while (!condition.getAsBoolean()) {
      if (Instant.now().isAfter(deadline)) {
        throw new TimeoutException("Timed out after " + timeout + " waiting for " + what);
      }
      try {
        Thread.sleep(50);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new TimeoutException("Interrupted while waiting for " + what);
      }
    }
  }

  @Override
  public void close() {
    pollers.forEach(SqsPoller::requestStop); // all long polls end together, not one after another
    streamPollers.forEach(StreamPoller::requestStop);
    List<AutoCloseable> creationOrder = new ArrayList<>();
    creationOrder.add(emulator);
    creationOrder.add(clients);
    creationOrder.add(http);
    creationOrder.add(schedules);
    creationOrder.addAll(pollers);
    creationOrder.addAll(streamPollers);
    closeAll(creationOrder);
  }

  /** Closes in reverse creation order, so nothing outlives what it uses. */
  private static void closeAll(List<? extends AutoCloseable> resources) {
    for (AutoCloseable r : resources.reversed()) {
      try {
        r.close();
      } catch (Exception e) {
        log().warning(() -> "Closing " + r + " failed: " + e);
      }
    }
  }

  private static String blankToNull(String s) {
    return s == null || s.isBlank() ? null : s;
  }

  private static String firstNonBlank(String... values) {
    for (String v : values) {
      if (blankToNull(v) != null) {
        return v;
      }
    }
    return null;
  }
}
