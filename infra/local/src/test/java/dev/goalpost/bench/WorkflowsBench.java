package dev.goalpost.bench;

import static dev.goalpost.platform.Table.key;
import static dev.goalpost.platform.Table.n;
import static dev.goalpost.platform.Table.s;

import dev.goalpost.contacts.ContactRepository;
import dev.goalpost.goals.Goal;
import dev.goalpost.goals.GoalRepository;
import dev.goalpost.local.LocalClock;
import dev.goalpost.local.LocalCloud;
import dev.goalpost.platform.Table;
import dev.goalpost.workflows.Activation;
import dev.goalpost.workflows.BatchRepository;
import dev.goalpost.conversations.ThreadIds;
import dev.goalpost.conversations.ThreadRepository;
import dev.goalpost.conversations.UnreadIndex;
import dev.goalpost.workflows.WorkflowKind;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Collectors;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.BatchWriteItemRequest;
import software.amazon.awssdk.services.dynamodb.model.DeleteRequest;
import software.amazon.awssdk.services.dynamodb.model.PutRequest;
import software.amazon.awssdk.services.dynamodb.model.WriteRequest;

/**
 * DynamoDB cost of the agent workflows: for each operation (claim initial, claim unread, send, lead action,
 * release) the requests it makes and the capacity units DynamoDB would bill, at goal sizes 1k / 10k / 100k
 * contacts and with 1 and 20 agents working at once; plus the cost of activation (cutting a goal into
 * batches) per 1,000 contacts.
 *
 * <pre>
 * cd infra/local && mvn -q test-compile dependency:build-classpath -Dmdep.outputFile=target/bench.cp -Dmdep.includeScope=test \
 *   && java -cp target/test-classes:target/classes:$(cat target/bench.cp) dev.goalpost.bench.WorkflowsBench [out.md]
 * </pre>
 * Options (system properties): {@code bench.sizes=1000,10000,100000}, {@code bench.agents=1,20},
 * {@code bench.rounds=5,2} (measured rounds for each agent count), {@code bench.sends=2} (sends per round),
 * {@code bench.keepBatches} and {@code bench.realPages} (off by default; see "How" below).
 *
 * <h2>How it measures</h2>
 * <ul>
 *   <li>It starts its own local cloud (moto + the functions of template.yaml) and calls the handlers
 *       in-process ({@link InProcessApi}: same routes, authorizer and events as the HTTP server) on the agent's
 *       own thread, inside a {@link DynamoMeter} sample; the global interceptor attributes every DynamoDB request
 *       of the handler to that sample, so counts are exact with 20 agents at once.</li>
 *   <li>Capacity units come from item sizes ({@link ItemSize}); write sizes from the item read just before and
 *       just after the request (the emulator is serialized, so nothing else changes it in between). Failed
 *       conditional writes and cancelled transactions are charged as DynamoDB charges them: as if written.</li>
 *   <li>Each round: all agents start together (a barrier) and claim an initial batch, send {@code bench.sends}
 *       texts from it, record a lead action on the first, release the batch, then claim unread threads (again
 *       together). A warm-up round (not measured) first gives each handler instance its group cache, so samples
 *       are of warm Lambdas. Medians and p95 are over every sample of the configuration.</li>
 *   <li>Contacts are written straight into the table in exactly the shape {@code ContactRepository.upsert}
 *       writes (loading 100k through the API takes too long on moto). Unread threads are also written
 *       directly (inbound messages do not exist yet): a thread item as {@code MessageService} writes it, plus
 *       {@code unread}, {@code lastInboundAt} and the GSI1 unread key of {@link UnreadIndex#sortKey}; their
 *       contact ids are synthetic (claiming unread threads never reads contacts).</li>
 *   <li>Activation runs for real ({@link Activation#advance}, one sample per page of 1,000 contacts), every
 *       page at every size. Two escape hatches remain for emulators that copy the whole table per transaction
 *       (moto without the local cloud's launcher, see {@code emulator/goalpost_moto.py}):
 *       {@code -Dbench.realPages=N} runs only the first N pages through Activation and writes the rest directly
 *       in the same shape, and {@code -Dbench.keepBatches=N} deletes the contact items outside the first N
 *       batches after activation (no measured operation reads them; the meter lists every Query/Scan target,
 *       shown in the report).</li>
 * </ul>
 */
public final class WorkflowsBench {
  static final Instant LAUNCH = Instant.parse("2026-12-01T16:00:00Z");
  static final Instant ACTIVE = Instant.parse("2026-12-02T16:00:00Z");

  private final LocalCloud cloud;
  private final InProcessApi api;
  private final DynamoDbClient dynamo;
  private final Table table;
  private final Options options;
  private final List<Row> rows = new ArrayList<>();
  private final List<String> notes = new ArrayList<>();

  record Options(List<Integer> sizes, List<Integer> agents, List<Integer> rounds, int sends, int keepBatches,
                 int realPages, Path out) {
    static Options from(String[] args) {
      return new Options(ints("bench.sizes", "1000,10000,100000"), ints("bench.agents", "1,20"),
          ints("bench.rounds", "5,2"), Integer.getInteger("bench.sends", 2),
          Integer.getInteger("bench.keepBatches", Integer.MAX_VALUE / 100),
          Integer.getInteger("bench.realPages", Integer.MAX_VALUE), Path.of(args.length > 0 ? args[0] : "target/bench/workflows.md"));
    }

    private static List<Integer> ints(String name, String dflt) {
      return Arrays.stream(System.getProperty(name, dflt).split(",")).map(String::trim).map(Integer::valueOf).toList();
    }

    int rounds(int agentCount) {
      int i = agents.indexOf(agentCount);
      return rounds.get(Math.min(i, rounds.size() - 1));
    }
  }

  /** One line of the result table. */
  record Row(String operation, int size, int agents, List<DynamoMeter.Sample> samples) {}

  WorkflowsBench(LocalCloud cloud, Options options, DynamoDbClient dynamo) {
    this.cloud = cloud;
    this.api = new InProcessApi(cloud);
    this.dynamo = dynamo;
    this.table = new Table(cloud.resources().ref("GoalpostTable").orElseThrow());
    this.options = options;
  }

  public static void main(String[] args) {
    Options options = Options.from(args);
    BenchRun.main("bench", options.out(), true, (cloud, dynamo) -> {
      WorkflowsBench bench = new WorkflowsBench(cloud, options, dynamo);
      bench.run();
      return bench.report(secs(bench.started));
    });
  }

  void run() throws Exception {
    for (int size : options.sizes()) {
      long t0 = System.nanoTime();
      Fixture f = setUp(size);
      log("%,d contacts: set up in %.0f s", size, secs(t0));
      if (size == options.sizes().getFirst() && options.agents().contains(20)) {
        herd(f, 20);
      }
      for (int agents : options.agents()) {
        long t1 = System.nanoTime();
        measure(f, agents, options.rounds(agents));
        log("%,d contacts, %d agents: measured in %.0f s", size, agents, secs(t1));
        writePartial();
      }
      cleanUp(f);
    }
  }

  // ------------------------------------------------------------------ fixture

  record Fixture(int size, String org, String group, String admin, String goal, String script, List<String> agents,
                 Map<String, String> tokens, String warmThread) {}

  private Fixture setUp(int size) throws Exception {
    LocalClock clock = LocalClock.shared();
    clock.set(LAUNCH, true);
    String org = "bench-" + size + "-" + UUID.randomUUID().toString().substring(0, 6);
    String admin = api.token("admin-" + org, org, List.of("admin"), List.of());
    var g = api.post("/groups", admin, Map.of("name", "Bench " + size, "timeZone", "America/Chicago",
        "phoneNumbers", List.of("+1512" + (2 + size % 7) + String.format("%06d", (int) (Math.random() * 1e6)))));
    require(g.status() == 201, "group: " + g.text());
    String group = g.json().path("id").asText();
    int maxAgents = options.agents().stream().mapToInt(Integer::intValue).max().orElse(1);
    List<String> agents = new ArrayList<>();
    Map<String, String> tokens = new LinkedHashMap<>();
    for (int i = 0; i < maxAgents; i++) {
      String a = String.format("agent%02d", i);
      require(api.put("/groups/" + group + "/members/" + a, admin, Map.of("role", "agent")).status() == 200, "member");
      agents.add(a);
      tokens.put(a, api.token(a, org, List.of("agent"), List.of(group)));
    }
    Map<String, String[]> names = new HashMap<>();
    List<String> sks = loadContacts(org, group, size, names);

    Map<String, Object> goal = BenchRun.rallyGoal("Bench rally");
    var created = api.post("/groups/" + group + "/goals", admin, goal);
    require(created.status() == 201, "goal: " + created.text());
    String goalId = created.json().path("id").asText();
    require(api.post("/goals/" + goalId + "/launch", admin, null).status() == 200, "launch");
    String script = api.get("/goals/" + goalId, admin).json().path("scripts").path("initial").get(0).path("id").asText();

    // Activation while the goal is still SCHEDULED, so the activation worker the transitions start at
    // workflowsAvailableAt finds it done (its few requests run on other threads and are not attributed).
    activate(size, org, goalId, sks, names);
    prune(org, group, goalId, size);
    clock.set(ACTIVE, true);
    int unread = 0;
    for (int a : options.agents()) {
      unread += (options.rounds(a) + 1) * a * 10;
    }
    writeUnreadThreads(org, group, goalId, unread + 50);
    String warmThread = ThreadIds.of(group, sks.getFirst().substring("CONTACT#".length()));
    return new Fixture(size, org, group, admin, goalId, script, agents, tokens, warmThread);
  }

  /** Contacts in exactly the shape ContactRepository.upsert gives a new contact (first and last name set). */
  List<String> loadContacts(String org, String group, int size, Map<String, String[]> names) {
    String pk = Table.groupPartition(org, group);
    String now = LAUNCH.minus(Duration.ofDays(3)).toString();
    List<Map<String, AttributeValue>> items = new ArrayList<>();
    List<String> sks = new ArrayList<>();
    for (int i = 0; i < size; i++) {
      String phone = "+1512" + String.format("%07d", 2_000_000 + i);
      String id = ContactRepository.contactId(org, group, phone);
      String first = FIRST[i % FIRST.length];
      String last = LAST[(i / FIRST.length) % LAST.length];
      Map<String, AttributeValue> item = new HashMap<>(key(pk, "CONTACT#" + id));
      item.put("type", s("CONTACT"));
      item.put("contactId", s(id));
      item.put("orgId", s(org));
      item.put("groupId", s(group));
      item.put("phone", s(phone));
      item.put("createdAt", s(now));
      item.put("updatedAt", s(now));
      item.put("optedOut", AttributeValue.fromBool(false));
      item.put("deactivated", AttributeValue.fromBool(false));
      item.put("firstName", s(first));
      item.put("firstNameLc", s(first.toLowerCase(Locale.ROOT)));
      item.put("lastName", s(last));
      item.put("lastNameLc", s(last.toLowerCase(Locale.ROOT)));
      items.add(item);
      sks.add("CONTACT#" + id);
      names.put(id, new String[] {first, last});
    }
    putAll(items);
    sks.sort(null);
    return sks;
  }

  private static final String[] FIRST = {"Ana", "Bo", "Carmen", "Deshawn", "Eun-ji", "Farah", "Guillermo", "Hana",
      "Isaiah", "Jolene", "Kwame", "Lucia", "Mateo", "Nadia", "Oscar", "Priya"};
  private static final String[] LAST = {"Diaz", "Nguyen", "Okafor", "Smith", "Hernandez", "Kowalski", "Johnson",
      "Martinez-Lopez", "Lee", "Brown", "Garcia", "Williams"};

  /**
   * Activation page by page through {@link Activation#advance}, each page a sample (with {@code realPages}
   * set, only that many pages; the rest written directly in Activation's own shape).
   */
  private void activate(int size, String org, String goalId, List<String> sks, Map<String, String[]> names) {
    GoalRepository goals = new GoalRepository(dynamo, table);
    Activation activation = new Activation(dynamo, table, new ContactRepository(dynamo, table), goals,
        new BatchRepository(dynamo, table));
    Goal goal = goals.get(org, goalId).orElseThrow();
    Activation.State state = activation.state(org, goalId, WorkflowKind.INITIAL);
    List<DynamoMeter.Sample> pages = new ArrayList<>();
    int limit = options.realPages();
    while (!state.done() && pages.size() < limit) {
      Activation.State seen = state;
      var m = DynamoMeter.measure("activation page", () -> activation.advance(goal, WorkflowKind.INITIAL, seen));
      state = m.value();
      if (state.contacts() > seen.contacts()) {
        pages.add(m.sample()); // the last, empty page only marks the end
      }
    }
    rows.add(new Row("activation (per page of 1,000 contacts)", size, 1, pages));
    if (!state.done()) {
      fastForward(org, goalId, state, sks, names);
      notes.add(String.format("%,d contacts: %d activation pages ran through Activation.advance; the other %d "
          + "were written directly in the same shape (moto copies the whole table per transaction).", size,
          pages.size(), (size + 999) / 1000 - pages.size()));
    }
  }

  /** The rest of the activation, item for item what Activation would write (batches + final state). */
  private void fastForward(String org, String goalId, Activation.State state, List<String> sks,
                           Map<String, String[]> names) {
    String after = state.after().orElseThrow();
    int from = sks.indexOf(after) + 1;
    List<Map<String, AttributeValue>> items = new ArrayList<>();
    int page = state.page();
    int batches = state.batches();
    String pk = dev.goalpost.goals.GoalRepository.goalPartition(org, goalId);
    List<String> rest = sks.subList(from, sks.size());
    for (int p = 0; p < rest.size(); p += 1000, page++) {
      List<String> pageSks = rest.subList(p, Math.min(rest.size(), p + 1000));
      int index = 0;
      for (int b = 0; b < pageSks.size(); b += 100) {
        String number = String.format("%05d-%03d", page, index++);
        List<AttributeValue> entries = new ArrayList<>();
        for (String sk : pageSks.subList(b, Math.min(pageSks.size(), b + 100))) {
          String id = sk.substring("CONTACT#".length());
          String[] nm = names.get(id);
          entries.add(AttributeValue.fromM(Map.of("c", s(id), "f", s(nm[0]), "l", s(nm[1]))));
        }
        Map<String, AttributeValue> item = new HashMap<>(key(pk, BatchRepository.batchSk(WorkflowKind.INITIAL, number)));
        item.put("goalId", s(goalId));
        item.put("workflow", s(WorkflowKind.INITIAL.code()));
        item.put("number", s(number));
        item.put("pool", s("ANY"));
        item.put("contacts", AttributeValue.fromL(entries));
        item.put("remaining", n(entries.size()));
        item.put("GSI1PK", s(pk + "#OPEN#" + WorkflowKind.INITIAL.code() + "#ANY"));
        item.put("GSI1SK", s(String.format("%013d", 0) + "#" + number));
        items.add(item);
        batches++;
      }
    }
    Map<String, AttributeValue> st = new HashMap<>(key(pk, "ACTIVATION#" + WorkflowKind.INITIAL.code()));
    st.put("done", AttributeValue.fromBool(true));
    st.put("page", n(page + 1));
    st.put("batches", n(batches));
    st.put("contacts", n(sks.size()));
    st.put("version", n(state.version() + (page - state.page()) + 1));
    items.add(st);
    putAll(items);
  }

  /** Deletes the contact items outside the first keepBatches batches (see the class comment). */
  private void prune(String org, String group, String goalId, int size) {
    int keep = options.keepBatches() * 100;
    if (size <= keep) {
      return;
    }
    String pk = Table.groupPartition(org, group);
    java.util.Set<String> kept = new java.util.HashSet<>();
    new BatchRepository(dynamo, table).claimableBatches(org, goalId, WorkflowKind.INITIAL, "ANY", ACTIVE, options.keepBatches())
        .forEach(b -> b.contacts().forEach(e -> kept.add(e.contactId())));
    List<Map<String, AttributeValue>> keys = new ArrayList<>();
    for (String sk : allContactSks(pk)) {
      if (!kept.contains(sk.substring("CONTACT#".length()))) {
        keys.add(key(pk, sk));
      }
    }
    deleteAll(keys);
    notes.add(String.format("%,d contacts: after activation, %,d contact items outside the first %d batches were "
        + "deleted from the emulator (no measured operation reads them).", size, keys.size(), options.keepBatches()));
  }

  private List<String> allContactSks(String pk) {
    List<String> out = new ArrayList<>();
    Map<String, AttributeValue> start = null;
    do {
      var req = software.amazon.awssdk.services.dynamodb.model.QueryRequest.builder().tableName(table.name())
          .keyConditionExpression("#pk = :pk AND begins_with(#sk, :c)")
          .expressionAttributeNames(Map.of("#pk", "PK", "#sk", "SK"))
          .expressionAttributeValues(Map.of(":pk", s(pk), ":c", s("CONTACT#")))
          .projectionExpression("SK");
      if (start != null) {
        req.exclusiveStartKey(start);
      }
      var res = dynamo.query(req.build());
      res.items().forEach(i -> out.add(i.get("SK").s()));
      start = res.hasLastEvaluatedKey() && !res.lastEvaluatedKey().isEmpty() ? res.lastEvaluatedKey() : null;
    } while (start != null);
    return out;
  }

  /** Threads with an unread reply, oldest reply first, as the inbound processor will leave them. */
  private List<String> writeUnreadThreads(String org, String group, String goalId, int count) {
    List<Map<String, AttributeValue>> items = new ArrayList<>();
    List<String> ids = new ArrayList<>();
    Instant base = ACTIVE.minus(Duration.ofHours(5));
    for (int i = 0; i < count; i++) {
      String contactId = "ct_" + String.format("unread%014d", i);
      String threadId = ThreadIds.of(group, contactId);
      Instant inbound = base.plusSeconds(i * 7L);
      Map<String, AttributeValue> item = new HashMap<>(key(ThreadRepository.threadPartition(org, threadId), "THREAD"));
      item.put("type", s("THREAD"));
      item.put("threadId", s(threadId));
      item.put("orgId", s(org));
      item.put("groupId", s(group));
      item.put("contactId", s(contactId));
      item.put("holder", s("agent-earlier"));
      item.put("holdUntilMs", n(inbound.minus(Duration.ofHours(2)).toEpochMilli()));
      item.put("unread", AttributeValue.fromBool(true));
      item.put("lastMessageAt", s(inbound.toString()));
      item.put("lastDirection", s("INBOUND"));
      item.put("lastInboundAt", s(inbound.toString()));
      item.put("agents", AttributeValue.fromSs(List.of("agent-earlier")));
      item.put("goalId", s(goalId));
      item.put("pool", s("ANY"));
      item.put("GSI1PK", s(Table.orgPartition(org) + "#GOAL#" + goalId + "#UNREAD#ANY"));
      item.put("GSI1SK", s(UnreadIndex.sortKey(0, inbound, threadId)));
      items.add(item);
      ids.add(threadId);
    }
    putAll(items);
    return ids;
  }

  private void cleanUp(Fixture f) {
    String pk = Table.groupPartition(f.org(), f.group());
    deleteAll(allContactSks(pk).stream().map(sk -> key(pk, sk)).toList());
  }

  private void putAll(List<Map<String, AttributeValue>> items) {
    write(items.stream().map(i -> WriteRequest.builder().putRequest(PutRequest.builder().item(i).build()).build()).toList());
  }

  private void deleteAll(List<Map<String, AttributeValue>> keys) {
    write(keys.stream().map(k -> WriteRequest.builder().deleteRequest(DeleteRequest.builder().key(k).build()).build()).toList());
  }

  private void write(List<WriteRequest> writes) {
    for (int i = 0; i < writes.size(); i += 25) {
      Map<String, List<WriteRequest>> req = Map.of(table.name(), writes.subList(i, Math.min(writes.size(), i + 25)));
      for (int attempt = 0; !req.isEmpty(); attempt++) {
        require(attempt < 10, "BatchWriteItem kept items unprocessed");
        var res = dynamo.batchWriteItem(BatchWriteItemRequest.builder().requestItems(req).build());
        req = res.hasUnprocessedItems() ? res.unprocessedItems() : Map.of();
      }
    }
  }

  // ------------------------------------------------------------------ measuring

  /** Every agent claims a fresh goal at once (activation not run yet): what the first minute of a goal costs. */
  private void herd(Fixture f, int agents) throws Exception {
    // A second goal of the same group, launched but never activated by the bench.
    Map<String, Object> goal = new LinkedHashMap<>();
    goal.put("type", "EVENT");
    goal.put("name", "Herd");
    goal.put("eventStartAt", "2026-12-20T18:00");
    goal.put("assignmentStrategy", "ANYONE");
    goal.put("workflowsAvailableAt", "2026-12-02T09:00");
    goal.put("workflowsCloseAt", "2026-12-20T12:00");
    goal.put("scripts", Map.of("initial", List.of(Map.of("body", "Hi <first name|friend>! Reply STOP to opt out"))));
    LocalClock.shared().set(LAUNCH, true);
    var created = api.post("/groups/" + f.group() + "/goals", f.admin(), goal);
    require(created.status() == 201, "herd goal: " + created.text());
    String goalId = created.json().path("id").asText();
    require(api.post("/goals/" + goalId + "/launch", f.admin(), null).status() == 200, "launch herd goal");
    LocalClock.shared().set(ACTIVE, true);
    ConcurrentLinkedQueue<DynamoMeter.Sample> samples = new ConcurrentLinkedQueue<>();
    CyclicBarrier start = new CyclicBarrier(agents);
    runAgents(f.agents().subList(0, agents), agent -> {
      start.await(10, java.util.concurrent.TimeUnit.MINUTES);
      var m = DynamoMeter.measure("claim initial, fresh goal", () ->
          api.post("/goals/" + goalId + "/workflows/initial/claim", f.tokens().get(agent), null));
      samples.add(m.sample());
      if (m.value().status() == 200) {
        api.post("/batches/" + m.value().json().path("batchId").asText() + "/release", f.tokens().get(agent), null);
      }
    });
    rows.add(new Row("claim initial on a fresh goal (activation by claims, all at once)", f.size(), agents,
        List.copyOf(samples)));
  }

  private interface AgentWork {
    void run(String agent) throws Exception;
  }

  private static void runAgents(List<String> agents, AgentWork work) throws Exception {
    try (ExecutorService pool = Executors.newFixedThreadPool(agents.size())) {
      List<Future<?>> futures = new ArrayList<>();
      for (String a : agents) {
        futures.add(pool.submit(() -> {
          work.run(a);
          return null;
        }));
      }
      for (Future<?> fu : futures) {
        fu.get();
      }
    }
  }

  private void measure(Fixture f, int agentCount, int rounds) throws Exception {
    Map<String, ConcurrentLinkedQueue<DynamoMeter.Sample>> byOp = new LinkedHashMap<>();
    for (String op : OPS) {
      byOp.put(op, new ConcurrentLinkedQueue<>());
    }
    List<String> agents = f.agents().subList(0, agentCount);
    CyclicBarrier barrier = new CyclicBarrier(agentCount);
    ConcurrentLinkedQueue<String> problems = new ConcurrentLinkedQueue<>();
    DynamoMeter.countStrayRequests(true);
    runAgents(agents, agent -> {
      String token = f.tokens().get(agent);
      barrier.await(10, java.util.concurrent.TimeUnit.MINUTES);
      warmUp(f, token);
      for (int round = 0; round < rounds; round++) {
        barrier.await(10, java.util.concurrent.TimeUnit.MINUTES);
        var claim = DynamoMeter.measure("claim", () ->
            api.post("/goals/" + f.goal() + "/workflows/initial/claim", token, null));
        if (claim.value().status() == 200) {
          byOp.get(CLAIM).add(claim.sample());
          var batch = claim.value().json();
          String batchId = batch.path("batchId").asText();
          String firstThread = null;
          for (int i = 0; i < options.sends() && i < batch.path("contacts").size(); i++) {
            String thread = batch.path("contacts").get(i).path("threadId").asText();
            var sent = DynamoMeter.measure("send", () -> api.post("/threads/" + thread + "/messages", token,
                Map.of("batchId", batchId, "scriptId", f.script())));
            if (sent.value().status() == 201) {
              byOp.get(SEND).add(sent.sample());
              firstThread = firstThread == null ? thread : firstThread;
            } else {
              problems.add("send " + sent.value().status() + " " + sent.value().text());
            }
          }
          if (firstThread != null) {
            String t = firstThread;
            var lead = DynamoMeter.measure("lead", () -> api.post("/threads/" + t + "/lead-action", token,
                Map.of("goalId", f.goal(), "action", "YES")));
            byOp.get(LEAD).add(lead.sample());
            if (lead.value().status() != 200) {
              problems.add("lead " + lead.value().status() + " " + lead.value().text());
            }
          }
          var release = DynamoMeter.measure("release", () -> api.post("/batches/" + batchId + "/release", token, null));
          byOp.get(RELEASE).add(release.sample());
          if (release.value().status() != 204) {
            problems.add("release " + release.value().status() + " " + release.value().text());
          }
        } else if (claim.value().status() == 409 && claim.value().type().equals("nothing-to-claim")) {
          byOp.get(CLAIM_NONE).add(claim.sample());
        } else {
          problems.add("claim " + claim.value().status() + " " + claim.value().text());
        }
        barrier.await(10, java.util.concurrent.TimeUnit.MINUTES);
        var unread = DynamoMeter.measure("unread", () ->
            api.post("/goals/" + f.goal() + "/workflows/unread/claim", token, null));
        if (unread.value().status() == 200) {
          byOp.get(UNREAD).add(unread.sample());
          unreadSizes.add(unread.value().json().path("threads").size());
        } else if (unread.value().status() == 409) {
          byOp.get(UNREAD_NONE).add(unread.sample());
        } else if (unread.value().status() == 503) {
          byOp.get(UNREAD_BUSY).add(unread.sample());
        } else {
          problems.add("unread " + unread.value().status() + " " + unread.value().text());
        }
      }
    });
    long stray = DynamoMeter.strayRequests();
    DynamoMeter.countStrayRequests(false);
    if (stray > 0) {
      notes.add(String.format("%,d contacts, %d agents: %d DynamoDB requests happened outside any sample while "
          + "measuring.", f.size(), agentCount, stray));
    }
    if (!problems.isEmpty()) {
      notes.add(String.format("%,d contacts, %d agents: unexpected answers: %s", f.size(), agentCount,
          problems.stream().distinct().limit(5).toList()));
    }
    if (!unreadSizes.isEmpty()) {
      notes.add(String.format("%,d contacts, %d agents: unread claims held %s threads (10 asked).", f.size(),
          agentCount, unreadSizes.stream().collect(Collectors.groupingBy(x -> x, java.util.TreeMap::new,
              Collectors.counting()))));
      unreadSizes.clear();
    }
    byOp.forEach((op, samples) -> {
      if (!samples.isEmpty()) {
        rows.add(new Row(op, f.size(), agentCount, List.copyOf(samples)));
      }
    });
  }

  private final ConcurrentLinkedQueue<Integer> unreadSizes = new ConcurrentLinkedQueue<>();

  static final String CLAIM = "claim initial";
  static final String CLAIM_NONE = "claim initial → 409 nothing left";
  static final String SEND = "send (batch)";
  static final String LEAD = "lead action";
  static final String RELEASE = "release";
  static final String UNREAD = "claim unread";
  static final String UNREAD_NONE = "claim unread → 409";
  static final String UNREAD_BUSY = "claim unread → 503 busy (every set taken by others meanwhile)";
  static final List<String> OPS = List.of(CLAIM, CLAIM_NONE, SEND, LEAD, RELEASE, UNREAD, UNREAD_NONE, UNREAD_BUSY);

  /**
   * Gives this agent's concurrent handler instances their group cache, with requests that write nothing: a
   * reminders claim (closed: 409 after reading the group) and a send with an unknown script (422).
   */
  private void warmUp(Fixture f, String token) {
    api.post("/goals/" + f.goal() + "/workflows/reminders/claim", token, null);
    api.post("/threads/" + f.warmThread() + "/messages", token, Map.of("goalId", f.goal(), "scriptId", "scr_none"));
  }

  // ------------------------------------------------------------------ report

  private final long started = System.nanoTime();

  /** The report so far, after each configuration (a long run that is stopped still leaves its results). */
  private void writePartial() throws IOException {
    Files.createDirectories(options.out().toAbsolutePath().getParent());
    Files.writeString(options.out(), report(secs(started)) + "\n(partial: the run was still going)\n");
  }

  String report(double seconds) {
    StringBuilder md = new StringBuilder();
    md.append("# Workflows: DynamoDB requests and capacity per operation\n\n");
    md.append(String.format("Generated by `dev.goalpost.bench.WorkflowsBench` in %.0f s against moto (local cloud). "
        + "Requests: DynamoDB API calls a handler made for one operation (median / p95 over the samples). RCU/WCU: "
        + "mean per operation, from item sizes (strongly consistent reads 1 RCU per 4 KB, eventually consistent "
        + "half; writes 1 WCU per KB of the larger of the before/after image; ×2 in transactions; Query: the sum "
        + "of the items read, rounded up once).%n%n", seconds));
    md.append("| operation | contacts | agents | samples | requests median | requests p95 | requests max | mean RCU | mean WCU | typical requests |\n");
    md.append("|---|---:|---:|---:|---:|---:|---:|---:|---:|---|\n");
    for (Row r : rows) {
      if (r.samples().isEmpty()) {
        continue;
      }
      int[] counts = r.samples().stream().mapToInt(DynamoMeter.Sample::requestCount).sorted().toArray();
      double rcu = r.samples().stream().mapToDouble(DynamoMeter.Sample::rcu).average().orElse(0);
      double wcu = r.samples().stream().mapToDouble(DynamoMeter.Sample::wcu).average().orElse(0);
      String typical = r.samples().stream().map(x -> String.join(", ", x.requests()))
          .collect(Collectors.groupingBy(x -> x, Collectors.counting())).entrySet().stream()
          .max(Map.Entry.comparingByValue()).map(Map.Entry::getKey).orElse("");
      md.append(String.format(Locale.ROOT, "| %s | %,d | %d | %d | %d | %d | %d | %.1f | %.1f | %s |%n", r.operation(),
          r.size(), r.agents(), counts.length, percentile(counts, 50), percentile(counts, 95),
          counts[counts.length - 1], rcu, wcu, abbreviate(typical)));
    }
    md.append("\nQuery/Scan targets of each measured operation (ids elided): \n\n");
    Map<String, java.util.Set<String>> targets = new java.util.TreeMap<>();
    rows.forEach(r -> r.samples().forEach(x -> targets.computeIfAbsent(r.operation(), k -> new java.util.TreeSet<>())
        .addAll(x.reads())));
    targets.forEach((op, t) -> md.append("- ").append(op).append(": ").append(t.isEmpty() ? "none" : String.join("; ", t))
        .append('\n'));
    if (DynamoMeter.sizeErrors() > 0) {
      notes.add(DynamoMeter.sizeErrors() + " item images could not be read for sizing.");
    }
    if (!notes.isEmpty()) {
      md.append("\nNotes:\n");
      notes.forEach(n -> md.append("- ").append(n).append('\n'));
    }
    return md.toString();
  }

  private static String abbreviate(String requests) {
    return requests.replace("BatchGetItem", "BatchGet").replace("TransactWriteItems", "TransactWrite")
        .replace("UpdateItem", "Update").replace("GetItem", "Get").replace("DeleteItem", "Delete")
        .replace("PutItem", "Put");
  }

  static int percentile(int[] sorted, int p) {
    int idx = (int) Math.ceil(p / 100.0 * sorted.length) - 1;
    return sorted[Math.max(0, Math.min(sorted.length - 1, idx))];
  }

  private static double secs(long from) {
    return (System.nanoTime() - from) / 1e9;
  }

  private static void log(String format, Object... args) {
    System.out.printf("[bench] " + format + "%n", args);
  }

  private static void require(boolean ok, String what) {
    if (!ok) {
      throw new IllegalStateException("Bench setup failed: " + what);
    }
  }
}
