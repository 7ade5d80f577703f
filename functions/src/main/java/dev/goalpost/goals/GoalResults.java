package dev.goalpost.goals;

import static dev.goalpost.platform.Table.*;

import dev.goalpost.platform.Table;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.GetItemRequest;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItem;
import software.amazon.awssdk.services.dynamodb.model.Update;
import software.amazon.awssdk.services.dynamodb.model.UpdateItemRequest;

/**
 * The owner of the result items: what happened with one contact in one goal (issue 14 point 6: no other file
 * builds their keys or writes them).
 *
 * <pre>
 * item     PK                        SK                   attributes
 * result   ORG#{org}#GOAL#{goalId}   RESULT#{contactId}   contactId, messaged, firstMessagedAt, responded,
 *                                                         firstRespondedAt, respondedAgent, yes, no, leadActionBy,
 *                                                         leadActionAt, optedOut, optedOutAt; tallies initial,
 *                                                         reminders, segments, replies, by#{agent}#{tally};
 *                                                         seq#{shardId} (the projection's last applied record)
 * </pre>
 * The result lives in the goal's partition (targeting by goal results reads a goal's results with one Query),
 * but each contact has its own item, so no two contacts' writes touch the same item.
 *
 * <p>Writers and cost:
 * <ul>
 *   <li>{@link #leadAction}: the agent's Yes/No, one Update for the lead action's transaction (2 WCU), conditioned
 *       on the result still being what was read. It always writes {@code yes}, {@code no} and
 *       {@code leadActionBy}, so the item's stream record (old and new image) says who changed what: the
 *       goal's and agents' Yes/No counters are derived from it (the stream projection).</li>
 *   <li>the stream projection ({@code projections/Projection}) sets {@code messaged}/{@code firstMessagedAt}
 *       from outbound message INSERTs, {@code responded}/{@code firstRespondedAt}/{@code respondedAgent} from the
 *       first inbound one, and the tallies ({@code initial}, {@code reminders}, {@code segments}, {@code replies},
 *       per agent {@code by#{agent}#{tally}}) and {@code seq#{shardId}} marks, with the names defined here;</li>
 *   <li>{@link #optedOut}: the contact opted out while in this goal (1 UpdateItem).</li>
 * </ul>
 * Reads: {@link #get} 1 GetItem (strongly consistent, 1 RCU); a lead action reads it in its BatchGetItem by
 * {@link #key}.
 */
public final class GoalResults {
  public static final String SK_PREFIX = "RESULT#";
  public static final String A_CONTACT_ID = "contactId";
  public static final String A_MESSAGED = "messaged";
  public static final String A_FIRST_MESSAGED = "firstMessagedAt";
  public static final String A_RESPONDED = "responded";
  public static final String A_FIRST_RESPONDED = "firstRespondedAt";
  public static final String A_YES = "yes";
  public static final String A_NO = "no";
  public static final String A_LEAD_BY = "leadActionBy";
  public static final String A_LEAD_AT = "leadActionAt";
  public static final String A_SKIPPED = "skipped";
  public static final String A_OPTED_OUT = "optedOut";
  public static final String A_OPTED_OUT_AT = "optedOutAt";
  /** Set by the stream projection: the agent of the first reply. */
  public static final String A_RESPONDED_AGENT = "respondedAgent";
  /** Tallies kept by the stream projection: initial texts, reminder texts, segments sent, replies received. */
  public static final String T_INITIAL = "initial";
  public static final String T_REMINDERS = "reminders";
  public static final String T_SEGMENTS = "segments";
  public static final String T_REPLIES = "replies";
  public static final String BY_AGENT_PREFIX = "by#";

  private final DynamoDbClient dynamo;
  private final Table table;

  public GoalResults(DynamoDbClient dynamo, Table table) {
    this.dynamo = dynamo;
    this.table = table;
  }

  public static String sortKey(String contactId) {
    return SK_PREFIX + contactId;
  }

  public static Map<String, AttributeValue> key(String orgId, String goalId, String contactId) {
    return Table.key(GoalRepository.goalPartition(orgId, goalId), sortKey(contactId));
  }

  /** Whether a stored item (or stream image) is a result item. */
  public static boolean isResult(Map<String, AttributeValue> item) {
    return item != null && item.containsKey(SK) && item.get(SK).s() != null && item.get(SK).s().startsWith(SK_PREFIX);
  }

  public static GoalResult fromItem(Map<String, AttributeValue> item) {
    if (item == null || item.isEmpty()) {
      return GoalResult.NONE;
    }
    return new GoalResult(bool(item, A_MESSAGED), bool(item, A_SKIPPED), bool(item, A_RESPONDED), bool(item, A_YES),
        bool(item, A_NO), bool(item, A_OPTED_OUT));
  }

  /** The result as stored now (strongly consistent); empty when the contact has none in the goal. */
  public Optional<Map<String, AttributeValue>> get(String orgId, String goalId, String contactId) {
    var res = dynamo.getItem(GetItemRequest.builder().tableName(table.name()).key(key(orgId, goalId, contactId))
        .consistentRead(true).build());
    return res.hasItem() && !res.item().isEmpty() ? Optional.of(res.item()) : Optional.empty();
  }

  /**
   * The lead action's write: Yes or No by {@code agentId}, only if the result is still what {@code before}
   * (the item read, null when there was none) says about Yes/No and who recorded it — a concurrent lead action
   * on the same contact makes the caller read again. {@code yes}, {@code no} and {@code leadActionBy} are always
   * written, so old and new images tell the projection the net change and whose counts move.
   */
  public TransactWriteItem leadAction(String orgId, String goalId, String contactId, boolean yes, String agentId,
                                      Instant now, Map<String, AttributeValue> before) {
    Map<String, String> names = Map.of("#pk", PK, "#c", A_CONTACT_ID, "#yes", A_YES, "#no", A_NO, "#by", A_LEAD_BY,
        "#at", A_LEAD_AT);
    Map<String, AttributeValue> values = new HashMap<>(Map.of(":c", s(contactId),
        ":yes", AttributeValue.fromBool(yes), ":no", AttributeValue.fromBool(!yes), ":by", s(agentId),
        ":at", s(now.toString())));
    String condition;
    if (before == null || before.isEmpty()) {
      condition = "attribute_not_exists(#pk)";
    } else {
      StringBuilder c = new StringBuilder("attribute_exists(#pk)");
      for (var flag : List.of(Map.entry("#yes", A_YES), Map.entry("#no", A_NO), Map.entry("#by", A_LEAD_BY))) {
        String attr = flag.getValue();
        if (before.containsKey(attr)) {
          values.put(":was" + attr, before.get(attr));
          c.append(" AND ").append(flag.getKey()).append(" = :was").append(attr);
        } else {
          c.append(" AND attribute_not_exists(").append(flag.getKey()).append(")");
        }
      }
      condition = c.toString();
    }
    return TransactWriteItem.builder().update(Update.builder().tableName(table.name())
        .key(key(orgId, goalId, contactId))
        .updateExpression("SET #c = :c, #yes = :yes, #no = :no, #by = :by, #at = :at")
        .conditionExpression(condition).expressionAttributeNames(names).expressionAttributeValues(values)
        .build()).build();
  }

  /** The per-agent tally attribute ({@code by#{agent}#{tally}}). */
  public static String byAgent(String agentId, String tally) {
    return BY_AGENT_PREFIX + agentId + "#" + tally;
  }

  /** (agent, tally) of a per-agent tally attribute, or null for any other attribute. */
  public static String[] agentTally(String attribute) {
    if (!attribute.startsWith(BY_AGENT_PREFIX)) {
      return null;
    }
    int cut = attribute.lastIndexOf('#');
    if (cut <= BY_AGENT_PREFIX.length()) {
      return null;
    }
    return new String[] {attribute.substring(BY_AGENT_PREFIX.length(), cut), attribute.substring(cut + 1)};
  }

  /**
   * The contact opted out while in this goal (a STOP on the goal's thread, an agent's opt-out action): the
   * result says so once; the projection counts the change. Idempotent. 1 UpdateItem (1 WCU).
   */
  public static UpdateItemRequest optedOut(Table table, String orgId, String goalId, String contactId, Instant at) {
    dev.goalpost.platform.Update u = new dev.goalpost.platform.Update()
        .set(A_CONTACT_ID, s(contactId))
        .set(A_OPTED_OUT, AttributeValue.fromBool(true))
        .setIfAbsent(A_OPTED_OUT_AT, s(at.toString()));
    return UpdateItemRequest.builder().tableName(table.name()).key(key(orgId, goalId, contactId))
        .updateExpression(u.expression()).expressionAttributeNames(u.names()).expressionAttributeValues(u.values())
        .build();
  }
}
