package dev.goalpost.conversations;

import static dev.goalpost.platform.Table.*;

import dev.goalpost.platform.Queries;
import dev.goalpost.platform.Table;
import dev.goalpost.platform.Update;
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
 * Threads, their messages and their agents' view of them, all in the thread's own partition.
 *
 * <pre>
 * item           PK                          SK                       GSI1PK / GSI1SK
 * thread         ORG#{org}#THREAD#{thread}   THREAD                   (while unread) ORG#{org}#GOAL#{goal}#UNREAD#{pool} / {availableAtMs}#{lastInboundAtMs}#{thread}
 *                                                                      (unread, no goal, no agent) ORG#{org}#GROUP#{group}#INBOX / {lastInboundAtMs}#{thread}
 * message        ORG#{org}#THREAD#{thread}   MSG#{createdAtMs}#{id}   -
 * participation  ORG#{org}#THREAD#{thread}   AGENT#{agentId}          ORG#{org}#AGENT#{agentId}#CONVS / {lastActivityMs}#{thread}
 * </pre>
 * Participations (an agent's conversation rows) are owned by {@link Participations}: their key, their writes
 * (by the stream projection) and the conversations page; this class reads through it.
 *
 * A participation carries what an inbox row shows, so a conversations page needs no read per row: the
 * contact's name ({@code contactName}, written by the agent's send) and the latest text's first words
 * ({@code preview}, {@link Message#preview}, rewritten by every send and reply; about 100 bytes, well within
 * the participation's 1 KB write).
 *
 * The hold ({@code holder}, {@code holdUntilMs}) is compared with the clock in every condition; nothing waits
 * for a job to release it. {@code pool} is ANY, or the assigned agent's id for ASSIGNED goals, so each agent's
 * unread work is one key. {@code availableAtMs} is 0 for a free unread thread and the hold's end while it is
 * claimed, so "claimable now" is one range condition ({@code GSI1SK < now}) and an expired claim needs no job.
 *
 * <p>This class builds every thread key and the thread writes of the send path: the send's update
 * ({@link #sendWrite}, one item of the send's two-item transaction: 2 WCU while the thread stays under 1 KB —
 * its idempotency log is bounded to {@value RecentRequests#KEEP} entries of ~45 bytes for that), the batch refs
 * ({@code inBatch#{goal}#{wf}}: written by activation, {@link #markInBatch}; moved by a reassignment,
 * {@link #moveRef}; marked done by the send). Workflow names reach it as their one-letter codes, so
 * {@code conversations} imports nothing of {@code workflows}.
 *
 * <p>Costs: get thread 1 RCU; messages page: 1 Query; mark read: 1 UpdateItem; participations of a thread
 * (inbound fan-out): 1 Query; an agent's conversations page: 1 Query on GSI1; batch refs 1 UpdateItem per
 * contact (activation); the threads of a batch 1 BatchGetItem per 100 ({@link #getAll}).
 */
public final class ThreadRepository {
  public static final String SK_THREAD = "THREAD";
  public static final String A_THREAD_ID = "threadId";
  public static final String A_ORG_ID = "orgId";
  public static final String A_GROUP_ID = "groupId";
  public static final String A_CONTACT_ID = "contactId";
  public static final String A_HOLDER = "holder";
  public static final String A_HOLD_UNTIL = "holdUntilMs";
  public static final String A_UNREAD = "unread";
  public static final String A_LAST_AT = "lastMessageAt";
  public static final String A_LAST_DIRECTION = "lastDirection";
  public static final String A_LAST_INBOUND = "lastInboundAt";
  public static final String A_GOAL_ID = "goalId";
  public static final String A_ASSIGNED = "assignedAgentId";
  public static final String A_AGENTS = "agents";
  public static final String A_POOL = "pool";
  /** Prefix of the batch-ref attributes: {@code inBatch#{goalId}#{wf}} = batch number. */
  public static final String A_BATCH_REF_PREFIX = "inBatch#";
  /** The idempotency log ({@link RecentRequests}) and its version. */
  public static final String A_RECENT = "recent";
  public static final String A_RECENT_VERSION = "recentV";
  /** On participations: the contact's display name and the latest text's preview ({@link Participations}). */
  public static final String A_CONTACT_NAME = Participations.A_CONTACT_NAME;
  public static final String A_PREVIEW = Participations.A_PREVIEW;
  /** Marks an item as a thread (transactions on other items of the partition never carry it). */
  public static final String A_TYPE = "type";

  private final DynamoDbClient dynamo;
  private final Table table;

  public ThreadRepository(DynamoDbClient dynamo, Table table) {
    this.dynamo = dynamo;
    this.table = table;
  }

  public static String threadPartition(String orgId, String threadId) {
    return orgPartition(orgId) + "#THREAD#" + threadId;
  }

  public static String unreadPartition(String orgId, String goalId, String pool) {
    return orgPartition(orgId) + "#GOAL#" + goalId + "#UNREAD#" + pool;
  }

  /**
   * The group's inbox: unread threads with no goal and no agent (a reply from a contact nobody texted, or a
   * stranger's number), newest first, for review. A thread leaves it when an agent answers or opens it.
   */
  public static String inboxPartition(String orgId, String groupId) {
    return orgPartition(orgId) + "#GROUP#" + groupId + "#INBOX";
  }

  public static String conversationsPartition(String orgId, String agentId) {
    return orgPartition(orgId) + "#AGENT#" + agentId + "#CONVS";
  }

  public static String sortMs(long ms) {
    return String.format("%013d", Math.max(0, ms));
  }

  public Table table() {
    return table;
  }

  public Optional<Thread> get(String orgId, String threadId) {
    var res = dynamo.getItem(GetItemRequest.builder().tableName(table.name())
        .key(key(threadPartition(orgId, threadId), SK_THREAD)).consistentRead(true).build());
    return res.hasItem() && !res.item().isEmpty() ? Optional.of(fromItem(res.item())) : Optional.empty();
  }

  /** The newest {@code limit} messages, oldest first. */
  public List<Message> messages(String orgId, String threadId, int limit) {
    // Pages followed until `limit` messages (Queries.page: 1 Query below 1 MB, at most 10).
    var items = Queries.page(dynamo, QueryRequest.builder().tableName(table.name())
        .keyConditionExpression("#pk = :pk AND begins_with(#sk, :prefix)")
        .expressionAttributeNames(Map.of("#pk", PK, "#sk", SK))
        .expressionAttributeValues(Map.of(":pk", s(threadPartition(orgId, threadId)), ":prefix", s("MSG#")))
        .scanIndexForward(false).build(), limit, 10).items();
    List<Message> out = new ArrayList<>(items.stream().map(MessageMapper::fromItem).toList());
    java.util.Collections.reverse(out);
    return out;
  }

  /**
   * Marks the thread read for {@code agentId} (an agent opening it): the thread leaves the unread workflow
   * and the agent's participation stops being flagged. Only when nobody else holds it.
   */
  public void markRead(String orgId, String threadId, String agentId, Instant now) {
    Update u = new Update().set(A_UNREAD, AttributeValue.fromBool(false)).remove(GSI1PK).remove(GSI1SK);
    String cond = "attribute_exists(" + u.name(PK) + ") AND (attribute_not_exists(" + u.name(A_HOLDER) + ") OR "
        + u.name(A_HOLDER) + " = " + u.value(s(agentId)) + " OR " + u.name(A_HOLD_UNTIL) + " <= "
        + u.value(n(now.toEpochMilli())) + ")";
    try {
      dynamo.updateItem(UpdateItemRequest.builder().tableName(table.name())
          .key(key(threadPartition(orgId, threadId), SK_THREAD)).updateExpression(u.expression())
          .conditionExpression(cond).expressionAttributeNames(u.names()).expressionAttributeValues(u.values())
          .build());
    } catch (ConditionalCheckFailedException e) {
      // Held by someone else meanwhile, or never created: nothing to mark.
    }
    new Participations(dynamo, table).markRead(orgId, threadId, agentId);
  }

  /** The agents taking part in a thread (their participation items, {@link Participations#agents}). */
  public List<String> participants(String orgId, String threadId) {
    return new Participations(dynamo, table).agents(orgId, threadId);
  }

  /**
   * The batch-ref attribute of (goal, workflow) on a thread item ({@code workflowCode}: the workflow's one-letter
   * code). Its value is the batch number while the contact waits in that batch, and {@link #REF_DONE} + the
   * number once a send through the batch messaged it: the ref is the batch membership and the exactly-once mark.
   */
  public static String batchRefName(String goalId, String workflowCode) {
    return A_BATCH_REF_PREFIX + goalId + "#" + workflowCode;
  }

  /** Prefix of a ref whose contact was messaged through its batch. */
  public static final String REF_DONE = "+";

  static final int REF_CONCURRENCY = 16;

  /**
   * Records on each contact's thread that it waits in batch {@code number} of (goal, workflow): written once, by
   * activation when it cuts the batch (off the agents' path), before the batch can be claimed. Each write is
   * conditioned on the ref being absent or already this number, so it never undoes a send's done mark or a
   * reassignment's move, and repeating it is harmless. Creates the thread item if the contact was never texted.
   * Cost: 1 UpdateItem per contact (~1 WCU each, 16 in flight).
   */
  public void markInBatch(String orgId, String groupId, String goalId, String workflowCode, String number,
                          List<String> contactIds) {
    java.util.concurrent.Semaphore permits = new java.util.concurrent.Semaphore(REF_CONCURRENCY);
    try (var pool = java.util.concurrent.Executors.newVirtualThreadPerTaskExecutor()) {
      List<java.util.concurrent.Future<?>> futures = new ArrayList<>();
      for (String contactId : contactIds) {
        futures.add(pool.submit(() -> {
          permits.acquireUninterruptibly();
          try {
            setRef(orgId, groupId, contactId, goalId, workflowCode, Optional.of(number), number);
          } finally {
            permits.release();
          }
        }));
      }
      for (var f : futures) {
        try {
          f.get();
        } catch (java.util.concurrent.ExecutionException ex) {
          throw ex.getCause() instanceof RuntimeException r ? r : new IllegalStateException(ex.getCause());
        } catch (InterruptedException ex) {
          java.lang.Thread.currentThread().interrupt();
          throw new IllegalStateException(ex);
        }
      }
    }
  }

  /**
   * Moves a contact's ref of (goal, workflow) to batch {@code to} (a reassignment's transfer batch), only while
   * it is absent or names {@code from} (not yet messaged): false when a send messaged it first. 1 UpdateItem.
   */
  public boolean moveRef(String orgId, String groupId, String contactId, String goalId, String workflowCode,
                         String from, String to) {
    return setRef(orgId, groupId, contactId, goalId, workflowCode, Optional.of(from), to);
  }

  /**
   * Settles a contact's place in batch {@code number} without a text: it opted out (or was deactivated) after the
   * batch was cut, so no send will ever mark it. Its ref becomes done as a send's would, so the batch's remaining
   * contacts leave it out and the batch can close instead of coming back on every claim. Only while the ref is
   * absent or names that batch (the caller checked the batch lists the contact). 1 UpdateItem, ~1 WCU.
   */
  public boolean settleWithoutText(String orgId, String groupId, String contactId, String goalId, String workflowCode,
                                   String number) {
    return setRef(orgId, groupId, contactId, goalId, workflowCode, Optional.of(number), REF_DONE + number);
  }

  private boolean setRef(String orgId, String groupId, String contactId, String goalId, String workflowCode,
                         Optional<String> from, String to) {
    String threadId = ThreadIds.of(groupId, contactId);
    Update u = new Update()
        .set(A_TYPE, s("THREAD")).set(A_THREAD_ID, s(threadId)).set(A_ORG_ID, s(orgId))
        .set(A_GROUP_ID, s(groupId)).set(A_CONTACT_ID, s(contactId))
        .set(batchRefName(goalId, workflowCode), s(to));
    String ref = u.name(batchRefName(goalId, workflowCode));
    String cond = "attribute_not_exists(" + ref + ") OR " + ref + " = " + u.value(s(to))
        + from.map(f -> " OR " + ref + " = " + u.value(s(f))).orElse("");
    try {
      dynamo.updateItem(UpdateItemRequest.builder().tableName(table.name())
          .key(key(threadPartition(orgId, threadId), SK_THREAD)).updateExpression(u.expression())
          .conditionExpression(cond).expressionAttributeNames(u.names()).expressionAttributeValues(u.values())
          .build());
      return true;
    } catch (ConditionalCheckFailedException e) {
      return false; // messaged through its batch already (or moved elsewhere)
    }
  }

  /** The thread items of many contacts of a group (absent threads left out): 1 BatchGetItem per 100, consistent. */
  public Map<String, Thread> getAll(String orgId, String groupId, List<String> contactIds) {
    List<Map<String, AttributeValue>> keys = new ArrayList<>();
    for (String c : contactIds) {
      keys.add(key(threadPartition(orgId, ThreadIds.of(groupId, c)), SK_THREAD));
    }
    Map<String, Thread> out = new HashMap<>();
    for (var item : new dev.goalpost.platform.BatchReads(dynamo, table).get(keys).values()) {
      Thread t = fromItem(item);
      out.put(t.contactId(), t);
    }
    return out;
  }

  /** What an agent's send writes on the thread (see {@link #sendWrite}). */
  public record SendWrite(String orgId, String threadId, String groupId, String contactId, String agentId,
                          long holdUntilMs, String goalId, String pool, String assignedAgentId,
                          String batchGoalId, String batchWorkflowCode, String batchNumber,
                          List<String> recent, long recentVersionSeen, Instant now) {}

  /**
   * The send's update of the thread, for its transaction: held by the agent for the response window, read,
   * the agent among its participants, the request appended to the idempotency log ({@link RecentRequests}).
   * Conditioned on
   * <ul>
   *   <li>no other agent holding the thread now (two agents never both text one contact);</li>
   *   <li>for a batch send, the contact's ref naming this batch, not yet done (absent is accepted: a contact
   *       whose ref activation has not written yet); the ref becomes done — exactly once per workflow;</li>
   *   <li>the idempotency log being the one read ({@code recentV}), so a concurrent duplicate of the request
   *       fails here and finds its twin on the re-read.</li>
   * </ul>
   */
  public TransactWriteItem sendWrite(SendWrite w) {
    Update u = new Update()
        .set(A_TYPE, s("THREAD"))
        .set(A_THREAD_ID, s(w.threadId()))
        .set(A_ORG_ID, s(w.orgId()))
        .set(A_GROUP_ID, s(w.groupId()))
        .set(A_CONTACT_ID, s(w.contactId()))
        .set(A_HOLDER, s(w.agentId()))
        .set(A_HOLD_UNTIL, n(w.holdUntilMs()))
        .set(A_UNREAD, AttributeValue.fromBool(false))
        .set(A_LAST_AT, s(w.now().toString()))
        .set(A_LAST_DIRECTION, s(Message.Direction.OUTBOUND.name()))
        .set(A_RECENT, AttributeValue.fromL(w.recent().stream().map(Table::s).toList()))
        .add(A_RECENT_VERSION, n(1))
        .add(A_AGENTS, AttributeValue.fromSs(List.of(w.agentId())))
        .remove(GSI1PK).remove(GSI1SK);
    if (w.goalId() != null) {
      u.set(A_GOAL_ID, s(w.goalId()));
      u.set(A_POOL, s(w.pool()));
    }
    if (w.assignedAgentId() != null) {
      u.set(A_ASSIGNED, s(w.assignedAgentId()));
    }
    String holder = u.name(A_HOLDER);
    String v = u.name(A_RECENT_VERSION);
    String cond = "(attribute_not_exists(" + holder + ") OR " + holder + " = " + u.value(s(w.agentId())) + " OR "
        + u.name(A_HOLD_UNTIL) + " <= " + u.value(n(w.now().toEpochMilli())) + ")"
        + " AND (" + (w.recentVersionSeen() == 0 ? "attribute_not_exists(" + v + ")"
            : v + " = " + u.value(n(w.recentVersionSeen()))) + ")";
    if (w.batchNumber() != null) {
      String refName = batchRefName(w.batchGoalId(), w.batchWorkflowCode());
      u.set(refName, s(REF_DONE + w.batchNumber()));
      String ref = u.name(refName);
      cond += " AND (attribute_not_exists(" + ref + ") OR " + ref + " = " + u.value(s(w.batchNumber())) + ")";
    }
    return TransactWriteItem.builder().update(software.amazon.awssdk.services.dynamodb.model.Update.builder()
        .tableName(table.name()).key(key(threadPartition(w.orgId(), w.threadId()), SK_THREAD))
        .updateExpression(u.expression()).conditionExpression(cond)
        .expressionAttributeNames(u.names()).expressionAttributeValues(u.values()).build()).build();
  }

  /**
   * An unread claim's hold of one thread, for the claim's transaction: only while the thread is unread and
   * free (or already this agent's); it moves to {@code gsk} in the unread index (its availability).
   */
  public TransactWriteItem unreadHoldWrite(String orgId, String threadId, String agentId, Instant now, long untilMs,
                                           String gsk) {
    return TransactWriteItem.builder().update(software.amazon.awssdk.services.dynamodb.model.Update.builder()
        .tableName(table.name()).key(key(threadPartition(orgId, threadId), SK_THREAD))
        .updateExpression("SET #h = :me, #hu = :until, #gsk = :gsk")
        .conditionExpression("#unread = :t AND (attribute_not_exists(#h) OR #hu <= :now OR #h = :me)")
        .expressionAttributeNames(Map.of("#h", A_HOLDER, "#hu", A_HOLD_UNTIL, "#gsk", GSI1SK, "#unread", A_UNREAD))
        .expressionAttributeValues(Map.of(":me", s(agentId), ":until", n(untilMs), ":gsk", s(gsk),
            ":t", AttributeValue.fromBool(true), ":now", n(now.toEpochMilli())))
        .build()).build();
  }

  /** Ends an unread claim's hold on one thread now (still unread, still the agent's); false if not. 1 UpdateItem. */
  public boolean releaseUnreadHold(String orgId, String threadId, String agentId, Instant now, String gsk) {
    try {
      dynamo.updateItem(UpdateItemRequest.builder().tableName(table.name())
          .key(key(threadPartition(orgId, threadId), SK_THREAD))
          .updateExpression("SET #hu = :now, #gsk = :gsk")
          .conditionExpression("#h = :me AND #unread = :t")
          .expressionAttributeNames(Map.of("#h", A_HOLDER, "#hu", A_HOLD_UNTIL, "#gsk", GSI1SK, "#unread", A_UNREAD))
          .expressionAttributeValues(Map.of(":me", s(agentId), ":now", n(now.toEpochMilli()),
              ":t", AttributeValue.fromBool(true), ":gsk", s(gsk)))
          .build());
      return true;
    } catch (ConditionalCheckFailedException e) {
      return false; // answered or taken over meanwhile: nothing to give back
    }
  }

  /**
   * The thread follows a contact's reassignment from {@code previous} to {@code next}: the assignment and
   * pool, the previous agent's hold ends now, an unread reply moves to the new agent's unread work (or to
   * anyone's), and a reply waiting in the group's inbox goes to the new agent's conversations (their
   * participation, unread). Cost: 1 GetItem + 1 UpdateItem (+1 PutItem for the inbox case).
   */
  public void followAssignment(String org, String groupId, String contactId, String previous, Optional<String> next,
                               Instant now) {
    String threadId = ThreadIds.of(groupId, contactId);
    var key = key(threadPartition(org, threadId), SK_THREAD);
    var res = dynamo.getItem(GetItemRequest.builder().tableName(table.name()).key(key).consistentRead(true).build());
    if (!res.hasItem() || res.item().isEmpty()) {
      return;
    }
    Thread t = fromItem(res.item());
    Update u = new Update();
    if (next.isPresent()) {
      u.set(A_ASSIGNED, s(next.get()));
    } else {
      u.remove(A_ASSIGNED);
    }
    boolean assignedPool = t.pool() != null && !"ANY".equals(t.pool());
    String pool = assignedPool ? next.orElse("ANY") : t.pool();
    if (pool != null) {
      u.set(A_POOL, s(pool));
    }
    // The hold ends now for whoever is not the contact's agent any more: on assignment, anyone but the new
    // agent (the contact may have been unassigned, with an agent still inside its response window); on
    // unassignment, the previous agent.
    boolean liveHold = t.holderAgentId() != null && t.holdUntil() != null && t.holdUntil().isAfter(now);
    boolean endHold = next.map(agent -> !agent.equals(t.holderAgentId()))
        .orElse(previous != null && previous.equals(t.holderAgentId()));
    if (liveHold && endHold) {
      u.set(A_HOLD_UNTIL, n(now.toEpochMilli()));
    }
    if (t.unread() && t.goalId() != null && pool != null) {
      u.set(GSI1PK, s(unreadPartition(org, t.goalId(), pool)));
      u.set(GSI1SK, s(UnreadIndex.sortKey(0, t.lastInboundAt() == null ? now : t.lastInboundAt(), threadId)));
    }
    boolean inInbox = t.unread() && t.goalId() == null && next.isPresent();
    if (inInbox) {
      // A reply waiting in the group's inbox (no goal, no agent) goes to the new agent's conversations, unread;
      // the agent is then on the thread (its agents are its participants).
      u.remove(GSI1PK).remove(GSI1SK).add(A_AGENTS, AttributeValue.fromSs(List.of(next.get())));
    }
    if (u.expression().isEmpty()) {
      return;
    }
    dynamo.updateItem(UpdateItemRequest.builder().tableName(table.name()).key(key).updateExpression(u.expression())
        .expressionAttributeNames(u.names()).expressionAttributeValues(u.values()).build());
    if (inInbox) {
      Instant at = t.lastInboundAt() == null ? now : t.lastInboundAt();
      new Participations(dynamo, table).handedOver(org, threadId, next.get(), groupId, contactId,
          at.toEpochMilli(), at.toString());
    }
  }

  /** A page of an agent's conversations, most recent activity first ({@link Participations#page}). */
  public List<Map<String, AttributeValue>> conversations(String orgId, String agentId, boolean unreadOnly, int limit,
                                                         Map<String, AttributeValue> start) {
    return new Participations(dynamo, table).page(orgId, agentId, unreadOnly, limit, start);
  }

  public static Thread fromItem(Map<String, AttributeValue> item) {
    long hold = num(item, A_HOLD_UNTIL, 0);
    Set<String> agents = item.get(A_AGENTS) == null ? Set.of() : new HashSet<>(item.get(A_AGENTS).ss());
    Map<String, String> refs = new HashMap<>();
    item.forEach((name, value) -> {
      if (name.startsWith(A_BATCH_REF_PREFIX) && value.s() != null) {
        refs.put(name.substring(A_BATCH_REF_PREFIX.length()), value.s());
      }
    });
    return new Thread(str(item, A_THREAD_ID), str(item, A_ORG_ID), str(item, A_GROUP_ID), str(item, A_CONTACT_ID),
        str(item, A_HOLDER), hold == 0 ? null : Instant.ofEpochMilli(hold), bool(item, A_UNREAD),
        instant(item, A_LAST_AT), str(item, A_LAST_DIRECTION), instant(item, A_LAST_INBOUND), str(item, A_GOAL_ID),
        str(item, A_ASSIGNED), agents, str(item, A_POOL), Map.copyOf(refs),
        item.get(A_RECENT) == null ? List.of() : item.get(A_RECENT).l().stream().map(AttributeValue::s).toList(),
        num(item, A_RECENT_VERSION, 0));
  }

  private static Instant instant(Map<String, AttributeValue> item, String name) {
    String v = str(item, name);
    return v == null ? null : Instant.parse(v);
  }
}
