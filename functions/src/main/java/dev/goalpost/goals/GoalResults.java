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
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
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
 *                                                         firstRespondedAt, yes, no, leadActionBy, leadActionAt
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
 *   <li>{@link #replied}: the first reply in the goal sets {@code responded} (1 conditional UpdateItem, 1 WCU;
 *       refused, still 1 WCU, when it was set before). Called by the stream projection from the inbound message
 *       INSERT; the MODIFY record of that first write is what counts a responder.</li>
 *   <li>{@link #messaged}: the first text in the goal sets {@code messaged} (1 UpdateItem or a transaction item).</li>
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

  /**
   * The contact replied in the goal: sets {@code responded} (and {@code firstRespondedAt}) the first time only.
   * True when this call was the first (the item's MODIFY/INSERT record then counts one responder); false when
   * the contact had replied before. Idempotent: a repeated stream record changes nothing. 1 UpdateItem (1 WCU).
   */
  public boolean replied(String orgId, String goalId, String contactId, Instant at) {
    try {
      dynamo.updateItem(UpdateItemRequest.builder().tableName(table.name()).key(key(orgId, goalId, contactId))
          .updateExpression("SET #r = :t, #c = :c, #first = :at")
          .conditionExpression("attribute_not_exists(#r) OR #r = :f")
          .expressionAttributeNames(Map.of("#r", A_RESPONDED, "#c", A_CONTACT_ID, "#first", A_FIRST_RESPONDED))
          .expressionAttributeValues(Map.of(":t", AttributeValue.fromBool(true), ":f", AttributeValue.fromBool(false),
              ":c", s(contactId), ":at", s(at.toString())))
          .build());
      return true;
    } catch (ConditionalCheckFailedException e) {
      return false;
    }
  }

  /** The first text in the goal: sets {@code messaged} (and {@code firstMessagedAt} once), as a transaction item. */
  public TransactWriteItem messaged(String orgId, String goalId, String contactId, Instant now) {
    return TransactWriteItem.builder().update(Update.builder().tableName(table.name())
        .key(key(orgId, goalId, contactId))
        .updateExpression("SET #m = :t, #c = :c, #first = if_not_exists(#first, :now)")
        .expressionAttributeNames(Map.of("#m", A_MESSAGED, "#c", A_CONTACT_ID, "#first", A_FIRST_MESSAGED))
        .expressionAttributeValues(Map.of(":t", AttributeValue.fromBool(true), ":c", s(contactId),
            ":now", s(now.toString())))
        .build()).build();
  }
}
