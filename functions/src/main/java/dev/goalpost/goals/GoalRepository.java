package dev.goalpost.goals;

import static dev.goalpost.platform.Table.*;

import com.fasterxml.jackson.core.JsonProcessingException;
import dev.goalpost.platform.Queries;
import dev.goalpost.platform.Cursor;
import dev.goalpost.platform.Json;
import dev.goalpost.platform.Page;
import dev.goalpost.platform.Table;
import dev.goalpost.platform.http.ApiException;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.*;

/**
 * Goals and their per-contact results in the single table.
 *
 * <pre>
 * item     PK                        SK                   GSI1PK / GSI1SK
 * goal     ORG#{org}#GOAL#{goalId}   GOAL                 ORG#{org}#GROUP#{groupId}#GOALS / GOAL#{createdAt}#{goalId}
 * result   ORG#{org}#GOAL#{goalId}   RESULT#{contactId}   -     (owned by {@link GoalResults}; read here by prefix)
 * </pre>
 * The goal item also carries {@code unreadTicket}, {@code unreadTicketAt} and {@code unreadTicketBy}, set by
 * the unread claims ({@code UnreadClaims}); an update here rewrites the item without them, which only restarts
 * their count.
 *
 * The routes address goals by id alone ({@code /goals/{goalId}}), so a goal is its own partition keyed by
 * org + id: a get is one GetItem and another org's id is simply absent. Targeting and scripts are stored as
 * JSON attributes (a goal is read and written whole; the largest, 20 initial scripts of 57 segments, stays
 * far below the 400 KB item limit). Status is never stored: it is computed from the dates.
 *
 * <p>Access patterns and cost (a goal item is 1-10 KB):
 * <ul>
 *   <li>get: GetItem strongly consistent, 1 request, 1-3 RCU.</li>
 *   <li>create: PutItem conditioned on absence, 1 request, 1-10 WCU.</li>
 *   <li>update (edit, launch, pause, resume): PutItem conditioned on the version read, 1 request, 1-10 WCU —
 *       two admins editing at once cannot overwrite each other (the second gets a 409).</li>
 *   <li>delete a draft: DeleteItem conditioned on never launched, 1 request.</li>
 *   <li>list a group's goals: Query GSI1 ORG#..#GROUP#{g}#GOALS, newest first, 1 request per page.</li>
 *   <li>results of a goal (targeting by goal results): Query PK begins_with RESULT#, 1 request per 1 MB.</li>
 * </ul>
 */
public final class GoalRepository {
  static final String SK_GOAL = "GOAL";
  static final String A_GOAL_ID = "goalId";
  static final String A_ORG_ID = "orgId";
  public static final String A_GROUP_ID = "groupId";
  static final String A_TYPE = "goalType";
  static final String A_NAME = "name";
  static final String A_DESCRIPTION = "description";
  static final String A_TYPE_DATE = "typeDate";
  static final String A_STRATEGY = "assignmentStrategy";
  static final String A_INSTRUCTIONS = "agentInstructions";
  static final String A_TARGETING = "targeting";
  static final String A_SCRIPTS = "scripts";
  static final String A_AVAILABLE = "workflowsAvailableAt";
  static final String A_CLOSE = "workflowsCloseAt";
  static final String A_REMINDERS = "remindersEnabled";
  static final String A_REM_AVAILABLE = "remindersAvailableAt";
  static final String A_REM_CLOSE = "remindersCloseAt";
  static final String A_LAUNCHED = "launchedAt";
  static final String A_PAUSED = "pausedAt";
  static final String A_WAS_ACTIVE = "wasActive";
  static final String A_DUPLICATED_FROM = "duplicatedFrom";
  static final String A_CREATED = "createdAt";
  static final String A_UPDATED = "updatedAt";
  static final String A_VERSION = "version";

  private final DynamoDbClient dynamo;
  private final Table table;

  public GoalRepository(DynamoDbClient dynamo, Table table) {
    this.dynamo = dynamo;
    this.table = table;
  }

  public static String goalPartition(String orgId, String goalId) {
    return orgPartition(orgId) + "#GOAL#" + goalId;
  }

  static String groupGoalsPartition(String orgId, String groupId) {
    return groupPartition(orgId, groupId) + "#GOALS";
  }

  public static Map<String, AttributeValue> goalKey(String orgId, String goalId) {
    return key(goalPartition(orgId, goalId), SK_GOAL);
  }

  public Optional<Goal> get(String orgId, String goalId) {
    var res = dynamo.getItem(GetItemRequest.builder().tableName(table.name())
        .key(key(goalPartition(orgId, goalId), SK_GOAL)).consistentRead(true).build());
    return res.hasItem() && !res.item().isEmpty() ? Optional.of(fromItem(res.item())) : Optional.empty();
  }

  public void create(Goal g) {
    dynamo.putItem(PutItemRequest.builder().tableName(table.name()).item(toItem(g))
        .conditionExpression("attribute_not_exists(#pk)").expressionAttributeNames(Map.of("#pk", PK)).build());
  }

  /** Replaces the goal if it still has {@code previousVersion}; 409 otherwise. */
  public void update(Goal next, long previousVersion) {
    try {
      dynamo.putItem(PutItemRequest.builder().tableName(table.name()).item(toItem(next))
          .conditionExpression("#v = :v")
          .expressionAttributeNames(Map.of("#v", A_VERSION))
          .expressionAttributeValues(Map.of(":v", n(previousVersion))).build());
    } catch (ConditionalCheckFailedException e) {
      throw ApiException.conflict("concurrent-modification",
          "The goal was changed by another request meanwhile; read it again and retry");
    }
  }

  /** Deletes a goal that was never launched; false when it was launched meanwhile or is gone. */
  public boolean deleteDraft(String orgId, String goalId) {
    try {
      dynamo.deleteItem(DeleteItemRequest.builder().tableName(table.name())
          .key(key(goalPartition(orgId, goalId), SK_GOAL))
          .conditionExpression("attribute_exists(#pk) AND attribute_not_exists(#launched)")
          .expressionAttributeNames(Map.of("#pk", PK, "#launched", A_LAUNCHED)).build());
      return true;
    } catch (ConditionalCheckFailedException e) {
      return false;
    }
  }

  /** A page of the group's goals, newest first. */
  public Page<Goal> listByGroup(String orgId, String groupId, int limit, Optional<String> cursor) {
    String gpk = groupGoalsPartition(orgId, groupId);
    var start = Cursor.decode(cursor, Map.of(GSI1PK, s(gpk)), PK, SK, GSI1SK);
    var req = QueryRequest.builder().tableName(table.name()).indexName(GSI1)
        .keyConditionExpression("#pk = :pk")
        .expressionAttributeNames(Map.of("#pk", GSI1PK))
        .expressionAttributeValues(Map.of(":pk", s(gpk)))
        .scanIndexForward(false);
    start.ifPresent(req::exclusiveStartKey);
    var res = Queries.page(dynamo, req.build(), limit, 10); // filled across pages: 1 Query below 1 MB
    return new Page<>(res.items().stream().map(GoalRepository::fromItem).toList(),
        Cursor.encode(res.next(), PK, SK, GSI1SK));
  }

  /** Every result recorded in a goal, by contact id. */
  public Map<String, GoalResult> results(String orgId, String goalId) {
    Map<String, GoalResult> out = new HashMap<>();
    Map<String, AttributeValue> start = null;
    do {
      var req = QueryRequest.builder().tableName(table.name())
          .keyConditionExpression("#pk = :pk AND begins_with(#sk, :prefix)")
          .expressionAttributeNames(Map.of("#pk", PK, "#sk", SK))
          .expressionAttributeValues(Map.of(":pk", s(goalPartition(orgId, goalId)), ":prefix", s(GoalResults.SK_PREFIX)));
      if (start != null) {
        req.exclusiveStartKey(start);
      }
      var res = dynamo.query(req.build());
      res.items().forEach(i -> out.put(str(i, GoalResults.A_CONTACT_ID), GoalResults.fromItem(i)));
      start = res.hasLastEvaluatedKey() && !res.lastEvaluatedKey().isEmpty() ? res.lastEvaluatedKey() : null;
    } while (start != null);
    return out;
  }

  /** Contact ids marked Yes in a goal, a page at a time in key order (reminder batches are built from them). */
  public record YesPage(List<String> contactIds, Optional<String> after) {}

  public YesPage yesPage(String orgId, String goalId, Optional<String> after, int limit) {
    String pk = goalPartition(orgId, goalId);
    var req = QueryRequest.builder().tableName(table.name())
        .keyConditionExpression("#pk = :pk AND begins_with(#sk, :prefix)")
        .filterExpression("#yes = :t")
        .expressionAttributeNames(Map.of("#pk", PK, "#sk", SK, "#yes", GoalResults.A_YES))
        .expressionAttributeValues(Map.of(":pk", s(pk), ":prefix", s(GoalResults.SK_PREFIX), ":t", AttributeValue.fromBool(true)))
        .limit(limit);
    after.ifPresent(sk -> req.exclusiveStartKey(key(pk, sk)));
    // Filled across pages (Queries.page, at most 400 requests): the Yes filter runs after each read, so a
    // page of results with few Yes would otherwise cut reminder batches short (1 request when all fit 1 MB).
    var res = Queries.page(dynamo, req.build(), limit, 400);
    Optional<String> next = Optional.ofNullable(res.next()).map(k -> k.get(SK).s());
    return new YesPage(res.items().stream().map(i -> str(i, GoalResults.A_CONTACT_ID)).toList(), next);
  }

  // ------------------------------------------------------------------ mapping

  static Map<String, AttributeValue> toItem(Goal g) {
    Map<String, AttributeValue> item = new HashMap<>(key(goalPartition(g.orgId(), g.id()), SK_GOAL));
    item.put(GSI1PK, s(groupGoalsPartition(g.orgId(), g.groupId())));
    item.put(GSI1SK, s("GOAL#" + g.createdAt() + "#" + g.id()));
    item.put(A_GOAL_ID, s(g.id()));
    item.put(A_ORG_ID, s(g.orgId()));
    item.put(A_GROUP_ID, s(g.groupId()));
    item.put(A_TYPE, s(g.type().name()));
    item.put(A_NAME, s(g.name()));
    putIfPresent(item, A_DESCRIPTION, g.description());
    putInstant(item, A_TYPE_DATE, g.typeDate());
    item.put(A_STRATEGY, s(g.assignmentStrategy().name()));
    putIfPresent(item, A_INSTRUCTIONS, g.agentInstructions());
    item.put(A_TARGETING, s(Json.write(g.targeting())));
    item.put(A_SCRIPTS, s(Json.write(g.scripts())));
    putInstant(item, A_AVAILABLE, g.workflowsAvailableAt());
    putInstant(item, A_CLOSE, g.workflowsCloseAt());
    item.put(A_REMINDERS, AttributeValue.fromBool(g.remindersEnabled()));
    putInstant(item, A_REM_AVAILABLE, g.remindersAvailableAt());
    putInstant(item, A_REM_CLOSE, g.remindersCloseAt());
    putInstant(item, A_LAUNCHED, g.launchedAt());
    putInstant(item, A_PAUSED, g.pausedAt());
    item.put(A_WAS_ACTIVE, AttributeValue.fromBool(g.wasActive()));
    putIfPresent(item, A_DUPLICATED_FROM, g.duplicatedFrom());
    item.put(A_CREATED, s(g.createdAt().toString()));
    item.put(A_UPDATED, s(g.updatedAt().toString()));
    item.put(A_VERSION, n(g.version()));
    return item;
  }

  public static Goal fromItem(Map<String, AttributeValue> item) {
    try {
      return new Goal(str(item, A_GOAL_ID), str(item, A_ORG_ID), str(item, A_GROUP_ID),
          GoalType.valueOf(str(item, A_TYPE)), str(item, A_NAME), str(item, A_DESCRIPTION),
          instant(item, A_TYPE_DATE), AssignmentStrategy.valueOf(str(item, A_STRATEGY)),
          str(item, A_INSTRUCTIONS), Json.MAPPER.readValue(str(item, A_TARGETING), Targeting.class),
          Json.MAPPER.readValue(str(item, A_SCRIPTS), Scripts.class),
          instant(item, A_AVAILABLE), instant(item, A_CLOSE), bool(item, A_REMINDERS),
          instant(item, A_REM_AVAILABLE), instant(item, A_REM_CLOSE), instant(item, A_LAUNCHED),
          instant(item, A_PAUSED), bool(item, A_WAS_ACTIVE), str(item, A_DUPLICATED_FROM),
          Instant.parse(str(item, A_CREATED)), Instant.parse(str(item, A_UPDATED)), num(item, A_VERSION, 1));
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("Goal " + str(item, A_GOAL_ID) + " holds unreadable JSON", e);
    }
  }

  private static void putIfPresent(Map<String, AttributeValue> item, String name, String value) {
    if (value != null) {
      item.put(name, s(value));
    }
  }

  private static void putInstant(Map<String, AttributeValue> item, String name, Instant value) {
    if (value != null) {
      item.put(name, s(value.toString()));
    }
  }

  private static Instant instant(Map<String, AttributeValue> item, String name) {
    String v = str(item, name);
    return v == null ? null : Instant.parse(v);
  }
}
