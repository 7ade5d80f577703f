package dev.goalpost.conversations;

import dev.goalpost.workflows.Batch;
import dev.goalpost.workflows.WorkflowKind;

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
 * <p>Costs: get thread 1 RCU; messages page: 1 Query; mark read: 1 UpdateItem; participations of a thread
 * (inbound fan-out): 1 Query; an agent's conversations page: 1 Query on GSI1.
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
  public static final String A_BATCH_REFS_VERSION = "batchRefsV";
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

  /** The batch-ref attribute of (goal, workflow) on a thread item. */
  public static String batchRefName(String goalId, WorkflowKind wf) {
    return A_BATCH_REF_PREFIX + goalId + "#" + wf.code();
  }

  static final int REF_CONCURRENCY = 16;

  /**
   * After a claim: records on each contact's thread that it is in batch {@code b}, so that every route that
   * texts the contact finds the batch and asks it who holds the contact (the batch is the truth; the ref
   * only finds it, and a stale ref — released, lapsed, contact done — holds nothing). Idempotent; creates the
   * thread item if the contact was never texted.
   * Cost: 1 UpdateItem per remaining contact (≤ 100, 16 at a time; ~1 WCU each).
   */
  public void markInBatch(String orgId, String groupId, Batch b) {
    java.util.concurrent.Semaphore permits = new java.util.concurrent.Semaphore(REF_CONCURRENCY);
    try (var pool = java.util.concurrent.Executors.newVirtualThreadPerTaskExecutor()) {
      List<java.util.concurrent.Future<?>> futures = new ArrayList<>();
      for (Batch.Entry e : b.remaining()) {
        futures.add(pool.submit(() -> {
          permits.acquireUninterruptibly();
          try {
            String threadId = ThreadIds.of(groupId, e.contactId());
            Update u = new Update()
                .set(A_TYPE, s("THREAD")).set(A_THREAD_ID, s(threadId)).set(A_ORG_ID, s(orgId))
                .set(A_GROUP_ID, s(groupId)).set(A_CONTACT_ID, s(e.contactId()))
                .set(batchRefName(b.goalId(), b.workflow()), s(b.number()))
                .add(A_BATCH_REFS_VERSION, n(1));
            dynamo.updateItem(UpdateItemRequest.builder().tableName(table.name())
                .key(key(threadPartition(orgId, threadId), SK_THREAD)).updateExpression(u.expression())
                .expressionAttributeNames(u.names()).expressionAttributeValues(u.values()).build());
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
        str(item, A_ASSIGNED), agents, str(item, A_POOL), Map.copyOf(refs), num(item, A_BATCH_REFS_VERSION, 0));
  }

  private static Instant instant(Map<String, AttributeValue> item, String name) {
    String v = str(item, name);
    return v == null ? null : Instant.parse(v);
  }
}
