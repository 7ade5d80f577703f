package dev.goalpost.bench;

import static dev.goalpost.platform.Table.s;

import com.amazonaws.services.lambda.runtime.events.SQSBatchResponse;
import com.fasterxml.jackson.databind.JsonNode;
import dev.goalpost.local.LocalClock;
import dev.goalpost.local.LocalCloud;
import dev.goalpost.local.carrier.LocalOutbox;
import dev.goalpost.local.faults.FaultPlan;
import dev.goalpost.local.functions.HostedFunction;
import dev.goalpost.local.triggers.SqsPoller;
import dev.goalpost.platform.Json;
import dev.goalpost.platform.Table;
import dev.goalpost.conversations.ThreadRepository;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.QueryRequest;
import software.amazon.awssdk.services.sqs.model.DeleteMessageBatchRequestEntry;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.MessageSystemAttributeName;

/**
 * The hot-goal benchmark (issue 14 point 4): many agents texting one ANYONE goal at once, then many contacts
 * replying at once, with DynamoDB's TransactionConflict played by the local cloud's fault mode.
 *
 * <pre>make hot-goal</pre>  (writes {@code infra/local/target/bench/hot-goal.md}; sizes with
 * {@code HOT_GOAL_ARGS="-Dhotgoal.agents=50,200 -Dhotgoal.sends=5 -Dhotgoal.replies=200"})
 *
 * <h2>What runs</h2>
 * <ul>
 *   <li>A local cloud as {@code make run} starts it (IAM enforced from the template, DynamoDB's request limits),
 *       with DynamoDB's own 1 MB pages, its queue triggers off (the bench plays Lambda's SQS event source, so
 *       every function call is measured) and the fault mode {@code --faults rate=0,kinds=conflict,window=Wms,
 *       }: no random fault, only the conflict window — a transaction touching an item that
 *       another invocation wrote less than {@code W} ms (emulator time, read {@code emulator/goalpost_faults.py})
 *       before is cancelled with {@code TransactionConflict}, as DynamoDB cancels transactions that overlap
 *       on an item. Failed queue messages come back after the template's visibility timeouts (a shorter cap,
 *       {@code redelivery=}, redelivers messages still being handled when the machine is slow).</li>
 *   <li>One group, {@code 100 × max(agents)} contacts (written directly in ContactRepository's shape, as
 *       {@link WorkflowsBench} does), one ANYONE goal launched and activated for real (the transitions tick and
 *       the activation worker), agents as group members with real tokens through the API's route table and JWT
 *       authorizer ({@link InProcessApi}: the handler runs on the caller's thread, so the meter attributes each
 *       request exactly; no socket).</li>
 *   <li><b>Scenario "N agents send"</b>, for each N of {@code hotgoal.agents}: N agent threads start together
 *       (a barrier), each claims an initial batch, sends {@code hotgoal.sends} of its contacts one after the
 *       other as fast as answers come (each with an Idempotency-Key; a 503 is retried at once with the same key,
 *       at most {@code hotgoal.tries} times in all), then releases the batch. Meanwhile {@code hotgoal.senders}
 *       threads play the sender function's event source on the outbound queue.</li>
 *   <li><b>Scenario "replies"</b>: {@code hotgoal.replies} of the contacts texted reply at the same moment
 *       through the signed Twilio webhook; {@code hotgoal.processors} threads drain the inbound queue into the
 *       inbound processor until every reply is stored (or 6 minutes: a message handed back returns after the
 *       queue's visibility timeout).</li>
 *   <li><b>Scenario "lead actions"</b> ({@code hotgoal.leads}, default = the replies): the texting agents record
 *       Yes/No on that many threads at once.</li>
 * </ul>
 * Per scenario and operation it prints the calls, DynamoDB requests per call, RCU/WCU per call from item sizes
 * ({@link DynamoMeter}, as {@link ReadinessBench}; {@code hotgoal.sizeEvery=K} sizes every K-th call only, to save
 * time), the TransactionConflicts DynamoDB answered, the function's own retries of them, the SDK's retries, the
 * 503s and other non-2xx answers, p50/p95 wall time and calls per second; then a check (texts stored = texts sent,
 * each contact once, replies stored once each) and the per-item write rates ({@link HotGoalStats#rates}).
 * Times and rates are moto's on this machine, DynamoDB would be faster: what carries over are the counts, the
 * conflicts and which items take the writes.
 */
public final class HotGoalBench {
  static final Instant LAUNCH = Instant.parse("2026-12-01T16:00:00Z");
  static final Instant ACTIVE = Instant.parse("2026-12-02T16:00:00Z");

  record Options(List<Integer> agents, int sends, int tries, int replies, int leads, int senders, int processors,
                 int sizeEvery, int windowMs, long seed, Path out) {
    static Options from(String[] args) {
      int replies = Integer.getInteger("hotgoal.replies", 200);
      return new Options(Arrays.stream(System.getProperty("hotgoal.agents", "50,200").split(","))
          .map(String::trim).map(Integer::valueOf).toList(),
          Integer.getInteger("hotgoal.sends", 5), Integer.getInteger("hotgoal.tries", 3), replies,
          Integer.getInteger("hotgoal.leads", replies), Integer.getInteger("hotgoal.senders", 4),
          Integer.getInteger("hotgoal.processors", 4), Integer.getInteger("hotgoal.sizeEvery", 10),
          Integer.getInteger("hotgoal.window", FaultPlan.DEFAULT_WINDOW_MS), Long.getLong("hotgoal.seed", 42),
          Path.of(args.length > 0 ? args[0] : "target/bench/hot-goal.md"));
    }

    FaultPlan faults() {
      return FaultPlan.parse("rate=0,seed=" + seed + ",window=" + windowMs + "ms,kinds=conflict");
    }

    int contacts() {
      return 100 * agents.stream().mapToInt(Integer::intValue).max().orElse(1);
    }
  }

  /** Held, so that its level stays set (the JDK keeps loggers weakly). */
  private static final java.util.logging.Logger WEBHOOK_LOG =
      java.util.logging.Logger.getLogger("dev.goalpost.messaging.inbound.WebhooksHandler");

  private final LocalCloud cloud;
  private final DynamoDbClient dynamo;
  private final Options options;
  private final InProcessApi api;
  private final Table table;
  private final List<HotGoalStats.Row> rows = new ArrayList<>();
  private final List<String> checks = new ArrayList<>();
  private final List<String> notes = new ArrayList<>();
  private final StringBuilder rateTables = new StringBuilder();
  private final ConcurrentLinkedQueue<HotGoalStats.Write> writes = new ConcurrentLinkedQueue<>();
  private final Map<String, AtomicInteger> sizedCalls = new ConcurrentHashMap<>();
  /** Why function calls played by a {@link Drainer} failed (distinct texts, for the notes). */
  private final ConcurrentLinkedQueue<String> failures = new ConcurrentLinkedQueue<>();

  private String org;
  private String group;
  private String number;
  private String goalId;
  private String script;
  private String warmThread;
  private final Map<String, String> tokens = new LinkedHashMap<>();
  /** Every thread texted with a 201, and who texted it. */
  private final Map<String, String> textedBy = new ConcurrentHashMap<>();

  HotGoalBench(LocalCloud cloud, DynamoDbClient dynamo, Options options) {
    this.cloud = cloud;
    this.dynamo = dynamo;
    this.options = options;
    this.api = new InProcessApi(cloud);
    this.table = new Table(cloud.resources().ref("GoalpostTable").orElseThrow());
  }

  public static void main(String[] args) {
    Options options = Options.from(args);
    BenchRun.main("hot", options.out(), o -> o.withQueueTriggers(false).withFaults(options.faults()),
        (cloud, dynamo) -> {
          HotGoalBench bench = new HotGoalBench(cloud, dynamo, options);
          long t0 = System.nanoTime();
          bench.run();
          return bench.report((System.nanoTime() - t0) / 1e9);
        });
  }

  void run() throws Exception {
    long t0 = System.nanoTime();
    setUp();
    log("set up %,d contacts, %d agents, goal %s in %.0f s", options.contacts(), tokens.size(), goalId, secs(t0));
    DynamoMeter.writeLog((tbl, pk, sk, nanos) -> writes.add(new HotGoalStats.Write(pk, sk, nanos)));
    DynamoMeter.conflictClock(true);
    try {
      for (int n : options.agents()) {
        sendScenario(n);
      }
      replyScenario();
      leadScenario();
    } finally {
      DynamoMeter.writeLog(null);
      DynamoMeter.conflictClock(false);
    }
  }

  // ------------------------------------------------------------------ set-up (not measured)

  private void setUp() throws Exception {
    LocalClock clock = LocalClock.shared();
    clock.set(LAUNCH, true);
    org = "hot-" + UUID.randomUUID().toString().substring(0, 6);
    String admin = api.token("admin-" + org, org, List.of("admin"), List.of());
    number = "+17373" + String.format("%06d", ThreadLocalRandom.current().nextInt(1_000_000));
    var g = api.post("/groups", admin, Map.of("name", "Hot goal", "timeZone", "America/Chicago",
        "phoneNumbers", List.of(number)));
    require(g.status() == 201, "group " + g.text());
    group = g.json().path("id").asText();
    int agents = options.agents().stream().mapToInt(Integer::intValue).max().orElse(1);
    for (int i = 0; i < agents; i++) {
      String a = String.format("agent%03d", i);
      require(api.put("/groups/" + group + "/members/" + a, admin, Map.of("role", "agent")).status() == 200, "member");
      tokens.put(a, api.token(a, org, List.of("agent"), List.of(group)));
    }
    WorkflowsBench fixtures = new WorkflowsBench(cloud, WorkflowsBench.Options.from(new String[0]), dynamo);
    String firstContact = fixtures.loadContacts(org, group, options.contacts(), new HashMap<>()).getFirst();
    warmThread = dev.goalpost.conversations.ThreadIds.of(group, firstContact.substring("CONTACT#".length()));
    var created = api.post("/groups/" + group + "/goals", admin, BenchRun.rallyGoal("Hot rally"));
    require(created.status() == 201, "goal " + created.text());
    goalId = created.json().path("id").asText();
    script = created.json().path("scripts").path("initial").get(0).path("id").asText();
    require(api.post("/goals/" + goalId + "/launch", admin, null).status() == 200, "launch");
    clock.set(ACTIVE, true);
    function("TransitionsFunction").invoke(Map.of("source", "aws.scheduler", "time", ACTIVE.toString()));
    Drainer activation = new Drainer("ActivationQueue", "ActivationWorkerFunction", "activation", 1, null);
    activation.runUntilEmpty();
  }

  // ------------------------------------------------------------------ scenarios

  private void sendScenario(int agentCount) throws Exception {
    String scenario = agentCount + " agents send";
    Map<String, ConcurrentLinkedQueue<HotGoalStats.Call>> calls = calls("claim", "send (API)", "release",
        "sender (per message)");
    List<String> agents = new ArrayList<>(tokens.keySet()).subList(0, agentCount);
    ConcurrentLinkedQueue<String> problems = new ConcurrentLinkedQueue<>();
    AtomicInteger gaveUp = new AtomicInteger();
    AtomicInteger nothingToClaim = new AtomicInteger();
    Set<String> textedHere = ConcurrentHashMap.newKeySet();
    Drainer sender = new Drainer("OutboundQueue", "SenderFunction", "sender (per message)", 1,
        calls.get("sender (per message)"));
    AtomicBoolean agentsDone = new AtomicBoolean();
    java.util.concurrent.atomic.AtomicLong began = new java.util.concurrent.atomic.AtomicLong(System.nanoTime());
    // The last trip (after the warm-up) starts the clock.
    CyclicBarrier start = new CyclicBarrier(agentCount, () -> began.set(System.nanoTime()));
    long written = writes.size();
    try (ExecutorService drainers = Executors.newFixedThreadPool(options.senders())) {
      List<Future<?>> drained = new ArrayList<>();
      for (int i = 0; i < options.senders(); i++) {
        drained.add(drainers.submit(() -> sender.runWhile(() -> !agentsDone.get())));
      }
      runAll(agents, agent -> {
        String token = tokens.get(agent);
        start.await(10, TimeUnit.MINUTES);
        warmUp(token);
        start.await(10, TimeUnit.MINUTES);
        var claim = call(calls, "claim", () -> api.post("/goals/" + goalId + "/workflows/initial/claim", token, null));
        if (claim.status() == 409 && claim.type().equals("nothing-to-claim")) {
          nothingToClaim.incrementAndGet(); // every candidate it tried was taken meanwhile: an answer, not an error
          return;
        }
        if (claim.status() != 200) {
          problems.add("claim " + claim.status() + " " + claim.type());
          return;
        }
        String batchId = claim.json().path("batchId").asText();
        JsonNode contacts = claim.json().path("contacts");
        for (int i = 0; i < options.sends() && i < contacts.size(); i++) {
          String thread = contacts.get(i).path("threadId").asText();
          String key = "hot-" + agent + "-" + thread;
          InProcessApi.Reply sent = null;
          for (int attempt = 1; attempt <= options.tries(); attempt++) {
            sent = call(calls, "send (API)", () -> api.call("POST", "/threads/" + thread + "/messages", token,
                Map.of("batchId", batchId, "scriptId", script), Map.of("idempotency-key", key)));
            if (sent.status() != 503) {
              break;
            }
          }
          if (sent.status() == 201) {
            textedHere.add(thread);
            if (textedBy.putIfAbsent(thread, agent) != null) {
              problems.add("thread " + thread + " answered 201 twice (" + textedBy.get(thread) + ", " + agent + ")");
            }
          } else if (sent.status() == 503) {
            gaveUp.incrementAndGet();
          } else {
            problems.add("send " + sent.status() + " " + sent.type());
          }
        }
        var release = call(calls, "release", () -> api.post("/batches/" + batchId + "/release", token, null));
        if (release.status() != 204) {
          problems.add("release " + release.status() + " " + release.type());
        }
      });
      long t0 = began.get();
      double agentSeconds = secs(t0);
      agentsDone.set(true);
      for (Future<?> f : drained) {
        f.get();
      }
      sender.runUntilEmpty();
      double seconds = secs(t0);
      addRows(scenario, calls, Map.of("claim", agentSeconds, "send (API)", agentSeconds, "release", agentSeconds),
          seconds);
      log("%s: %d texted, %d gave up after %d tries, in %.0f s (sender done at %.0f s)", scenario, textedHere.size(),
          gaveUp.get(), options.tries(), agentSeconds, seconds);
      checkTexts(scenario, textedHere, gaveUp.get(), nothingToClaim.get(), problems);
      rates(scenario, written, t0, textedHere.size(), "texts sent");
    }
  }

  private void replyScenario() throws Exception {
    String scenario = "replies";
    List<String> threads = new ArrayList<>(textedBy.keySet());
    threads.sort(null);
    threads = threads.subList(0, Math.min(options.replies(), threads.size()));
    Map<String, ConcurrentLinkedQueue<HotGoalStats.Call>> calls = calls("webhook: reply",
        "inbound processor: reply (per message)");
    ConcurrentLinkedQueue<String> problems = new ConcurrentLinkedQueue<>();
    Map<String, String> phoneOf = phones(threads);
    java.util.concurrent.atomic.AtomicLong began = new java.util.concurrent.atomic.AtomicLong(System.nanoTime());
    CyclicBarrier start = new CyclicBarrier(threads.size(), () -> began.set(System.nanoTime()));
    long written = writes.size();
    WEBHOOK_LOG.setLevel(java.util.logging.Level.SEVERE); // the warm-up's refusals are expected
    runAll(threads, thread -> {
      start.await(10, TimeUnit.MINUTES);
      // Warm-up (not measured): a post with a wrong signature is refused before any work, on a new instance.
      api.raw("POST", "/webhooks/twilio/messages", null, Map.of("host", List.of("readiness.example.com"),
          "content-type", List.of("application/x-www-form-urlencoded"), "x-twilio-signature", List.of("wrong")),
          "Body=warm".getBytes(java.nio.charset.StandardCharsets.UTF_8));
      start.await(10, TimeUnit.MINUTES);
      var res = call(calls, "webhook: reply", () -> api.twilio("/webhooks/twilio/messages",
          InProcessApi.twilioReply(phoneOf.get(thread), number, "Yes, I'll be there (" + thread.hashCode() + ")")));
      if (res.status() != 200) {
        problems.add("webhook " + res.status() + " " + res.text());
      }
    });
    WEBHOOK_LOG.setLevel(null);
    long t0 = began.get();
    double webhookSeconds = secs(t0);
    String processed = "inbound processor: reply (per message)";
    Drainer processor = new Drainer("InboundQueue", "InboundProcessorFunction", processed, 1, calls.get(processed));
    long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(6);
    List<String> waiting = threads;
    try (ExecutorService drainers = Executors.newFixedThreadPool(options.processors())) {
      AtomicBoolean stored = new AtomicBoolean();
      List<Future<?>> drained = new ArrayList<>();
      for (int i = 0; i < options.processors(); i++) {
        drained.add(drainers.submit(() -> processor.runWhile(() -> !stored.get() && System.nanoTime() < deadline)));
      }
      while (System.nanoTime() < deadline) {
        if (countMessages(waiting, "INBOUND").values().stream().allMatch(c -> c >= 1)) {
          break;
        }
        TimeUnit.SECONDS.sleep(2); // the bench waits for the pollers it runs; no test waits on this
      }
      stored.set(true);
      for (Future<?> f : drained) {
        f.get();
      }
    }
    double seconds = secs(t0);
    addRows(scenario, calls, Map.of("webhook: reply", webhookSeconds), seconds);
    Map<String, Integer> inbound = countMessages(threads, "INBOUND");
    long once = inbound.values().stream().filter(c -> c == 1).count();
    long twice = inbound.values().stream().filter(c -> c > 1).count();
    long none = inbound.values().stream().filter(c -> c == 0).count();
    checks.add(String.format(Locale.ROOT, "%s: %d replies posted at once; stored once %d, twice or more %d, "
        + "not stored %d%s — %s", scenario, threads.size(), once, twice, none,
        problems.isEmpty() ? "" : "; unexpected: " + problems.stream().distinct().limit(5).toList(),
        twice == 0 && none == 0 && problems.isEmpty() ? "OK" : "FAILED"));
    rates(scenario, written, t0, once, "replies stored");
  }

  private void leadScenario() throws Exception {
    if (options.leads() <= 0) {
      return;
    }
    String scenario = "lead actions";
    List<String> threads = new ArrayList<>(textedBy.keySet());
    threads.sort(null);
    threads = threads.subList(0, Math.min(options.leads(), threads.size()));
    Map<String, ConcurrentLinkedQueue<HotGoalStats.Call>> calls = calls("lead action");
    ConcurrentLinkedQueue<String> problems = new ConcurrentLinkedQueue<>();
    CyclicBarrier start = new CyclicBarrier(threads.size());
    long written = writes.size();
    long t0 = System.nanoTime();
    AtomicInteger ok = new AtomicInteger();
    AtomicInteger gaveUp = new AtomicInteger();
    runAll(threads, thread -> {
      String token = tokens.get(textedBy.get(thread));
      String action = Math.floorMod(thread.hashCode(), 2) == 0 ? "YES" : "NO";
      start.await(10, TimeUnit.MINUTES);
      InProcessApi.Reply res = null;
      for (int attempt = 1; attempt <= options.tries() && (res == null || res.status() == 503); attempt++) {
        res = call(calls, "lead action", () -> api.post("/threads/" + thread + "/lead-action", token,
            Map.of("goalId", goalId, "action", action)));
      }
      if (res.status() == 200) {
        ok.incrementAndGet();
      } else if (res.status() == 503) {
        gaveUp.incrementAndGet();
      } else {
        problems.add("lead " + res.status() + " " + res.type());
      }
    });
    double seconds = secs(t0);
    addRows(scenario, calls, Map.of(), seconds);
    checks.add(String.format(Locale.ROOT, "%s: %d at once, %d recorded, %d gave up after %d tries (503)%s — %s",
        scenario, threads.size(), ok.get(), gaveUp.get(), options.tries(),
        problems.isEmpty() ? "" : "; unexpected: " + problems.stream().distinct().limit(5).toList(),
        problems.isEmpty() ? "OK" : "FAILED"));
    rates(scenario, written, t0, ok.get(), "lead actions");
  }

  /**
   * Gives each concurrent handler instance its cold start (and group cache) before the measured calls, with
   * requests that write nothing: a reminders claim (closed: 4xx) and a send with an unknown script (422).
   */
  private void warmUp(String token) {
    api.post("/goals/" + goalId + "/workflows/reminders/claim", token, null);
    api.post("/threads/" + warmThread + "/messages", token, Map.of("goalId", goalId, "scriptId", "scr_none"));
  }

  // ------------------------------------------------------------------ checks

  /** Each contact texted with a 201 has exactly one outbound message stored and one text at the carrier. */
  private void checkTexts(String scenario, Set<String> texted, int gaveUp, int nothingToClaim,
                          Collection<String> problems) {
    Map<String, Integer> stored = countMessages(texted, "OUTBOUND");
    Map<String, String> phoneOf = phones(texted);
    Map<String, Long> carrier = new HashMap<>();
    for (LocalOutbox.Sent s : LocalOutbox.shared().all()) {
      if (s.from().equals(number)) {
        carrier.merge(s.to(), 1L, Long::sum);
      }
    }
    long storedOnce = stored.values().stream().filter(c -> c == 1).count();
    long storedTwice = stored.values().stream().filter(c -> c > 1).count();
    long notStored = stored.values().stream().filter(c -> c == 0).count();
    long sentOnce = texted.stream().filter(t -> carrier.getOrDefault(phoneOf.get(t), 0L) == 1).count();
    long sentTwice = texted.stream().filter(t -> carrier.getOrDefault(phoneOf.get(t), 0L) > 1).count();
    long notSent = texted.stream().filter(t -> carrier.getOrDefault(phoneOf.get(t), 0L) == 0).count();
    boolean ok = storedTwice == 0 && notStored == 0 && sentTwice == 0 && notSent == 0 && problems.isEmpty();
    checks.add(String.format(Locale.ROOT, "%s: %d contacts texted (201); stored once %d, twice or more %d, not "
        + "stored %d; at the carrier once %d, twice or more %d, never %d; %d sends gave up after %d tries (503); "
        + "%d claims found nothing left to claim (409, batches taken meanwhile)%s — %s",
        scenario, texted.size(), storedOnce, storedTwice, notStored, sentOnce, sentTwice, notSent, gaveUp,
        options.tries(), nothingToClaim,
        problems.isEmpty() ? "" : "; unexpected: " + problems.stream().distinct().limit(5).toList(),
        ok ? "OK" : "FAILED"));
  }

  /** Messages of {@code direction} stored on each thread (a Query of the thread's partition, not measured). */
  private Map<String, Integer> countMessages(Collection<String> threads, String direction) {
    Map<String, Integer> out = new HashMap<>();
    for (String thread : threads) {
      Map<String, AttributeValue> start = null;
      int count = 0;
      do {
        var res = dynamo.query(QueryRequest.builder().tableName(table.name())
            .keyConditionExpression("PK = :pk AND begins_with(SK, :msg)").consistentRead(true)
            .expressionAttributeValues(Map.of(":pk", s(ThreadRepository.threadPartition(org, thread)),
                ":msg", s("MSG#"))).exclusiveStartKey(start).build());
        count += (int) res.items().stream().filter(i -> direction.equals(Table.str(i, "direction"))).count();
        start = res.hasLastEvaluatedKey() && !res.lastEvaluatedKey().isEmpty() ? res.lastEvaluatedKey() : null;
      } while (start != null);
      out.put(thread, count);
    }
    return out;
  }

  /** The phone of each thread's contact (read from the contact item, not measured). */
  private Map<String, String> phones(Collection<String> threads) {
    Map<String, String> out = new HashMap<>();
    for (String thread : threads) {
      String contactId = dev.goalpost.conversations.ThreadIds.parse(thread).contactId();
      var item = dynamo.getItem(r -> r.tableName(table.name())
          .key(Table.key(Table.groupPartition(org, group), "CONTACT#" + contactId))).item();
      out.put(thread, Table.str(item, "phone"));
    }
    return out;
  }

  // ------------------------------------------------------------------ measuring

  private static Map<String, ConcurrentLinkedQueue<HotGoalStats.Call>> calls(String... operations) {
    Map<String, ConcurrentLinkedQueue<HotGoalStats.Call>> out = new LinkedHashMap<>();
    for (String op : operations) {
      out.put(op, new ConcurrentLinkedQueue<>());
    }
    return out;
  }

  /** One HTTP call, measured (sized if it is the operation's k-th call with k a multiple of sizeEvery). */
  private InProcessApi.Reply call(Map<String, ConcurrentLinkedQueue<HotGoalStats.Call>> calls, String operation,
                                  Supplier<InProcessApi.Reply> work) {
    long t0 = System.nanoTime();
    var m = sized(operation) ? DynamoMeter.measure(operation, work) : DynamoMeter.measureUnsized(operation, work);
    double ms = (System.nanoTime() - t0) / 1e6;
    InProcessApi.Reply r = m.value();
    boolean busy = r.status() == 503;
    calls.get(operation).add(new HotGoalStats.Call(m.sample(), r.status(), busy, ms));
    return r;
  }

  private boolean sized(String operation) {
    int k = sizedCalls.computeIfAbsent(operation, o -> new AtomicInteger()).getAndIncrement();
    return k % Math.max(1, options.sizeEvery()) == 0;
  }

  private void addRows(String scenario, Map<String, ConcurrentLinkedQueue<HotGoalStats.Call>> calls,
                       Map<String, Double> secondsOf, double seconds) {
    calls.forEach((op, list) -> {
      if (!list.isEmpty()) {
        rows.add(HotGoalStats.Row.of(scenario, op, list, secondsOf.getOrDefault(op, seconds)));
      }
    });
  }

  /** The write rates of the writes logged since {@code from} (an index into the log), over {@code texts}. */
  private void rates(String scenario, long from, long originNanos, long texts, String per) {
    List<HotGoalStats.Write> mine = writes.stream().skip(from).toList();
    rateTables.append("\n#### ").append(scenario).append(String.format(Locale.ROOT,
        " (%,d writes; writes per text: per %s, %,d)%n%n", mine.size(), per, texts));
    rateTables.append(HotGoalStats.Rate.HEADER);
    HotGoalStats.rates(mine, originNanos, texts).forEach(r -> rateTables.append(r.markdown(sizeOf(r.last()))));
    rateTables.append("\nBy partition key (every item type of a partition together):\n\n")
        .append(HotGoalStats.PARTITION_HEADER);
    HotGoalStats.partitionRates(mine, originNanos, texts)
        .forEach(r -> rateTables.append(HotGoalStats.partitionMarkdown(r)));
  }

  /** The size of the item as stored now (0 when it is gone), as DynamoDB counts it ({@link ItemSize}). */
  private int sizeOf(HotGoalStats.Write w) {
    var res = dynamo.getItem(r -> r.tableName(table.name()).key(Table.key(w.pk(), w.sk())));
    return res.hasItem() ? ItemSize.of(res.item()) : 0;
  }

  private interface Work {
    void run(String item) throws Exception;
  }

  /** Runs {@code work} for every item on a thread of its own, all at once; rethrows the first failure. */
  private static void runAll(List<String> items, Work work) throws Exception {
    try (ExecutorService pool = Executors.newFixedThreadPool(items.size())) {
      List<Future<?>> futures = new ArrayList<>();
      for (String item : items) {
        futures.add(pool.submit(() -> {
          work.run(item);
          return null;
        }));
      }
      for (Future<?> f : futures) {
        f.get();
      }
    }
  }

  private HostedFunction function(String id) {
    return cloud.functions().function(id).orElseThrow(() -> new IllegalStateException(id + " not loaded"));
  }

  /**
   * Lambda's SQS event source for one queue, played on the calling thread: receive up to {@code batch}
   * messages, invoke the function with them (measured, when {@code calls} is given), delete what it did not
   * report as failed (all when it returns normally, none when it throws). Several threads may share one.
   */
  private final class Drainer {
    private final String url;
    private final String arn;
    private final HostedFunction fn;
    private final String operation;
    private final int batch;
    private final ConcurrentLinkedQueue<HotGoalStats.Call> calls;

    Drainer(String queue, String functionId, String operation, int batch,
            ConcurrentLinkedQueue<HotGoalStats.Call> calls) {
      this.url = cloud.resources().ref(queue).orElseThrow();
      this.arn = cloud.resources().attribute(queue, "Arn").orElseThrow();
      this.fn = function(functionId);
      this.operation = operation;
      this.batch = batch;
      this.calls = calls;
    }

    /** Drains while {@code go} holds, then returns. */
    void runWhile(Supplier<Boolean> go) {
      while (go.get()) {
        once();
      }
    }

    /** Drains until a receive finds nothing. */
    void runUntilEmpty() {
      while (once()) {
        // next
      }
    }

    /** One receive and invocation; false when the receive found nothing (after waiting up to a second). */
    boolean once() {
      var sqs = cloud.clients().sqs();
      List<Message> got = sqs.receiveMessage(r -> r.queueUrl(url).maxNumberOfMessages(batch).waitTimeSeconds(1)
          .messageSystemAttributeNames(MessageSystemAttributeName.ALL).messageAttributeNames("All")).messages();
      if (got.isEmpty()) {
        return false;
      }
      var event = SqsPoller.event(got, arn, cloud.stack().region());
      Set<String> failed = new HashSet<>();
      long t0 = System.nanoTime();
      Supplier<Object> invoke = () -> {
        try {
          Object result = fn.invoke(event);
          SQSBatchResponse response = result == null ? null : Json.MAPPER.convertValue(result, SQSBatchResponse.class);
          if (response != null && response.getBatchItemFailures() != null) {
            response.getBatchItemFailures().forEach(f -> failed.add(f.getItemIdentifier()));
          }
        } catch (RuntimeException e) {
          got.forEach(m -> failed.add(m.messageId()));
          failures.add(fn.spec().logicalId() + " threw " + e.getClass().getSimpleName() + ": " + e.getMessage());
        }
        if (!failed.isEmpty() && failures.size() < 1000) {
          failures.add(fn.spec().logicalId() + " handed " + failed.size() + " message(s) back to the queue");
        }
        return null;
      };
      DynamoMeter.Sample sample = calls == null ? null : (sized(operation)
          ? DynamoMeter.measure(operation, invoke) : DynamoMeter.measureUnsized(operation, invoke)).sample();
      if (calls == null) {
        invoke.get();
      } else {
        calls.add(new HotGoalStats.Call(sample, failed.isEmpty() ? 200 : 500, !failed.isEmpty(),
            (System.nanoTime() - t0) / 1e6));
      }
      var done = got.stream().filter(m -> !failed.contains(m.messageId())).map(m -> DeleteMessageBatchRequestEntry
          .builder().id(m.messageId()).receiptHandle(m.receiptHandle()).build()).toList();
      if (!done.isEmpty()) {
        sqs.deleteMessageBatch(r -> r.queueUrl(url).entries(done));
      }
      return true;
    }
  }

  // ------------------------------------------------------------------ report

  String report(double seconds) {
    StringBuilder md = new StringBuilder();
    md.append("# Hot goal: one ANYONE goal, many agents and contacts at once\n\n");
    md.append(String.format(Locale.ROOT, "Generated by `dev.goalpost.bench.HotGoalBench` (`make hot-goal`"
            + " HOT_GOAL_ARGS=\"-Dhotgoal.agents=%s -Dhotgoal.sends=%d -Dhotgoal.replies=%d -Dhotgoal.leads=%d"
            + " -Dhotgoal.sizeEvery=%d -Dhotgoal.window=%d\") in %.0f s against moto, %,d contacts; fault mode "
            + "`--faults %s` (the TransactionConflict window only), IAM enforced, DynamoDB's own page sizes. "
            + "Per call: DynamoDB requests (mean, p95 in brackets); RCU/WCU mean over the sized calls, from item "
            + "sizes as in `make readiness`; TransactionConflicts: transactions DynamoDB (the emulator) cancelled "
            + "with TransactionConflict; function retries: those the function tried again (the others ended in a "
            + "503 / a failed message); SDK retries: extra HTTP attempts of the SDK; 503 and other non-2xx: answers "
            + "(a function's call: 500 = the message was handed back to the queue). ms: wall time per call against "
            + "moto on this 2-core machine; ops/s over the scenario's sending time.%n%n",
        options.agents().stream().map(String::valueOf).collect(java.util.stream.Collectors.joining(",")),
        options.sends(), options.replies(), options.leads(), options.sizeEvery(), options.windowMs(), seconds,
        options.contacts(), options.faults().spec()));
    md.append(HotGoalStats.Row.HEADER);
    rows.forEach(r -> md.append(r.markdown()));
    md.append("\nChecks:\n\n");
    checks.forEach(c -> md.append("- ").append(c).append('\n'));
    md.append(String.format(Locale.ROOT, "- TransactionConflicts in the whole run (any request of this JVM): %,d%n",
        DynamoMeter.conflicts()));
    int most = options.agents().stream().mapToInt(Integer::intValue).max().orElse(0);
    long busy = rows.stream().filter(r -> r.scenario().equals(most + " agents send"))
        .mapToLong(HotGoalStats.Row::status503).sum();
    boolean correct = checks.stream().noneMatch(c -> c.endsWith("FAILED"));
    md.append(String.format(Locale.ROOT, "- Target of issue 14 (zero 503s, no text lost or doubled, at %d agents): "
        + "%,d 503s, checks %s — %s%n", most, busy, correct ? "OK" : "FAILED",
        busy == 0 && correct ? "met" : "missed"));
    md.append("\n### Writes per item type (inputs of the scale model)\n\n"
        + "For each scenario and item type: the committed writes (every write request of the run, the functions' "
        + "and any stream projection's), the distinct partition keys and items written, writes per text of the "
        + "scenario, the most writes one partition key (and one item) took within one second, and the size of one "
        + "such item as stored at the end (a write costs 1 WCU per KB of the larger image, 2 in a transaction). "
        + "Rates are moto's (tens of requests a second on this shared machine), not DynamoDB's: for the scale "
        + "model, multiply the model's texts per second by writes per text, and divide by the partition keys that "
        + "share them (one key for an item all agents share).\n");
    md.append(rateTables);
    if (DynamoMeter.sizeErrors() > 0) {
      notes.add(DynamoMeter.sizeErrors() + " item images could not be read for sizing.");
    }
    failures.stream().collect(java.util.stream.Collectors.groupingBy(f -> f, java.util.TreeMap::new,
        java.util.stream.Collectors.counting())).forEach((f, n) -> notes.add(n + "× " + f));
    if (!notes.isEmpty()) {
      md.append("\nNotes:\n");
      notes.forEach(n -> md.append("- ").append(n).append('\n'));
    }
    return md.toString();
  }

  private static double secs(long from) {
    return (System.nanoTime() - from) / 1e9;
  }

  private static void log(String format, Object... args) {
    System.out.printf("[hot-goal] " + format + "%n", args);
  }

  private static void require(boolean ok, String what) {
    if (!ok) {
      throw new IllegalStateException("Hot-goal bench: " + what);
    }
  }
}
