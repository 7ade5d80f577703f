package dev.goalpost.workflows;

import dev.goalpost.conversations.ThreadRepository;
import dev.goalpost.conversations.UnreadIndex;

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
 * group's unread claim window.
 *
 * <p>Three requests: one UpdateItem on the goal item that reads the goal and takes a ticket (a counter and the
 * time of the previous unread claim, returned as they were), one Query of claimable threads, and one
 * TransactWriteItems holding them all (each conditioned on still being unread and free) plus the claim record.
 *
 * <p>Agents claiming together should not reach for the same threads: a transaction is all-or-nothing, so one
 * shared thread costs the whole attempt. A claim that comes alone (no unread claim of the goal by another
 * agent in the last {@link #CROWD_MS} ms) takes exactly the 10 oldest. A claim that comes in a crowd reads the oldest
 * {@link #CROWD_WINDOW} and takes the oldest threads of its own share: threads are split into shares by a hash
 * of their id (16 when the window is full, fewer as it shrinks: about 20 threads per share), and consecutive
 * tickets take different shares. So up to 16 crowded claims on a deep queue reach for different threads
 * whatever order their requests land in; they can still meet the first claim of the burst (which took the 10
 * oldest as a lone claim) if it has not landed yet, and each other when a share falls short of 10 and is
 * topped up from the newest end of the window, or when the queue is nearly empty (one share below 40 threads).
 * Whoever loses drops the threads it lost and retries the rest once, then looks again (its share, a fresh
 * view). Correctness never depends on the shares: each thread's hold is a condition of the transaction.
 *
 * <p>Authorization comes first: the ticket's update is conditioned on the goal being in one of the caller's
 * groups, so a caller who may not claim writes nothing (403). Cost: the goal update writes the goal item (1-10
 * WCU, and as much again on GSI1, where the goal is listed) even when the claim is then refused for the
 * workflow's state (409); the Query reads 10 threads alone and up to 320 in a
 * crowd; the transaction writes the threads and the claim record. A goal edit rewrites the goal item and so
 * resets the ticket, which only costs a possible collision.
 * <pre>
 * item          PK                       SK                  attributes
 * goal          ORG#{org}#GOAL#{goal}    GOAL                unreadTicket, unreadTicketAt, unreadTicketBy (set here)
 * unread claim  ORG#{org}#GOAL#{goal}    UCLAIM#{claimId}    agentId, threads, untilMs   (TTL cleans it)
 * </pre>
 */
public final class UnreadClaims {
  public static final int BATCH_SIZE = 10;
  /** A claim within this long of the previous one (by the clock) is in a crowd. */
  static final long CROWD_MS = 1_000;
  static final int SHARES = 16;
  /** Twenty threads per share on average, so a share seldom falls short of 10. */
  static final int CROWD_WINDOW = 2 * SHARES * BATCH_SIZE;
  static final int ATTEMPTS = 4;
  static final String A_TICKET = "unreadTicket";
  static final String A_TICKET_AT = "unreadTicketAt";
  static final String A_TICKET_BY = "unreadTicketBy";

  private final DynamoDbClient dynamo;
  private final Table table;
  private final UnreadIndex index;
  private final GroupCache groups;
  private final Clock clock;
  private final Ids ids;
  private final ThreadRepository threads;

  public UnreadClaims(DynamoDbClient dynamo, Table table, UnreadIndex index, GroupCache groups,
                      Clock clock, Ids ids) {
    this.dynamo = dynamo;
    this.table = table;
    this.index = index;
    this.groups = groups;
    this.clock = clock;
    this.ids = ids;
    this.threads = new ThreadRepository(dynamo, table);
  }

  public Map<String, Object> claim(Principal agent, String goalId) {
    Instant now = clock.instant();
    String org = agent.orgId();
    Ticket ticket = ticket(agent, goalId, now);
    Goal goal = ticket.goal();
    if (!agent.canRead(goal.groupId())) { // the ticket's condition already refused; kept as the rule's statement
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
    // An agent's own pool (ASSIGNED) has no one to share with.
    boolean crowd = ticket.crowd() && "ANY".equals(pool);
    boolean contended = false;
    for (int attempt = 0; attempt < ATTEMPTS; attempt++) {
      List<Map<String, AttributeValue>> window =
          index.claimable(org, goalId, pool, now, crowd ? CROWD_WINDOW : BATCH_SIZE);
      if (window.isEmpty()) {
        contended = false; // whatever was lost to others, nothing is waiting now
        break;
      }
      List<Map<String, AttributeValue>> candidates = crowd ? share(window, ticket.number()) : window;
      List<Map<String, AttributeValue>> held = tryHold(org, goalId, claimId, candidates, agent.userId(), now, until);
      if (held.isEmpty()) {
        contended = true;
        crowd = "ANY".equals(pool); // others are claiming now: keep to this ticket's share
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

  /** The goal, read by the request that took this claim's ticket, and whether another claim came just before. */
  record Ticket(Goal goal, long number, boolean crowd) {}

  /**
   * Takes a ticket, but only if the caller may claim in the goal's group: the update's condition names the
   * groups the caller is a member of (an org admin may claim in any), so a caller from another group writes
   * nothing. No extra request: a refused update returns the goal (ReturnValuesOnConditionCheckFailure) to tell
   * 403 (the goal exists, in a group not the caller's) from 404. A refused conditional write still costs its
   * WCU (1-10, as the goal item's size), but changes neither the goal nor its GSI1 entry.
   */
  private Ticket ticket(Principal agent, String goalId, Instant now) {
    String org = agent.orgId();
    String agentId = agent.userId();
    Map<String, String> names = new HashMap<>(Map.of("#t", A_TICKET, "#at", A_TICKET_AT, "#by", A_TICKET_BY, "#pk", PK));
    Map<String, AttributeValue> values = new HashMap<>(Map.of(":one", n(1), ":now", n(now.toEpochMilli()), ":me", s(agentId)));
    String condition = "attribute_exists(#pk)";
    if (!agent.isAdmin()) {
      List<String> mine = agent.groups().stream().sorted().toList();
      if (mine.isEmpty()) {
        throw refused(org, goalId);
      }
      names.put("#grp", GoalRepository.A_GROUP_ID);
      condition += " AND (" + memberOf("#grp", mine, values) + ")";
    }
    try {
      var old = dynamo.updateItem(UpdateItemRequest.builder().tableName(table.name())
          .key(GoalRepository.goalKey(org, goalId))
          .updateExpression("ADD #t :one SET #at = :now, #by = :me")
          .conditionExpression(condition)
          .expressionAttributeNames(names)
          .expressionAttributeValues(values)
          .returnValues(ReturnValue.ALL_OLD)
          .returnValuesOnConditionCheckFailure(ReturnValuesOnConditionCheckFailure.ALL_OLD).build()).attributes();
      long previousAt = num(old, A_TICKET_AT, Long.MIN_VALUE);
      // The same agent again (a quick second claim, or the SDK retrying this very update) is no crowd.
      boolean crowd = previousAt != Long.MIN_VALUE && now.toEpochMilli() - previousAt < CROWD_MS
          && !agentId.equals(str(old, A_TICKET_BY));
      return new Ticket(GoalRepository.fromItem(old), num(old, A_TICKET, 0) + 1, crowd);
    } catch (ConditionalCheckFailedException e) {
      if (e.hasItem() && !e.item().isEmpty()) {
        throw ApiException.forbidden("You are not a member of the goal's group");
      }
      throw ApiException.notFound("Goal " + goalId);
    }
  }

  /** {@code #grp IN (:g0, …)}: IN takes at most 100 operands, so more groups are OR-ed in chunks of 100. */
  static String memberOf(String name, List<String> groups, Map<String, AttributeValue> values) {
    List<String> chunks = new ArrayList<>();
    for (int from = 0; from < groups.size(); from += 100) {
      List<String> placeholders = new ArrayList<>();
      for (int i = from; i < Math.min(groups.size(), from + 100); i++) {
        placeholders.add(":g" + i);
        values.put(":g" + i, s(groups.get(i)));
      }
      chunks.add(name + " IN (" + String.join(", ", placeholders) + ")");
    }
    return String.join(" OR ", chunks);
  }

  /** A caller in no group: one read (no write) tells 403 from 404. */
  private ApiException refused(String org, String goalId) {
    var res = dynamo.getItem(GetItemRequest.builder().tableName(table.name())
        .key(GoalRepository.goalKey(org, goalId)).projectionExpression("#pk")
        .expressionAttributeNames(Map.of("#pk", PK)).build());
    return res.hasItem() && !res.item().isEmpty()
        ? ApiException.forbidden("You are not a member of the goal's group")
        : ApiException.notFound("Goal " + goalId);
  }

  /**
   * The ticket's share of a window (oldest first): the oldest 10 whose id hashes to share {@code ticket mod s},
   * topped up from the newest end. {@code s} is the largest power of two (at most 16) that leaves about 20
   * threads per share, so two crowded claims that see windows of different sizes still put each thread in
   * the same share whenever their tickets differ modulo the smaller count (top-ups excepted).
   */
  static List<Map<String, AttributeValue>> share(List<Map<String, AttributeValue>> window, long ticket) {
    int shares = Math.max(1, Math.min(SHARES, Integer.highestOneBit(Math.max(1, window.size() / (2 * BATCH_SIZE)))));
    int mine = (int) Math.floorMod(ticket, (long) shares);
    List<Map<String, AttributeValue>> out = new ArrayList<>(BATCH_SIZE);
    for (var t : window) {
      if (out.size() < BATCH_SIZE && shareOf(str(t, ThreadRepository.A_THREAD_ID), shares) == mine) {
        out.add(t);
      }
    }
    for (int i = window.size() - 1; i >= 0 && out.size() < BATCH_SIZE; i--) {
      if (!out.contains(window.get(i))) {
        out.add(window.get(i));
      }
    }
    return out;
  }

  /** A thread's share: a mix of its id's hash (String.hashCode is fixed by the language), modulo a power of two. */
  static int shareOf(String threadId, int shares) {
    int h = threadId.hashCode() * 0x9E3779B9;
    return (h ^ (h >>> 16)) & (shares - 1);
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
        writes.add(threads.unreadHoldWrite(org, threadId, agentId, now, until,
            UnreadIndex.sortKey(until, lastInbound, threadId)));
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
      // Answered or taken over meanwhile: nothing to give back (false).
      threads.releaseUnreadHold(agent.orgId(), threadId, agent.userId(), now,
          UnreadIndex.sortKey(0, java.time.Instant.EPOCH, threadId));
    }
  }
}
