package dev.goalpost.review;

import dev.goalpost.counters.GoalStats;

import static dev.goalpost.platform.Table.*;

import dev.goalpost.goals.AssignmentStrategy;
import dev.goalpost.goals.Goal;
import dev.goalpost.goals.GoalRepository;
import dev.goalpost.groups.Group;
import dev.goalpost.groups.GroupRepository;
import dev.goalpost.groups.Member;
import dev.goalpost.platform.Queries;
import dev.goalpost.platform.BatchReads;
import dev.goalpost.platform.Page;
import dev.goalpost.platform.Table;
import dev.goalpost.platform.auth.Principal;
import dev.goalpost.platform.http.ApiException;
import dev.goalpost.workflows.Activation;
import dev.goalpost.workflows.BatchRepository;
import dev.goalpost.workflows.Hours;
import dev.goalpost.workflows.WorkflowKind;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.QueryRequest;

/**
 * Goal stats (SPEC §8) from the running counters ({@link GoalStats}) and the activation state — no scan.
 * Cost per request: 1 GetItem (goal) + 1 GetItem (group: its hours) + 1 BatchGetItem (counters, activation
 * states) + 1 Query (per-agent counters) + 1 Query of claimable batches per pool and per 1 MB of them (one
 * pool for ANYONE goals, one per agent for ASSIGNED), projected to each batch's zone key and remaining count:
 * the same items (and RCU, ~0.6 per 5 KB batch) the COUNT of claimable batches read before, now also giving
 * {@code waitingForHours}: the remaining contacts of claimable batches whose zone is outside the group's hours
 * now, per zone with when it opens. (Contacts of batches an agent holds are not counted as waiting.)
 */
public final class StatsService {
  private final DynamoDbClient dynamo;
  private final Table table;
  private final GoalRepository goals;
  private final GroupRepository groups;
  private final BatchRepository batches;
  private final BatchReads reads;
  private final Clock clock;

  public StatsService(DynamoDbClient dynamo, Table table, Clock clock) {
    this.dynamo = dynamo;
    this.table = table;
    this.goals = new GoalRepository(dynamo, table);
    this.groups = new GroupRepository(dynamo, table);
    this.batches = new BatchRepository(dynamo, table);
    this.reads = new BatchReads(dynamo, table);
    this.clock = clock;
  }

  public Map<String, Object> stats(Principal caller, String goalId) {
    Goal goal = goals.get(caller.orgId(), goalId).orElseThrow(() -> ApiException.notFound("Goal " + goalId));
    caller.requireManage(goal.groupId());
    Instant now = clock.instant();
    String org = caller.orgId();
    String pk = GoalRepository.goalPartition(org, goalId);
    var statsKey = key(pk, GoalStats.SK);
    var initialKey = key(pk, "ACTIVATION#" + WorkflowKind.INITIAL.code());
    var items = reads.get(List.of(statsKey, initialKey));
    Map<String, AttributeValue> counters = items.getOrDefault(BatchReads.id(statsKey), Map.of());
    Activation.State initial = Activation.stateOf(items.get(BatchReads.id(initialKey)));

    long messaged = num(counters, "messaged", 0);
    long responders = num(counters, "responders", 0);
    long done = num(counters, "batchesDone", 0);
    int available = 0;
    // Claimable batches, and those of them waiting for their contacts' hours (zone keys closed now).
    Group group = groups.get(org, goal.groupId()).orElseThrow(() -> ApiException.notFound("Group " + goal.groupId()));
    java.util.function.Predicate<String> zoneOpen = zone -> Hours.isOpen(group, zone, now);
    Map<String, BatchRepository.Claimable.Waiting> waiting = new java.util.TreeMap<>();
    List<String> pools = goal.assignmentStrategy() == AssignmentStrategy.ANYONE ? List.of("ANY")
        : allMembers(org, goal.groupId()).stream().map(Member::userId).toList();
    for (String pool : pools) {
      var claimable = batches.claimable(org, goalId, WorkflowKind.INITIAL, pool, now, zoneOpen);
      available += claimable.batches();
      claimable.waitingByZone().forEach((zone, w) -> waiting.merge(zone, w,
          (a, b) -> new BatchRepository.Claimable.Waiting(a.batches() + b.batches(), a.contacts() + b.contacts())));
    }
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("goalId", goalId);
    out.put("asOf", now.toString());
    out.put("targeted", initial.contacts());
    Map<String, Object> b = new LinkedHashMap<>();
    b.put("total", initial.batches());
    b.put("available", available);
    b.put("claimed", Math.max(0, initial.batches() - available - done));
    b.put("done", done);
    out.put("batches", b);
    out.put("contacts", Map.of("messaged", messaged, "remaining", Math.max(0, initial.contacts() - messaged)));
    out.put("waitingForHours", waitingForHours(group, waiting, now));
    out.put("replies", num(counters, "replies", 0));
    out.put("responders", responders);
    out.put("responseRate", messaged == 0 ? 0.0 : Math.round(1000.0 * responders / messaged) / 1000.0);
    out.put("yes", num(counters, "yes", 0));
    out.put("no", num(counters, "no", 0));
    out.put("optedOut", num(counters, "optedOut", 0));
    out.put("segmentsSent", num(counters, "segmentsSent", 0));
    out.put("remindersSent", num(counters, "remindersSent", 0));
    out.put("perAgent", perAgent(pk));
    return out;
  }

  /** The claimable contacts outside their hours now, in all and per zone key, with when each zone opens. */
  private static Map<String, Object> waitingForHours(Group group,
                                                     Map<String, BatchRepository.Claimable.Waiting> waiting,
                                                     Instant now) {
    int contacts = 0;
    int batchCount = 0;
    Instant next = null;
    List<Map<String, Object>> zones = new ArrayList<>();
    for (var e : waiting.entrySet()) {
      contacts += e.getValue().contacts();
      batchCount += e.getValue().batches();
      Optional<Instant> opens = Hours.nextOpening(group, e.getKey(), now);
      Map<String, Object> z = new LinkedHashMap<>();
      z.put("zone", e.getKey());
      z.put("contacts", e.getValue().contacts());
      z.put("batches", e.getValue().batches());
      z.put("opensAt", opens.map(Instant::toString).orElse(null));
      zones.add(z);
      if (opens.isPresent() && (next == null || opens.get().isBefore(next))) {
        next = opens.get();
      }
    }
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("contacts", contacts);
    out.put("batches", batchCount);
    out.put("nextOpensAt", next == null ? null : next.toString());
    out.put("zones", zones);
    return out;
  }

  private List<Map<String, Object>> perAgent(String pk) {
    // Every agent's counters, all pages (Queries.all: 1 Query per 1 MB, ~5,000 agents).
    var items = Queries.all(dynamo, QueryRequest.builder().tableName(table.name())
        .keyConditionExpression("#pk = :pk AND begins_with(#sk, :prefix)")
        .expressionAttributeNames(Map.of("#pk", PK, "#sk", SK))
        .expressionAttributeValues(Map.of(":pk", s(pk), ":prefix", s(GoalStats.AGENT_PREFIX))).build());
    List<Map<String, Object>> out = new ArrayList<>();
    for (var i : items) {
      Map<String, Object> a = new LinkedHashMap<>();
      a.put("agentId", str(i, "agentId"));
      for (String c : List.of("messaged", "remindersSent", "replies", "yes", "no", "optedOut", "segmentsSent")) {
        a.put(c, num(i, c, 0));
      }
      out.add(a);
    }
    return out;
  }

  private List<Member> allMembers(String org, String groupId) {
    List<Member> out = new ArrayList<>();
    Optional<String> cursor = Optional.empty();
    do {
      Page<Member> page = groups.listMembers(org, groupId, 100, cursor);
      out.addAll(page.items());
      cursor = Optional.ofNullable(page.nextCursor());
    } while (cursor.isPresent());
    return out;
  }
}
