package dev.goalpost.race;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.goalpost.contacts.ContactRepository;
import dev.goalpost.goals.GoalRepository;
import dev.goalpost.local.ApiClient;
import dev.goalpost.local.LocalCloud;
import dev.goalpost.local.LocalCloudExtension;
import dev.goalpost.local.LocalCloudTest;
import dev.goalpost.platform.Table;
import dev.goalpost.workflows.Activation;
import dev.goalpost.workflows.BatchRepository;
import dev.goalpost.workflows.WorkflowKind;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.QueryRequest;
import software.amazon.awssdk.services.dynamodb.model.ScanRequest;

/**
 * Many agents claim one ANYONE goal concurrently until it is exhausted, some walk away holding their batch
 * midway and the clock moves past their leases: at no moment is a contact held by two agents, every send is
 * made by the holder of a live lease on its contact, and in the end every contact was messaged exactly once —
 * checked from the answers the agents saw and directly in the table.
 *
 * <p>The local clock is frozen, so leases end only when the test moves it (once, by 61 minutes, when every
 * agent is parked: walked away, or starved because every remaining batch is leased). Each recorded event
 * therefore carries the exact local-clock instant it happened at.
 *
 * <p>Sizes: {@code -Dgoalpost.race.contacts} (default 300), {@code .agents} (50), {@code .walkers} (a third of
 * the batches). The default keeps the suite short. {@code -Dgoalpost.race.contacts=10000} passed in 1,131 s on
 * moto here (through the local cloud's launcher, with {@code -Dgoalpost.http.timeoutSeconds=600} so that no
 * request of 50 agents queued on the one-at-a-time emulator times out); against LocalStack or an account
 * ({@code AWS_ENDPOINT_URL}) the same command runs unchanged.
 *
 * <p>On moto the harness sends requests to the emulator one at a time ({@link LocalCloudExtension#serializesEmulator}),
 * because moto is not atomic within one request and a cancelled transaction rolls back other requests' writes;
 * agents' requests still interleave in every order.
 */
@LocalCloudTest
class ClaimRaceIT {
  /** 10:00 in Chicago the day before the goal opens; the goal is active from ACTIVE (10:00 the next day). */
  static final Instant LAUNCH = Instant.parse("2026-12-01T16:00:00Z");
  static final Instant ACTIVE = Instant.parse("2026-12-02T16:00:00Z");
  static final Duration PAST_LEASE = Duration.ofMinutes(61);

  static final int CONTACTS = Integer.getInteger("goalpost.race.contacts", 300);
  static final int AGENTS = Integer.getInteger("goalpost.race.agents", 50);
  /** How many batch holders walk away: by default a third of the batches (at least one). */
  /** How long the run may wait for agents (a phase, an arrival): generous, and growing with the goal's size. */
  static final Duration PATIENCE = Duration.ofMinutes(4).plusMillis(500L * CONTACTS);
  static final int WALKERS = Integer.getInteger("goalpost.race.walkers", Math.max(1, CONTACTS / 100 / 3));
  static final Duration TOKEN_TTL = Duration.ofDays(365);

  private final ApiClient api;
  private final LocalCloud cloud;

  ClaimRaceIT(ApiClient api, LocalCloud cloud) {
    this.api = api;
    this.cloud = cloud;
  }

  @AfterEach
  void realTime() {
    api.resetClock();
  }

  // ------------------------------------------------------------------ what the agents saw

  record Claim(String agent, String batchId, List<String> contacts, Instant at, Instant leaseUntil) {
    boolean liveAt(Instant t) {
      return !at.isAfter(t) && leaseUntil.isAfter(t);
    }
  }

  record Send(String agent, String batchId, String contactId, String threadId, Instant at) {}

  record Refusal(String agent, String batchId, String contactId, String type, Instant at, boolean afterWalk) {}

  record Unexpected(String agent, String what, int status, String body) {}

  /** Everything recorded during the run; the clock value events are stamped with; parking for the move. */
  static final class Run {
    final ConcurrentLinkedQueue<Claim> claims = new ConcurrentLinkedQueue<>();
    final ConcurrentLinkedQueue<Send> sends = new ConcurrentLinkedQueue<>();
    final ConcurrentLinkedQueue<Refusal> refusals = new ConcurrentLinkedQueue<>();
    final ConcurrentLinkedQueue<Unexpected> unexpected = new ConcurrentLinkedQueue<>();
    final Set<String> walked = java.util.concurrent.ConcurrentHashMap.newKeySet();
    final AtomicInteger sent = new AtomicInteger();
    final AtomicInteger walkSlots = new AtomicInteger(WALKERS);
    final LinkedBlockingQueue<String> arrivals = new LinkedBlockingQueue<>();
    final CountDownLatch clockMoved = new CountDownLatch(1);
    volatile Instant clock = ACTIVE;

    boolean moved() {
      return clockMoved.getCount() == 0;
    }

    /** Waits (parked) until the test has moved the clock. */
    void park(String agent, String why) throws InterruptedException {
      arrivals.add(agent + ":" + why);
      if (!clockMoved.await(PATIENCE.toSeconds(), TimeUnit.SECONDS)) {
        throw new IllegalStateException(agent + " parked (" + why + ") and the clock never moved");
      }
    }
  }

  @Test
  void agentsExhaustAGoalWithLeasesExpiringMidwayAndEveryContactIsMessagedOnceByItsOnlyHolder() throws Exception {
    long t0 = System.nanoTime();
    Setup s = setup();
    long t1 = System.nanoTime();
    boolean serialize = LocalCloudExtension.serializesEmulator();

    Run run = new Run();
    int walkAt = CONTACTS * 3 / 10;
    List<Future<?>> agents = new ArrayList<>();
    try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
      for (int i = 0; i < AGENTS; i++) {
        String agent = s.agents().get(i);
        agents.add(pool.submit(() -> {
          work(run, s, agent, walkAt);
          return null;
        }));
      }

      // Phase 1 ends when every agent is parked: walkers hold their batch, the others are starved because
      // every remaining batch is leased (or finished: nothing left at all).
      awaitArrivals(run, AGENTS, agents);
      long t2 = System.nanoTime();
      assertThat(run.walked).as("agents who walked away holding a batch").hasSize(Math.min(WALKERS, AGENTS));
      assertThat(run.sent.get()).as("contacts messaged before the clock moved").isLessThan(CONTACTS);

      run.clock = api.advanceClock(PAST_LEASE);
      assertThat(run.clock).isEqualTo(ACTIVE.plus(PAST_LEASE));
      run.clockMoved.countDown();
      long deadline = System.nanoTime() + PATIENCE.toNanos();
      for (Future<?> f : agents) {
        f.get(Math.max(1, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
      }
      long t3 = System.nanoTime();
      System.out.printf("ClaimRaceIT: %d contacts, %d agents (%d walk away), emulator serialized=%s: setup %.1f s, "
              + "phase 1 %.1f s (%d sent), phase 2 %.1f s; %d claims, %d sends, %d refusals%n",
          CONTACTS, AGENTS, WALKERS, serialize, secs(t0, t1), secs(t1, t2), countSentAt(run, ACTIVE), secs(t2, t3),
          run.claims.size(), run.sends.size(), run.refusals.size());
    }

    assertThat(run.unexpected).as("answers no agent should ever get").isEmpty();
    assertNoContactHeldByTwoAgentsAtAnyMoment(run);
    assertEverySendWasMadeUnderTheSendersLiveLease(run);
    assertWalkersLostTheirLeaseAndOthersFinishedTheirBatches(run);
    assertEveryContactMessagedExactlyOnce(run, s);
    assertTheTableHoldsOneOutboundMessagePerContact(s);
    System.out.printf("ClaimRaceIT: verified in %.1f s%n", secs(t1, System.nanoTime()));
  }

  /**
   * One agent: claim, send to each contact of the batch, claim again, until nothing is left. The first
   * {@link #WALKERS} agents who are holding a batch once 30% of the contacts are messaged walk away with it.
   */
  private void work(Run run, Setup s, String agent, int walkAt) throws InterruptedException {
    String token = s.tokens().get(agent);
    boolean walkedAway = false;
    while (true) {
      ApiClient.Reply r = api.post("/goals/" + s.goal() + "/workflows/initial/claim", token, null);
      if (r.status() == 409 && type(r).equals("nothing-to-claim")) {
        if (!run.moved() && r.json().path("detail").asText().contains("next lease ends at")) {
          run.park(agent, "starved"); // every remaining batch is leased; only the clock frees them
          continue;
        }
        run.arrivals.add(agent + ":finished");
        return;
      }
      if (r.status() != 200) {
        run.unexpected.add(new Unexpected(agent, "claim", r.status(), r.text()));
        run.arrivals.add(agent + ":failed");
        return;
      }
      Instant at = run.clock;
      String batchId = r.json().path("batchId").asText();
      List<JsonNode> contacts = new ArrayList<>();
      r.json().path("contacts").forEach(contacts::add);
      run.claims.add(new Claim(agent, batchId, contacts.stream().map(c -> c.path("contactId").asText()).toList(), at,
          Instant.parse(r.json().path("leaseExpiresAt").asText())));
      boolean afterWalk = false;
      for (JsonNode c : contacts) {
        if (!walkedAway && !run.moved() && run.sent.get() >= walkAt
            && run.walkSlots.getAndUpdate(x -> Math.max(0, x - 1)) > 0) {
          walkedAway = true;
          afterWalk = true;
          run.walked.add(agent);
          run.park(agent, "walked away holding " + batchId);
        }
        String contactId = c.path("contactId").asText();
        String threadId = c.path("threadId").asText();
        Instant sendAt = run.clock;
        ApiClient.Reply sent = api.post("/threads/" + threadId + "/messages", token,
            Map.of("batchId", batchId, "scriptId", s.script()));
        if (sent.status() == 201) {
          run.sends.add(new Send(agent, batchId, contactId, threadId, sendAt));
          run.sent.incrementAndGet();
        } else if (sent.status() == 409 && type(sent).equals("batch-lease-lost")) {
          run.refusals.add(new Refusal(agent, batchId, contactId, type(sent), sendAt, afterWalk));
          break; // the lease ended: claim again
        } else {
          run.unexpected.add(new Unexpected(agent, "send " + contactId + " in " + batchId, sent.status(), sent.text()));
        }
        afterWalk = false;
      }
    }
  }

  private static void awaitArrivals(Run run, int count, List<Future<?>> agents) throws Exception {
    for (int arrived = 0; arrived < count; arrived++) {
      String who = run.arrivals.poll(PATIENCE.toSeconds(), TimeUnit.SECONDS);
      if (who == null) {
        throw new AssertionError("Only " + arrived + " of " + count + " agents parked or finished before the clock "
            + "move; unexpected so far: " + run.unexpected);
      }
    }
  }

  // ------------------------------------------------------------------ invariants

  private static void assertNoContactHeldByTwoAgentsAtAnyMoment(Run run) {
    Set<Instant> moments = new TreeSet<>();
    run.claims.forEach(c -> moments.add(c.at()));
    run.sends.forEach(x -> moments.add(x.at()));
    List<String> violations = new ArrayList<>();
    for (Instant t : moments) {
      Map<String, Set<String>> holders = new HashMap<>();
      for (Claim c : run.claims) {
        if (c.liveAt(t)) {
          c.contacts().forEach(id -> holders.computeIfAbsent(id, k -> new TreeSet<>()).add(c.agent()));
        }
      }
      holders.forEach((contact, who) -> {
        if (who.size() > 1) {
          violations.add(contact + " held by " + who + " at " + t);
        }
      });
    }
    assertThat(moments).as("local-clock moments with claims or sends").hasSize(2);
    assertThat(violations).as("contacts in live leases of two agents at once").isEmpty();
    for (Claim c : run.claims) {
      assertThat(c.leaseUntil()).as("lease of %s", c).isAfter(c.at()).isBeforeOrEqualTo(c.at().plus(Duration.ofHours(1)));
    }
  }

  private static void assertEverySendWasMadeUnderTheSendersLiveLease(Run run) {
    List<Send> orphans = run.sends.stream().filter(x -> run.claims.stream().noneMatch(c ->
        c.agent().equals(x.agent()) && c.batchId().equals(x.batchId()) && c.contacts().contains(x.contactId())
            && c.liveAt(x.at()))).toList();
    assertThat(orphans).as("sends not covered by a live lease of the sender on that contact").isEmpty();
  }

  private static void assertWalkersLostTheirLeaseAndOthersFinishedTheirBatches(Run run) {
    List<Refusal> afterWalk = run.refusals.stream().filter(Refusal::afterWalk).toList();
    assertThat(afterWalk).as("first send of each walker after coming back").hasSize(run.walked.size())
        .allSatisfy(r -> {
          assertThat(r.type()).isEqualTo("batch-lease-lost");
          assertThat(r.at()).isEqualTo(ACTIVE.plus(PAST_LEASE));
        });
    Map<String, String> walkerOf = new HashMap<>();
    afterWalk.forEach(r -> walkerOf.put(r.batchId(), r.agent()));
    Instant later = ACTIVE.plus(PAST_LEASE);
    assertThat(run.claims.stream().filter(c -> c.at().equals(later)).map(Claim::batchId).toList())
        .as("walked-away batches claimed again after their leases expired").containsAll(walkerOf.keySet());
    assertThat(run.refusals).as("only walkers ever lose a lease (nobody else is ever past one)")
        .allMatch(Refusal::afterWalk);
  }

  private static void assertEveryContactMessagedExactlyOnce(Run run, Setup s) {
    Map<String, Integer> perContact = new TreeMap<>();
    run.sends.forEach(x -> perContact.merge(x.contactId(), 1, Integer::sum));
    assertThat(perContact.entrySet().stream().filter(e -> e.getValue() != 1).toList())
        .as("contacts sent to more than once").isEmpty();
    assertThat(perContact.keySet()).as("contacts messaged").containsExactlyInAnyOrderElementsOf(s.contactIds());
  }

  private void assertTheTableHoldsOneOutboundMessagePerContact(Setup s) {
    DynamoDbClient dynamo = cloud.clients().dynamo();
    String table = cloud.resources().ref("GoalpostTable").orElseThrow();
    String prefix = "ORG#" + s.org() + "#THREAD#";
    Map<String, Integer> messages = new HashMap<>();
    Map<String, AttributeValue> start = null;
    do {
      var req = ScanRequest.builder().tableName(table)
          .filterExpression("begins_with(#pk, :p) AND begins_with(#sk, :m)")
          .expressionAttributeNames(Map.of("#pk", "PK", "#sk", "SK"))
          .expressionAttributeValues(Map.of(":p", AttributeValue.fromS(prefix), ":m", AttributeValue.fromS("MSG#")));
      if (start != null) {
        req.exclusiveStartKey(start);
      }
      var res = dynamo.scan(req.build());
      for (var item : res.items()) {
        assertThat(item.get("direction").s()).isEqualTo("OUTBOUND");
        messages.merge(item.get("threadId").s(), 1, Integer::sum);
      }
      start = res.hasLastEvaluatedKey() && !res.lastEvaluatedKey().isEmpty() ? res.lastEvaluatedKey() : null;
    } while (start != null);
    assertThat(messages.entrySet().stream().filter(e -> e.getValue() != 1).toList())
        .as("thread partitions without exactly one message").isEmpty();
    assertThat(messages.keySet()).as("threads with a message").containsExactlyInAnyOrderElementsOf(s.threadIds());

    // And the batches agree: all closed, each contact in exactly one batch, its thread's ref marked done by
    // the one send through that batch (the send never writes the batch item).
    var batches = dynamo.queryPaginator(QueryRequest.builder().tableName(table) // every page
        .keyConditionExpression("#pk = :pk AND begins_with(#sk, :b)")
        .expressionAttributeNames(Map.of("#pk", "PK", "#sk", "SK"))
        .expressionAttributeValues(Map.of(":pk", AttributeValue.fromS("ORG#" + s.org() + "#GOAL#" + s.goal()),
            ":b", AttributeValue.fromS("BATCH#I#")))
        .consistentRead(true).build()).items();
    List<String> inBatches = new ArrayList<>();
    Map<String, String> batchOf = new HashMap<>();
    for (var b : batches) {
      assertThat(b.get("GSI1PK")).as("claimable index entry of finished " + b.get("SK").s()).isNull();
      assertThat(b.get("closedAt")).as("closedAt of " + b.get("SK").s()).isNotNull();
      b.get("contacts").l().forEach(e -> {
        inBatches.add(e.m().get("c").s());
        batchOf.put(e.m().get("c").s(), b.get("number").s());
      });
    }
    String refName = dev.goalpost.conversations.ThreadRepository.batchRefName(s.goal(), "I");
    for (String contactId : s.contactIds()) {
      var thread = dynamo.getItem(r -> r.tableName(table).consistentRead(true).key(Map.of(
          "PK", AttributeValue.fromS(prefix + dev.goalpost.conversations.ThreadIds.of(s.group(), contactId)),
          "SK", AttributeValue.fromS("THREAD")))).item();
      assertThat(thread.get(refName)).as("batch ref of " + contactId).isNotNull();
      assertThat(thread.get(refName).s()).as("batch ref of " + contactId)
          .isEqualTo(dev.goalpost.conversations.ThreadRepository.REF_DONE + batchOf.get(contactId));
    }
    assertThat(inBatches).as("contacts cut into batches").hasSize(CONTACTS)
        .containsExactlyInAnyOrderElementsOf(s.contactIds());
  }

  // ------------------------------------------------------------------ setup over HTTP

  record Setup(String org, String admin, String group, String goal, String script, List<String> contactIds,
               List<String> threadIds, List<String> agents, Map<String, String> tokens) {}

  private Setup setup() {
    api.freezeClock(LAUNCH);
    String org = "org-" + java.util.UUID.randomUUID().toString().substring(0, 8);
    String admin = api.token("admin-" + org, org, List.of("admin"), List.of(), TOKEN_TTL);
    // The 10DLC daily cap (2,000 segments by default) would stop the run at 2,000 sends: lift it for the race.
    ApiClient.Reply g = api.post("/groups", admin, Map.of("name", "Race", "timeZone", "America/Chicago",
        "phoneNumbers", List.of(randomNumber()), "dailySegmentCap", 4 * CONTACTS));
    assertThat(g.status()).as(g.text()).isEqualTo(201);
    String group = g.json().path("id").asText();
    List<String> agents = new ArrayList<>();
    Map<String, String> tokens = new LinkedHashMap<>();
    for (int i = 0; i < AGENTS; i++) {
      String a = String.format("agent%02d", i);
      agents.add(a);
      assertThat(api.put("/groups/" + group + "/members/" + a, admin, Map.of("role", "agent")).status())
          .isBetween(200, 204);
      tokens.put(a, api.token(a, org, List.of("agent"), List.of(group), TOKEN_TTL));
    }
    List<String> ids = new ArrayList<>();
    List<String> threads = new ArrayList<>();
    for (int from = 0; from < CONTACTS; from += 1000) {
      List<Object> rows = new ArrayList<>();
      for (int i = from; i < Math.min(CONTACTS, from + 1000); i++) {
        rows.add(Map.of("phone", "+1512" + String.format("%07d", 2_000_000 + i), "firstName", "P" + i));
      }
      ApiClient.Reply r = api.post("/groups/" + group + "/contacts", admin, Map.of("contacts", rows));
      assertThat(r.status()).as(r.text()).isEqualTo(200);
      r.json().path("rows").forEach(row -> ids.add(row.path("contactId").asText()));
    }
    assertThat(ids).hasSize(CONTACTS).doesNotHaveDuplicates();
    ids.forEach(id -> threads.add("th_" + group.substring("grp_".length()) + "_" + id.substring("ct_".length())));
    Map<String, Object> goal = new LinkedHashMap<>();
    goal.put("type", "EVENT");
    goal.put("name", "Race");
    goal.put("eventStartAt", "2026-12-20T18:00");
    goal.put("assignmentStrategy", "ANYONE");
    goal.put("workflowsAvailableAt", "2026-12-02T09:00");
    goal.put("workflowsCloseAt", "2026-12-20T12:00");
    goal.put("remindersEnabled", false);
    goal.put("scripts", Map.of("initial", List.of(Map.of("body", "Hi <first name>! Rally soon. Reply STOP to opt out"))));
    ApiClient.Reply created = api.post("/groups/" + group + "/goals", admin, goal);
    assertThat(created.status()).as(created.text()).isEqualTo(201);
    String goalId = created.json().path("id").asText();
    assertThat(api.post("/goals/" + goalId + "/launch", admin, null).status()).isEqualTo(200);
    if (Boolean.parseBoolean(System.getProperty("goalpost.race.activateFirst", "true"))) {
      activate(org, goalId);
    }
    api.freezeClock(ACTIVE);
    JsonNode read = api.get("/goals/" + goalId, admin).json();
    assertThat(read.path("status").asText()).isEqualTo("ACTIVE");
    String script = read.path("scripts").path("initial").get(0).path("id").asText();
    return new Setup(org, admin, group, goalId, script, ids, threads, agents, tokens);
  }

  /**
   * Cuts the goal into batches before it opens, as the activation worker would (SPEC §9). Without
   * it every agent's first claim runs the same activation page at once (see the report): correct — one page
   * transaction wins, the others re-read — but on moto 50 agents × (a 1,000-contact Query + a 10-batch
   * transaction) take minutes. {@code -Dgoalpost.race.activateFirst=false} leaves activation to the claims.
   */
  private void activate(String org, String goalId) {
    DynamoDbClient dynamo = cloud.clients().dynamo();
    Table table = new Table(cloud.resources().ref("GoalpostTable").orElseThrow());
    GoalRepository goals = new GoalRepository(dynamo, table);
    Activation activation = new Activation(dynamo, table, new ContactRepository(dynamo, table), goals,
        new BatchRepository(dynamo, table));
    Activation.State done = activation.complete(goals.get(org, goalId).orElseThrow(), WorkflowKind.INITIAL);
    assertThat(done.contacts()).isEqualTo(CONTACTS);
    assertThat(done.batches()).isEqualTo((CONTACTS + 99) / 100);
  }

  // ------------------------------------------------------------------ helpers

  private static String type(ApiClient.Reply r) {
    String t = r.json().path("type").asText();
    return t.substring(t.lastIndexOf('/') + 1);
  }

  private static String randomNumber() {
    var r = java.util.concurrent.ThreadLocalRandom.current();
    return "+1512" + (2 + r.nextInt(8)) + String.format("%06d", r.nextInt(1_000_000));
  }

  private static long countSentAt(Run run, Instant t) {
    return run.sends.stream().filter(x -> x.at().equals(t)).count();
  }

  private static double secs(long from, long to) {
    return (to - from) / 1e9;
  }
}
