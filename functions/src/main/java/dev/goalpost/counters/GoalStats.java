package dev.goalpost.counters;

import static dev.goalpost.platform.Table.*;

import dev.goalpost.goals.GoalRepository;
import java.util.Map;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * A goal's running counters (SPEC §8), kept up to date as things happen — never by scanning on read.
 * <pre>
 * item         PK                       SK                   attributes (numbers, ADDed)
 * goal stats   ORG#{org}#GOAL#{goal}    STATS                messaged, remindersSent, segmentsSent, replies, responders,
 *                                                            yes, no, optedOut, batchesDone; seq#{shardId}
 * agent stats  ORG#{org}#GOAL#{goal}    STATS#AGENT#{agent}  the same, for one agent, and agentId
 * </pre>
 * Written ONLY by the table stream's projection ({@code projections/Projection}), from the changes of the
 * goal's RESULT items and batches: one UpdateItem per counter item per stream batch, exactly once per stream
 * record (each item keeps the last sequence number it applied per shard, {@code seq#{shardId}}). No send,
 * reply, lead action or opt-out writes a counter, so none of them contends on these items. Counters lag the
 * write by two stream hops (the message's record makes the RESULT change, whose record moves the counters):
 * about 2 × (batching window 1 s + stream propagation) on AWS. Reading is one GetItem / Query (StatsService).
 *
 * <p>Throughput: a goal's counter item takes one update per stream batch that touches the goal, at most one
 * batch per second per shard (batching window 1 s) plus full batches (100 records each): even 2,000 texts a
 * second on one goal is ~20 batches a second, ~20 WCU/s on the item, far below DynamoDB's 1,000 WCU/s per item.
 * No write sharding is needed.
 */
public final class GoalStats {
  public static final String SK = "STATS";
  public static final String AGENT_PREFIX = "STATS#AGENT#";
  public static final String A_AGENT_ID = "agentId";

  /** The counters, as attribute names. */
  public enum Counter { messaged, remindersSent, segmentsSent, replies, responders, yes, no, optedOut, batchesDone }

  private GoalStats() {}

  public static Map<String, AttributeValue> goalKey(String orgId, String goalId) {
    return key(GoalRepository.goalPartition(orgId, goalId), SK);
  }

  public static Map<String, AttributeValue> agentKey(String orgId, String goalId, String agentId) {
    return key(GoalRepository.goalPartition(orgId, goalId), AGENT_PREFIX + agentId);
  }
}
