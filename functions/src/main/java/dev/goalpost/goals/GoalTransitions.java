package dev.goalpost.goals;

import static dev.goalpost.platform.Table.*;

import dev.goalpost.platform.Queries;
import dev.goalpost.platform.Table;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.*;

/**
 * When a launched goal next needs the clock's attention, and which clock transitions it has had.
 *
 * <pre>
 * item         PK                       SK            GSI1PK / GSI1SK                          attributes
 * transitions  ORG#{org}#GOAL#{goal}    TRANSITIONS   DUE#{shard} / {nextAtMs}#{org}#{goal}    done (SS), version
 * </pre>
 * {@code done} holds markers such as {@code ACTIVATE@<availableAtMs>}: a transition is keyed by the date that
 * triggered it, so it runs once per date value — and again when an admin moves the date (reopening a
 * completed goal, then completing it later). The scheduled job reads only {@code GSI1SK <= now} in each of
 * {@value #SHARDS} shards (a write-spread key): what is due, never a scan. A goal with nothing left to do leaves
 * the index.
 * Costs: schedule 1 UpdateItem; due 1 Query per shard; mark 1 UpdateItem conditioned on the version.
 */
public final class GoalTransitions {
  public static final int SHARDS = 4;
  static final String SK = "TRANSITIONS";

  private final DynamoDbClient dynamo;
  private final Table table;

  public GoalTransitions(DynamoDbClient dynamo, Table table) {
    this.dynamo = dynamo;
    this.table = table;
  }

  /** A due entry: which goal, and the state of its transitions. */
  public record Due(String orgId, String goalId, Set<String> done, long version) {}

  static String shard(String goalId) {
    return "DUE#" + Math.floorMod(goalId.hashCode(), SHARDS);
  }

  static Map<String, AttributeValue> itemKey(String orgId, String goalId) {
    return key(GoalRepository.goalPartition(orgId, goalId), SK);
  }

  /**
   * (Re)computes when the goal is next due and puts it in the index; called after every change of a
   * launched goal's dates or pause state, so the job never misses a moved date.
   */
  public void schedule(Goal goal, Instant now) {
    for (int attempt = 0; attempt < 3; attempt++) {
      Due state = get(goal.orgId(), goal.id()).orElse(new Due(goal.orgId(), goal.id(), Set.of(), 0));
      try {
        writeNextConditioned(goal, state.done(), next(goal, state.done(), now), state.version());
        return;
      } catch (ConditionalCheckFailedException e) {
        // The job marked a transition meanwhile: read its state again.
      }
    }
    throw new IllegalStateException("Could not schedule the transitions of goal " + goal.id() + " after 3 attempts");
  }

  /** The earliest instant at which a transition of this goal has not run yet (a date already past counts as now). */
  static Optional<Instant> next(Goal goal, Set<String> done, Instant now) {
    if (!goal.launched()) {
      return Optional.empty();
    }
    Instant earliest = null;
    for (TransitionKind k : TransitionKind.values()) {
      Optional<Instant> at = k.dateOf(goal);
      if (at.isPresent() && !done.contains(k.marker(at.get()))) {
        Instant due = at.get();
        if (earliest == null || due.isBefore(earliest)) {
          earliest = due;
        }
      }
    }
    return Optional.ofNullable(earliest);
  }

  public Optional<Due> get(String orgId, String goalId) {
    var res = dynamo.getItem(GetItemRequest.builder().tableName(table.name()).key(itemKey(orgId, goalId))
        .consistentRead(true).build());
    if (!res.hasItem() || res.item().isEmpty()) {
      return Optional.empty();
    }
    var i = res.item();
    Set<String> done = i.get("done") == null ? Set.of() : new HashSet<>(i.get("done").ss());
    return Optional.of(new Due(orgId, goalId, done, num(i, "version", 0)));
  }

  /** Goals due at {@code now} in one shard (eventually consistent; the job re-reads each before acting). */
  // Up to `limit` due goals, pages followed until filled (Queries.page: 1 Query below 1 MB, at most 10).
  public List<Due> due(int shard, Instant now, int limit) {
    var items = Queries.page(dynamo, QueryRequest.builder().tableName(table.name()).indexName(GSI1)
        .keyConditionExpression("#pk = :pk AND #sk <= :now")
        .expressionAttributeNames(Map.of("#pk", GSI1PK, "#sk", GSI1SK))
        .expressionAttributeValues(Map.of(":pk", s("DUE#" + shard), ":now", s(String.format("%013d~", now.toEpochMilli()))))
        .build(), limit, 10).items();
    List<Due> out = new ArrayList<>();
    for (var i : items) {
      Set<String> done = i.get("done") == null ? Set.of() : new HashSet<>(i.get("done").ss());
      out.add(new Due(str(i, "orgId"), str(i, "goalId"), done, num(i, "version", 0)));
    }
    return out;
  }

  /** Records {@code markers} as done and re-indexes the goal; false if another run changed it meanwhile. */
  public boolean markDone(Goal goal, Due seen, Set<String> markers, Instant now) {
    Set<String> done = new HashSet<>(seen.done());
    done.addAll(markers);
    try {
      writeNextConditioned(goal, done, next(goal, done, now), seen.version());
      return true;
    } catch (ConditionalCheckFailedException e) {
      return false;
    }
  }

  private void writeNextConditioned(Goal goal, Set<String> done, Optional<Instant> next, long version) {
    dev.goalpost.platform.Update u = new dev.goalpost.platform.Update()
        .set("orgId", s(goal.orgId())).set("goalId", s(goal.id())).set("version", n(version + 1));
    if (done.isEmpty()) {
      u.remove("done");
    } else {
      u.set("done", AttributeValue.fromSs(List.copyOf(done)));
    }
    if (next.isPresent()) {
      u.set(GSI1PK, s(shard(goal.id())));
      u.set(GSI1SK, s(String.format("%013d", next.get().toEpochMilli()) + "#" + goal.orgId() + "#" + goal.id()));
    } else {
      u.remove(GSI1PK).remove(GSI1SK);
    }
    String cond = version == 0 ? "attribute_not_exists(" + u.name(PK) + ")"
        : u.name("version") + " = " + u.value(n(version));
    dynamo.updateItem(UpdateItemRequest.builder().tableName(table.name()).key(itemKey(goal.orgId(), goal.id()))
        .updateExpression(u.expression()).conditionExpression(cond)
        .expressionAttributeNames(u.names()).expressionAttributeValues(u.values()).build());
  }
}
