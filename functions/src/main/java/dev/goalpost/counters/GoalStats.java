package dev.goalpost.counters;

import static dev.goalpost.platform.Table.*;

import dev.goalpost.goals.GoalRepository;
import dev.goalpost.platform.Table;
import java.util.HashMap;
import java.util.Map;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItem;
import software.amazon.awssdk.services.dynamodb.model.Update;
import software.amazon.awssdk.services.dynamodb.model.UpdateItemRequest;

/**
 * A goal's running counters (SPEC §8), kept up to date as things happen — never by scanning on read.
 * <pre>
 * item         PK                       SK                   attributes (numbers, ADDed)
 * goal stats   ORG#{org}#GOAL#{goal}    STATS                messaged, remindersSent, segmentsSent, replies, responders,
 *                                                            yes, no, optedOut, batchesDone
 * agent stats  ORG#{org}#GOAL#{goal}    STATS#AGENT#{agent}  the same, for one agent
 * </pre>
 * Sends add their counters inside the send's own transaction, so a counted send is a stored send and a
 * refused one counts nothing; replies, lead actions and opt-outs add theirs right after storing, counting
 * only first times (a contact's first reply, a changed Yes/No, a new opt-out).
 * Cost: 2 items more in a send transaction; 1-2 UpdateItem per reply or lead action; reading is one Query.
 */
public final class GoalStats {
  public static final String SK = "STATS";
  public static final String AGENT_PREFIX = "STATS#AGENT#";
  public static final String A_AGENT_ID = "agentId";

  /** The counters, as attribute names. */
  public enum Counter { messaged, remindersSent, segmentsSent, replies, responders, yes, no, optedOut, batchesDone }

  private final DynamoDbClient dynamo;
  private final Table table;

  public GoalStats(DynamoDbClient dynamo, Table table) {
    this.dynamo = dynamo;
    this.table = table;
  }

  public static Map<String, AttributeValue> goalKey(String orgId, String goalId) {
    return key(GoalRepository.goalPartition(orgId, goalId), SK);
  }

  public static Map<String, AttributeValue> agentKey(String orgId, String goalId, String agentId) {
    return key(GoalRepository.goalPartition(orgId, goalId), AGENT_PREFIX + agentId);
  }

  /** Updates adding {@code deltas} to the goal's counters and, when {@code agentId} is given, the agent's. */
  public java.util.List<TransactWriteItem> add(String orgId, String goalId, String agentId, Map<Counter, Long> deltas) {
    java.util.List<TransactWriteItem> out = new java.util.ArrayList<>();
    out.add(TransactWriteItem.builder().update(update(goalKey(orgId, goalId), null, deltas)).build());
    if (agentId != null) {
      out.add(TransactWriteItem.builder().update(update(agentKey(orgId, goalId, agentId), agentId, deltas)).build());
    }
    return out;
  }

  /** An update adding {@code deltas} to one agent's counters only. */
  public TransactWriteItem addToAgent(String orgId, String goalId, String agentId, Map<Counter, Long> deltas) {
    return TransactWriteItem.builder().update(update(agentKey(orgId, goalId, agentId), agentId, deltas)).build();
  }

  /** The same as {@link #add} outside a transaction (after a reply or lead action is stored). */
  public void addNow(String orgId, String goalId, String agentId, Map<Counter, Long> deltas) {
    for (TransactWriteItem w : add(orgId, goalId, agentId, deltas)) {
      Update u = w.update();
      dynamo.updateItem(UpdateItemRequest.builder().tableName(u.tableName()).key(u.key())
          .updateExpression(u.updateExpression()).expressionAttributeNames(u.expressionAttributeNames())
          .expressionAttributeValues(u.expressionAttributeValues()).build());
    }
  }

  private Update update(Map<String, AttributeValue> key, String agentId, Map<Counter, Long> deltas) {
    StringBuilder expr = new StringBuilder("ADD ");
    Map<String, String> names = new HashMap<>();
    Map<String, AttributeValue> values = new HashMap<>();
    int i = 0;
    for (var d : deltas.entrySet()) {
      if (i > 0) {
        expr.append(", ");
      }
      expr.append("#c").append(i).append(" :v").append(i);
      names.put("#c" + i, d.getKey().name());
      values.put(":v" + i, n(d.getValue()));
      i++;
    }
    if (agentId != null) {
      expr.append(" SET #agent = :agent");
      names.put("#agent", "agentId");
      values.put(":agent", s(agentId));
    }
    return Update.builder().tableName(table.name()).key(key).updateExpression(expr.toString())
        .expressionAttributeNames(names).expressionAttributeValues(values).build();
  }
}
