package dev.goalpost.workflows;

import static dev.goalpost.platform.Table.*;

import dev.goalpost.goals.AssignmentStrategy;
import dev.goalpost.goals.Goal;
import dev.goalpost.goals.GoalRepository;
import dev.goalpost.goals.GoalSchedule;
import dev.goalpost.groups.Group;
import dev.goalpost.groups.GroupCache;
import dev.goalpost.platform.Ids;
import dev.goalpost.platform.Table;
import dev.goalpost.platform.auth.Principal;
import dev.goalpost.platform.http.ApiException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.*;

/**
 * Claims of the unread workflow: up to 10 threads with unread replies, oldest reply first, held for the
 * group's unread claim window. One Query of claimable threads and one TransactWriteItems holding them all
 * (each conditioned on still being unread and free) plus the claim record; a thread someone took meanwhile is
 * dropped and the rest retried once.
 * <pre>
 * item          PK                       SK                  attributes
 * unread claim  ORG#{org}#GOAL#{goal}    UCLAIM#{claimId}    agentId, threads, untilMs   (TTL cleans it)
 * </pre>
 */
public final class UnreadClaims {
  public static final int BATCH_SIZE = 10;
  static final int WINDOW = 3 * BATCH_SIZE;
  static final int ATTEMPTS = 4;

  private final DynamoDbClient dynamo;
  private final Table table;
  private final GoalRepository goals;
  private final UnreadIndex index;
  private final GroupCache groups;
  private final Clock clock;
  private final Ids ids;

  public UnreadClaims(DynamoDbClient dynamo, Table table, GoalRepository goals, UnreadIndex index, GroupCache groups,
                      Clock clock, Ids ids) {
    this.dynamo = dynamo;
    this.table = table;
    this.goals = goals;
    this.index = index;
    this.groups = groups;
    this.clock = clock;
    this.ids = ids;
  }

  public Map<String, Object> claim(Principal agent, String goalId) {
    Instant now = clock.instant();
    String org = agent.orgId();
    Goal goal = goals.get(org, goalId).orElseThrow(() -> ApiException.notFound("Goal " + goalId));
    if (!agent.canRead(goal.groupId())) {
      throw ApiException.forbidden("You are not a member of the goal's group");
    }
    Group group = groups.get(org, goal.groupId()).orElseThrow(() -> ApiException.notFound("Group " + goal.groupId()));
    GoalSchedule.Workflows w = GoalSchedule.workflowsAt(goal, now);
    if (!w.unread()) {
      throw ApiException.conflict("workflow-closed", "The unread workflow of this goal is not open now (goal is "
          + w.status() + ")");
    }
    Hours.requireOpen(group, now);
    String pool = goal.assignmentStrategy() == AssignmentStrategy.ANYONE ? "ANY" : agent.userId();
    long until = now.plus(Duration.ofMinutes(group.unreadClaimMinutes())).toEpochMilli();
    String claimId = ids.next("u").substring(2);
    boolean contended = false;
    for (int attempt = 0; attempt < ATTEMPTS; attempt++) {
      // The oldest replies first, but a random 10 of the oldest 30 (then 60, 120, 240 after losing a race):
      // agents claiming together spread out instead of all fighting over the same head of the queue.
      List<Map<String, AttributeValue>> window = new ArrayList<>(index.claimable(org, goalId, pool, now, WINDOW << attempt));
      if (window.isEmpty()) {
        contended = false; // whatever was lost to others, nothing is waiting now
        break;
      }
      java.util.Collections.shuffle(window, java.util.concurrent.ThreadLocalRandom.current());
      List<Map<String, AttributeValue>> candidates = window.subList(0, Math.min(BATCH_SIZE, window.size()));
      List<Map<String, AttributeValue>> held = tryHold(org, goalId, claimId, candidates, agent.userId(), now, until);
      if (held.isEmpty()) {
        contended = true;
        continue;
      }
      Map<String, Object> out = new LinkedHashMap<>();
      out.put("batchId", Batch.id(goalId, WorkflowKind.UNREAD, claimId));
      out.put("workflow", WorkflowKind.UNREAD.wire());
      out.put("goalId", goalId);
      out.put("leaseExpiresAt", Instant.ofEpochMilli(until).toString());
      List<Map<String, Object>> threads = new ArrayList<>();
      for (var t : held) {
        Map<String, Object> entry = new LinkedHashMap<>();
        entry.put("threadId", str(t, ThreadRepository.A_THREAD_ID));
        entry.put("contactId", str(t, ThreadRepository.A_CONTACT_ID));
        entry.put("lastInboundAt", str(t, ThreadRepository.A_LAST_INBOUND));
        threads.add(entry);
      }
      out.put("threads", threads);
      return out;
    }
    if (contended) {
      // Replies are waiting, but other agents took each set this claim reached for: say so, not "nothing".
      throw new ApiException(503, "busy", "Try again", "Other agents claimed the waiting replies at the same "
          + "moment; claim again", List.of());
    }
    throw ApiException.conflict("nothing-to-claim", "No unread replies are waiting in this goal"
        + (goal.assignmentStrategy() == AssignmentStrategy.ASSIGNED ? " for you" : ""));
  }

  /** Holds as many candidates as still can be, in one transaction (retrying once without the lost ones). */
  private List<Map<String, AttributeValue>> tryHold(String org, String goalId, String claimId,
                                                    List<Map<String, AttributeValue>> candidates, String agentId,
                                                    Instant now, long until) {
    List<Map<String, AttributeValue>> remaining = new ArrayList<>(candidates);
    for (int round = 0; round < 2 && !remaining.isEmpty(); round++) {
      List<TransactWriteItem> writes = new ArrayList<>();
      for (var t : remaining) {
        String threadId = str(t, ThreadRepository.A_THREAD_ID);
        Instant lastInbound = Instant.parse(str(t, ThreadRepository.A_LAST_INBOUND));
        writes.add(TransactWriteItem.builder().update(software.amazon.awssdk.services.dynamodb.model.Update.builder()
            .tableName(table.name()).key(key(ThreadRepository.threadPartition(org, threadId), ThreadRepository.SK_THREAD))
            .updateExpression("SET #h = :me, #hu = :until, #gsk = :gsk")
            .conditionExpression("#unread = :t AND (attribute_not_exists(#h) OR #hu <= :now OR #h = :me)")
            .expressionAttributeNames(Map.of("#h", ThreadRepository.A_HOLDER, "#hu", ThreadRepository.A_HOLD_UNTIL,
                "#gsk", GSI1SK, "#unread", ThreadRepository.A_UNREAD))
            .expressionAttributeValues(Map.of(":me", s(agentId), ":until", n(until),
                ":gsk", s(UnreadIndex.sortKey(until, lastInbound, threadId)), ":t", AttributeValue.fromBool(true),
                ":now", n(now.toEpochMilli())))
            .build()).build());
      }
      Map<String, AttributeValue> claim = new HashMap<>(key(GoalRepository.goalPartition(org, goalId), "UCLAIM#" + claimId));
      claim.put("agentId", s(agentId));
      claim.put("threads", AttributeValue.fromSs(remaining.stream().map(t -> str(t, ThreadRepository.A_THREAD_ID)).toList()));
      claim.put("untilMs", n(until));
      claim.put(EXPIRES_AT, n(until / 1000 + 86_400));
      writes.add(TransactWriteItem.builder().put(Put.builder().tableName(table.name()).item(claim).build()).build());
      try {
        dynamo.transactWriteItems(TransactWriteItemsRequest.builder().transactItems(writes).build());
        return remaining;
      } catch (TransactionCanceledException e) {
        var reasons = e.cancellationReasons();
        List<Map<String, AttributeValue>> still = new ArrayList<>();
        for (int i = 0; i < remaining.size(); i++) {
          if (i >= reasons.size() || !"ConditionalCheckFailed".equals(reasons.get(i).code())) {
            still.add(remaining.get(i));
          }
        }
        remaining = still;
      }
    }
    return List.of();
  }

  /** Ends an unread claim early: its threads are free for any agent (of the pool) at once. */
  public void release(Principal agent, Batch.Ref ref) {
    Instant now = clock.instant();
    var res = dynamo.getItem(GetItemRequest.builder().tableName(table.name())
        .key(key(GoalRepository.goalPartition(agent.orgId(), ref.goalId()), "UCLAIM#" + ref.number()))
        .consistentRead(true).build());
    if (!res.hasItem() || res.item().isEmpty() || !agent.userId().equals(str(res.item(), "agentId"))
        || num(res.item(), "untilMs", 0) <= now.toEpochMilli()) {
      throw ApiException.conflict("batch-not-held", "You do not hold this unread claim (it may have ended)");
    }
    for (String threadId : res.item().get("threads").ss()) {
      try {
        dynamo.updateItem(UpdateItemRequest.builder().tableName(table.name())
            .key(key(ThreadRepository.threadPartition(agent.orgId(), threadId), ThreadRepository.SK_THREAD))
            .updateExpression("SET #hu = :now, #gsk = :gsk")
            .conditionExpression("#h = :me AND #unread = :t")
            .expressionAttributeNames(Map.of("#h", ThreadRepository.A_HOLDER, "#hu", ThreadRepository.A_HOLD_UNTIL,
                "#gsk", GSI1SK, "#unread", ThreadRepository.A_UNREAD))
            .expressionAttributeValues(Map.of(":me", s(agent.userId()), ":now", n(now.toEpochMilli()),
                ":t", AttributeValue.fromBool(true),
                ":gsk", s(UnreadIndex.sortKey(0, java.time.Instant.EPOCH, threadId))))
            .build());
      } catch (ConditionalCheckFailedException e) {
        // Answered or taken over meanwhile: nothing to give back.
      }
    }
  }
}
