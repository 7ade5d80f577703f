package dev.goalpost.workflows;

import dev.goalpost.conversations.ThreadRepository;

import static dev.goalpost.platform.Table.*;

import dev.goalpost.goals.GoalRepository;
import dev.goalpost.platform.Queries;
import dev.goalpost.platform.Table;
import java.time.Duration;
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
 * Batches and leases, in the goal's partition.
 *
 * <pre>
 * item      PK                       SK                          GSI1PK / GSI1SK (while contacts remain)
 * batch     ORG#{org}#GOAL#{goal}    BATCH#{wf}#{number}         ORG#{org}#GOAL#{goal}#OPEN#{wf}#{pool} / {availableAtMs}#{number}
 * lease     ORG#{org}#GOAL#{goal}    HOLDER#{wf}#{agentId}       -     (which batch an agent holds; TTL cleans it)
 * </pre>
 *
 * {@code availableAtMs} is 0 for a batch nobody has claimed and the lease's end once claimed. "Claimable
 * now" is therefore the key range {@code GSI1SK < now}: one Query reads only claimable batches however big
 * the goal, and a lease that lapses makes its batch claimable again without any job. A batch leaves the index
 * when its last contact is done.
 *
 * <p>The claim itself is a TransactWriteItems of the batch update — conditioned on contacts remaining and on
 * no live lease, compared with the clock — and the agent's lease item: two agents can never hold one batch.
 * Costs: find candidates 1 Query (≤ 5 items); claim 1 TransactWriteItems (batch ~5-10 KB → 10-20 WCU ×2);
 * mark a contact done 1 UpdateItem (inside the send transaction); release 1 TransactWriteItems.
 */
public final class BatchRepository {
  public static final Duration LEASE = Duration.ofHours(1);
  static final String A_POOL = "pool";
  static final String A_CONTACTS = "contacts";
  static final String A_DONE = "done";
  static final String A_REMAINING = "remaining";
  static final String A_HOLDER = "holder";
  static final String A_LEASE_UNTIL = "leaseUntilMs";
  static final String A_NUMBER = "number";
  static final String A_WORKFLOW = "workflow";
  static final String A_GOAL_ID = "goalId";

  private final DynamoDbClient dynamo;
  private final Table table;

  public BatchRepository(DynamoDbClient dynamo, Table table) {
    this.dynamo = dynamo;
    this.table = table;
  }

  public static String batchSk(WorkflowKind wf, String number) {
    return "BATCH#" + wf.code() + "#" + number;
  }

  static String leaseSk(WorkflowKind wf, String agentId) {
    return "HOLDER#" + wf.code() + "#" + agentId;
  }

  public static String openPartition(String orgId, String goalId, WorkflowKind wf, String pool) {
    return GoalRepository.goalPartition(orgId, goalId) + "#OPEN#" + wf.code() + "#" + pool;
  }

  public static String available(long ms, String number) {
    return ThreadRepository.sortMs(ms) + "#" + number;
  }

  /** The Put of a new batch (used by activation inside its page transaction). */
  TransactWriteItem putNew(String orgId, Batch b) {
    Map<String, AttributeValue> item = new HashMap<>(key(GoalRepository.goalPartition(orgId, b.goalId()),
        batchSk(b.workflow(), b.number())));
    item.put(A_GOAL_ID, s(b.goalId()));
    item.put(A_WORKFLOW, s(b.workflow().code()));
    item.put(A_NUMBER, s(b.number()));
    item.put(A_POOL, s(b.pool()));
    item.put(A_CONTACTS, AttributeValue.fromL(b.contacts().stream().map(BatchRepository::entry).toList()));
    item.put(A_REMAINING, n(b.contacts().size()));
    item.put(GSI1PK, s(openPartition(orgId, b.goalId(), b.workflow(), b.pool())));
    item.put(GSI1SK, s(available(0, b.number())));
    return TransactWriteItem.builder().put(Put.builder().tableName(table.name()).item(item)
        .conditionExpression("attribute_not_exists(#pk)").expressionAttributeNames(Map.of("#pk", PK)).build())
        .build();
  }

  private static AttributeValue entry(Batch.Entry e) {
    Map<String, AttributeValue> m = new HashMap<>();
    m.put("c", s(e.contactId()));
    if (e.firstName() != null) {
      m.put("f", s(e.firstName()));
    }
    if (e.lastName() != null) {
      m.put("l", s(e.lastName()));
    }
    return AttributeValue.fromM(m);
  }

  public Optional<Batch> get(String orgId, String goalId, WorkflowKind wf, String number) {
    var res = dynamo.getItem(GetItemRequest.builder().tableName(table.name())
        .key(key(GoalRepository.goalPartition(orgId, goalId), batchSk(wf, number))).consistentRead(true).build());
    return res.hasItem() && !res.item().isEmpty() ? Optional.of(fromItem(res.item())) : Optional.empty();
  }

  /** When the earliest lease of the pool ends, if every remaining batch is leased (for a precise 409). */
  public Optional<Instant> nextRelease(String orgId, String goalId, WorkflowKind wf, String pool) {
    var res = dynamo.query(QueryRequest.builder().tableName(table.name()).indexName(GSI1)
        .keyConditionExpression("#pk = :pk")
        .expressionAttributeNames(Map.of("#pk", GSI1PK))
        .expressionAttributeValues(Map.of(":pk", s(openPartition(orgId, goalId, wf, pool))))
        .limit(1).build());
    return res.items().stream().findFirst()
        .map(i -> Instant.ofEpochMilli(Long.parseLong(str(i, GSI1SK).substring(0, 13))));
  }

  /**
   * Counts the batches of a pool claimable now (for /me/workflows), over every page: 1 Query per 1 MB of
   * claimable batches read ({@link Queries#count}; a batch item is a few KB, so one Query below ~200 batches).
   */
  public int countClaimable(String orgId, String goalId, WorkflowKind wf, String pool, Instant now) {
    return Queries.count(dynamo, QueryRequest.builder().tableName(table.name()).indexName(GSI1)
        .keyConditionExpression("#pk = :pk AND #sk < :now")
        .expressionAttributeNames(Map.of("#pk", GSI1PK, "#sk", GSI1SK))
        .expressionAttributeValues(Map.of(":pk", s(openPartition(orgId, goalId, wf, pool)),
            ":now", s(ThreadRepository.sortMs(now.toEpochMilli() + 1))))
        .build());
  }

  /** Up to {@code limit} batches of the pool claimable at {@code now}, whole (eventually consistent). */
  public List<Batch> claimableBatches(String orgId, String goalId, WorkflowKind wf, String pool, Instant now,
                                      int limit) {
    return claimableBatches(orgId, goalId, wf, pool, now, limit, java.util.Optional.empty());
  }

  /**
   * The same, starting after the free batch numbered {@code startAfter} (a random point, so agents claiming
   * together spread over the pool instead of all racing for its first batches).
   */
  public List<Batch> claimableBatches(String orgId, String goalId, WorkflowKind wf, String pool, Instant now,
                                      int limit, java.util.Optional<String> startAfter) {
    String gpk = openPartition(orgId, goalId, wf, pool);
    var req = QueryRequest.builder().tableName(table.name()).indexName(GSI1)
        .keyConditionExpression("#pk = :pk AND #sk < :now")
        .expressionAttributeNames(Map.of("#pk", GSI1PK, "#sk", GSI1SK))
        .expressionAttributeValues(Map.of(":pk", s(gpk), ":now", s(ThreadRepository.sortMs(now.toEpochMilli() + 1))))
        ;
    startAfter.ifPresent(number -> req.exclusiveStartKey(Map.of(
        PK, s(GoalRepository.goalPartition(orgId, goalId)), SK, s(batchSk(wf, number)),
        GSI1PK, s(gpk), GSI1SK, s(available(0, number)))));
    // Filled across pages (Queries.page: 1 Query below 1 MB, at most 5).
    return Queries.page(dynamo, req.build(), limit, 5).items().stream().map(BatchRepository::fromItem).toList();
  }

  /** How a claim attempt ended. */
  public enum ClaimOutcome { CLAIMED, TAKEN, AGENT_HOLDS_ANOTHER }

  /**
   * Claims batch {@code number} for {@code agentId} until {@code now + LEASE}, in one transaction: the batch
   * (only if contacts remain and no lease is alive) and the agent's lease item (only if the agent holds no
   * other live batch of this workflow). Two agents never hold one batch; one agent never hoards two.
   */
  public ClaimOutcome claim(String orgId, String goalId, WorkflowKind wf, String number, String agentId, Instant now) {
    long until = now.plus(LEASE).toEpochMilli();
    String pk = GoalRepository.goalPartition(orgId, goalId);
    Map<String, AttributeValue> lease = new HashMap<>(key(pk, leaseSk(wf, agentId)));
    lease.put(A_NUMBER, s(number));
    lease.put(A_LEASE_UNTIL, n(until));
    lease.put(EXPIRES_AT, n(until / 1000 + 86_400));
    try {
      dynamo.transactWriteItems(TransactWriteItemsRequest.builder().transactItems(
          TransactWriteItem.builder().update(software.amazon.awssdk.services.dynamodb.model.Update.builder()
              .tableName(table.name()).key(key(pk, batchSk(wf, number)))
              .updateExpression("SET #h = :me, #lu = :until, #gsk = :gsk")
              .conditionExpression("#rem > :zero AND (attribute_not_exists(#lu) OR #lu <= :now)")
              .expressionAttributeNames(Map.of("#h", A_HOLDER, "#lu", A_LEASE_UNTIL, "#gsk", GSI1SK,
                  "#rem", A_REMAINING))
              .expressionAttributeValues(Map.of(":me", s(agentId), ":until", n(until),
                  ":gsk", s(available(until, number)), ":zero", n(0), ":now", n(now.toEpochMilli())))
              .build()).build(),
          TransactWriteItem.builder().put(Put.builder().tableName(table.name()).item(lease)
              .conditionExpression("attribute_not_exists(#pk) OR #lu <= :now OR #num = :number")
              .expressionAttributeNames(Map.of("#pk", PK, "#lu", A_LEASE_UNTIL, "#num", A_NUMBER))
              .expressionAttributeValues(Map.of(":now", n(now.toEpochMilli()), ":number", s(number)))
              .build()).build())
          .build());
      return ClaimOutcome.CLAIMED;
    } catch (TransactionCanceledException e) {
      var reasons = e.cancellationReasons();
      boolean leaseRefused = reasons.size() > 1 && "ConditionalCheckFailed".equals(reasons.get(1).code());
      return leaseRefused ? ClaimOutcome.AGENT_HOLDS_ANOTHER : ClaimOutcome.TAKEN;
    }
  }

  /** The batch an agent holds in this goal's workflow, if its lease is alive. */
  public Optional<String> heldNumber(Map<String, AttributeValue> leaseItem, Instant now) {
    if (leaseItem == null || leaseItem.isEmpty() || num(leaseItem, A_LEASE_UNTIL, 0) <= now.toEpochMilli()) {
      return Optional.empty();
    }
    return Optional.ofNullable(str(leaseItem, A_NUMBER));
  }

  public Map<String, AttributeValue> leaseKey(String orgId, String goalId, WorkflowKind wf, String agentId) {
    return key(GoalRepository.goalPartition(orgId, goalId), leaseSk(wf, agentId));
  }

  /** Gives the batch back at once: its remaining contacts are claimable again. False if not held by the agent. */
  public boolean release(String orgId, Batch b, String agentId, Instant now) {
    String pk = GoalRepository.goalPartition(orgId, b.goalId());
    try {
      dynamo.transactWriteItems(TransactWriteItemsRequest.builder().transactItems(
          TransactWriteItem.builder().update(software.amazon.awssdk.services.dynamodb.model.Update.builder()
              .tableName(table.name()).key(key(pk, batchSk(b.workflow(), b.number())))
              .updateExpression("REMOVE #h, #lu SET #gsk = :gsk")
              .conditionExpression("#h = :me AND #lu > :now")
              .expressionAttributeNames(Map.of("#h", A_HOLDER, "#lu", A_LEASE_UNTIL, "#gsk", GSI1SK))
              .expressionAttributeValues(Map.of(":me", s(agentId), ":now", n(now.toEpochMilli()),
                  ":gsk", s(available(0, b.number()))))
              .build()).build(),
          TransactWriteItem.builder().delete(Delete.builder().tableName(table.name())
              .key(key(pk, leaseSk(b.workflow(), agentId))).build()).build())
          .build());
      return true;
    } catch (TransactionCanceledException e) {
      return false;
    }
  }

  /**
   * The update marking {@code contactId} done in the agent's batch, for the send transaction: only while the
   * agent's lease is alive and only once per contact.
   */
  public TransactWriteItem markDone(String orgId, Batch b, String contactId, String agentId, Instant now) {
    return TransactWriteItem.builder().update(software.amazon.awssdk.services.dynamodb.model.Update.builder()
        .tableName(table.name()).key(key(GoalRepository.goalPartition(orgId, b.goalId()),
            batchSk(b.workflow(), b.number())))
        .updateExpression("ADD #done :c SET #rem = #rem - :one")
        .conditionExpression("#h = :me AND #lu > :now AND NOT contains(#done, :cid)")
        .expressionAttributeNames(Map.of("#done", A_DONE, "#rem", A_REMAINING, "#h", A_HOLDER,
            "#lu", A_LEASE_UNTIL))
        .expressionAttributeValues(Map.of(":c", AttributeValue.fromSs(List.of(contactId)), ":cid", s(contactId),
            ":one", n(1), ":me", s(agentId), ":now", n(now.toEpochMilli())))
        .build()).build();
  }

  /**
   * Takes a batch whose last contact is done out of the claimable index, and ends the agent's lease item so
   * the agent can claim the next batch at once (2 requests, only on a batch's last contact).
   */
  public boolean closeIfDone(String orgId, Batch b, String agentId) {
    return closeIfDone(orgId, b, agentId, null);
  }

  /**
   * The same, stamping {@code closedAt} (when not null) on the batch: the stream projection counts a batch done
   * when it gains it (goal stats' batchesDone).
   */
  public boolean closeIfDone(String orgId, Batch b, String agentId, java.time.Instant closedAt) {
    String pk = GoalRepository.goalPartition(orgId, b.goalId());
    Map<String, String> names = new java.util.HashMap<>(Map.of("#gpk", GSI1PK, "#gsk", GSI1SK, "#rem", A_REMAINING));
    Map<String, AttributeValue> values = new java.util.HashMap<>(Map.of(":zero", n(0)));
    String expression = "REMOVE #gpk, #gsk";
    if (closedAt != null) {
      expression = "SET #closed = :closed " + expression;
      names.put("#closed", "closedAt");
      values.put(":closed", s(closedAt.toString()));
    }
    try {
      dynamo.updateItem(UpdateItemRequest.builder().tableName(table.name())
          .key(key(pk, batchSk(b.workflow(), b.number())))
          .updateExpression(expression)
          .conditionExpression("#rem <= :zero AND attribute_exists(#gpk)")
          .expressionAttributeNames(names)
          .expressionAttributeValues(values).build());
    } catch (ConditionalCheckFailedException e) {
      return false; // contacts remain, or it was closed already
    }
    try {
      dynamo.deleteItem(DeleteItemRequest.builder().tableName(table.name())
          .key(key(pk, leaseSk(b.workflow(), agentId)))
          .conditionExpression("#num = :number")
          .expressionAttributeNames(Map.of("#num", A_NUMBER))
          .expressionAttributeValues(Map.of(":number", s(b.number()))).build());
    } catch (ConditionalCheckFailedException e) {
      // The agent already holds another batch.
    }
    return true;
  }

  public static Batch fromItem(Map<String, AttributeValue> item) {
    List<Batch.Entry> contacts = new ArrayList<>();
    for (AttributeValue v : item.get(A_CONTACTS).l()) {
      Map<String, AttributeValue> m = v.m();
      contacts.add(new Batch.Entry(m.get("c").s(), m.containsKey("f") ? m.get("f").s() : null,
          m.containsKey("l") ? m.get("l").s() : null));
    }
    Set<String> done = item.get(A_DONE) == null ? Set.of() : new HashSet<>(item.get(A_DONE).ss());
    long lease = num(item, A_LEASE_UNTIL, 0);
    return new Batch(str(item, A_GOAL_ID), WorkflowKind.ofCode(str(item, A_WORKFLOW)), str(item, A_NUMBER),
        str(item, A_POOL), contacts, done, str(item, A_HOLDER), lease == 0 ? null : Instant.ofEpochMilli(lease));
  }
}
