package dev.goalpost.goals;

import static dev.goalpost.platform.Table.*;

import dev.goalpost.platform.Table;
import java.time.Instant;
import java.util.Map;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.UpdateItemRequest;

/**
 * The RESULT item's key and attribute names, and the writes the stream projection and the agent's opt-out
 * make to it (until the one owner of result items lands, these are the result writes outside the lead action).
 * <pre>
 * item     PK                       SK                  attributes
 * result   ORG#{org}#GOAL#{goal}    RESULT#{contact}    contactId, messaged, firstMessagedAt, responded, firstRespondedAt,
 *                                                       respondedAgent, yes, no, leadActionBy, leadActionAt, optedOut,
 *                                                       optedOutAt; tallies (numbers) initial, reminders, segments,
 *                                                       replies and, per agent, by#{agent}#{tally};
 *                                                       seq#{shardId} (the projection's last applied record)
 * </pre>
 * The goal's and agents' counters are the sum of the results' changes (their stream records' old and new
 * images), so whatever writes a result never writes a counter.
 */
public final class ResultUpdates {
  public static final String SK_PREFIX = "RESULT#";
  public static final String A_CONTACT_ID = "contactId";
  public static final String A_MESSAGED = "messaged";
  public static final String A_FIRST_MESSAGED = "firstMessagedAt";
  public static final String A_RESPONDED = "responded";
  public static final String A_FIRST_RESPONDED = "firstRespondedAt";
  public static final String A_RESPONDED_AGENT = "respondedAgent";
  public static final String A_YES = "yes";
  public static final String A_NO = "no";
  public static final String A_LEAD_ACTION_BY = "leadActionBy";
  public static final String A_OPTED_OUT = "optedOut";
  public static final String A_OPTED_OUT_AT = "optedOutAt";
  /** Tallies: initial texts, reminder texts, segments sent, replies received. */
  public static final String T_INITIAL = "initial";
  public static final String T_REMINDERS = "reminders";
  public static final String T_SEGMENTS = "segments";
  public static final String T_REPLIES = "replies";
  public static final String BY_AGENT_PREFIX = "by#";

  private ResultUpdates() {}

  public static Map<String, AttributeValue> key(String orgId, String goalId, String contactId) {
    return Table.key(GoalRepository.goalPartition(orgId, goalId), SK_PREFIX + contactId);
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
