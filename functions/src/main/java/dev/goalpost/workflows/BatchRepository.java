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
 * Batches and leases, in the goal's partition (the one owner of both items' keys and writes).
 *
 * <pre>
 * item      PK                       SK                          GSI1PK / GSI1SK (while open)
 * batch     ORG#{org}#GOAL#{goal}    BATCH#{wf}#{number}         ORG#{org}#GOAL#{goal}#OPEN#{wf}#{pool} / {availableAtMs}#{number}
 *           attributes: goalId, workflow, number, pool, contacts (id + names), remaining, done (moved out),
 *           holder, leaseUntilMs, claims, closedAt, zone (the contacts' zone key, see Batch)
 * lease     ORG#{org}#GOAL#{goal}    HOLDER#{wf}#{agentId}       -     number, leaseUntilMs (which batch an agent holds; TTL cleans it)
 * </pre>
 *
 * {@code availableAtMs} is 0 for a batch nobody has claimed and the lease's end once claimed. "Claimable
 * now" is therefore the key range {@code GSI1SK < now}: one Query reads only claimable batches however big
 * the goal, and a lease that lapses makes its batch claimable again without any job.
 *
 * <p>A send never writes the batch (it was a ~5 KB rewrite per text): whether a contact was messaged through
 * its batch is the ref on the contact's thread ({@link ThreadRepository#batchRefName}), which the send's own
 * thread update marks done. So the batch does not know when its last contact is messaged; it is
 * {@linkplain #close closed} (out of the claimable index, {@code closedAt} set — the stream counts
 * batchesDone from it — and the holder's lease ended) when a claim finds it has nobody left: the holder's next
 * claim, or the claim that takes it after its lease lapsed. {@code claims} counts claims, so the first claim
 * answers the batch's members without reading anything more; a later one reads the members' threads (1
 * BatchGetItem) to leave out whoever was messaged.
 *
 * <p>The claim itself is a TransactWriteItems of the batch update — conditioned on members remaining, not
 * closed, no live lease (compared with the clock) and the claim count read — and the agent's lease item: two
 * agents can never hold one batch. Costs: find candidates 1 Query (≤ 5 items); claim 1 TransactWriteItems
 * (batch ~4 KB + lease: ~10 WCU); close 1 UpdateItem (batch, ~4 WCU) + 1 DeleteItem (lease, 1 WCU), once per
 * batch; release 1 TransactWriteItems.
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
  /** The zone key of the batch's contacts (absent on batches cut before it existed, and when none is known). */
  static final String A_ZONE = "zone";
  static final String A_CLAIMS = "claims";
  static final String A_CLOSED_AT = "closedAt";

  private final DynamoDbClient dynamo;
  private final Table table;

  public BatchRepository(DynamoDbClient dynamo, Table table) {
    this.dynamo = dynamo;
    this.table = table;
  }

  public static String batchSk(WorkflowKind wf, String number) {
    return "BATCH#" + wf.code() + "#" + number;
  }

  /** The key of the batch a batch id names. */
  public static Map<String, AttributeValue> batchKey(String orgId, Batch.Ref ref) {
    return key(GoalRepository.goalPartition(orgId, ref.goalId()), batchSk(ref.workflow(), ref.number()));
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
    if (b.zone() != null && !b.zone().isEmpty()) {
      item.put(A_ZONE, s(b.zone()));
    }
    item.put(GSI1PK, s(openPartition(orgId, b.goalId(), b.workflow(), b.pool())));
    item.put(GSI1SK, s(available(0, b.number())));
    return TransactWriteItem.builder().put(Put.builder().tableName(table.name()).item(item)
        .conditionExpression("attribute_not_exists(#pk)").expressionAttributeNames(Map.of("#pk", PK)).build())
        .build();
  }

  static AttributeValue entry(Batch.Entry e) {
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

  /** A pool's claimable batches now: how many, and of them those waiting for their contacts' hours, per zone key. */
  public record Claimable(int batches, Map<String, Waiting> waitingByZone) {
    public record Waiting(int batches, int contacts) {}
  }

  /**
   * Counts the batches of a pool claimable now and, per zone key that {@code zoneOpen} refuses, the batches and
   * remaining contacts waiting for their hours (goal stats). The same read as {@link #countClaimable}: 1 Query
   * per 1 MB of claimable batches (projected to zone and remaining, which shrinks the answer, not the RCU:
   * DynamoDB bills the items read, ~0.6 RCU per 5 KB batch eventually consistent).
   */
  public Claimable claimable(String orgId, String goalId, WorkflowKind wf, String pool, Instant now,
                             java.util.function.Predicate<String> zoneOpen) {
    var items = Queries.all(dynamo, QueryRequest.builder().tableName(table.name()).indexName(GSI1)
        .keyConditionExpression("#pk = :pk AND #sk < :now")
        .projectionExpression("#z, #rem")
        .expressionAttributeNames(Map.of("#pk", GSI1PK, "#sk", GSI1SK, "#z", A_ZONE, "#rem", A_REMAINING))
        .expressionAttributeValues(Map.of(":pk", s(openPartition(orgId, goalId, wf, pool)),
            ":now", s(ThreadRepository.sortMs(now.toEpochMilli() + 1))))
        .build());
    Map<String, Claimable.Waiting> waiting = new java.util.TreeMap<>();
    for (var item : items) {
      String zone = str(item, A_ZONE);
      if (zone != null && !zoneOpen.test(zone)) {
        waiting.merge(zone, new Claimable.Waiting(1, (int) num(item, A_REMAINING, 0)),
            (a, b) -> new Claimable.Waiting(a.batches() + b.batches(), a.contacts() + b.contacts()));
      }
    }
    return new Claimable(items.size(), waiting);
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

  /** Claimable batches a claim may take ({@code open}) and those it saw but must leave for now ({@code closed}). */
  public record Candidates(List<Batch> open, List<Batch> closed) {}

  /** Batches read per request once the first read turned up closed batches. */
  static final int CANDIDATE_PAGE = 25;
  /** Requests one look for candidates may make: 5 + 4 × 25 = at most 105 batches (~0.5 MB, ~70 RCU) examined. */
  static final int CANDIDATE_REQUESTS = 5;

  /**
   * Up to {@code limit} batches of the pool claimable at {@code now} that {@code open} accepts (their contacts'
   * hours hold now), from after {@code startAfter} if given. The first request reads {@code limit} batches,
   * as without a filter (and reads on for what is missing, as {@link Queries#page} does): while every zone is
   * open that is the whole cost. When some were refused it pages on, {@value #CANDIDATE_PAGE} at a time, for
   * at most {@value #CANDIDATE_REQUESTS} requests, keeping what it saw refused (for the 409 saying when the
   * next zone opens). Batches of one activation page are cut per zone,
   * so the zones interleave page by page and an open batch, if any, is normally within the first tens.
   */
  public Candidates claimableBatches(String orgId, String goalId, WorkflowKind wf, String pool, Instant now,
                                     int limit, Optional<String> startAfter,
                                     java.util.function.Predicate<Batch> open) {
    String gpk = openPartition(orgId, goalId, wf, pool);
    var req = QueryRequest.builder().tableName(table.name()).indexName(GSI1)
        .keyConditionExpression("#pk = :pk AND #sk < :now")
        .expressionAttributeNames(Map.of("#pk", GSI1PK, "#sk", GSI1SK))
        .expressionAttributeValues(Map.of(":pk", s(gpk), ":now", s(ThreadRepository.sortMs(now.toEpochMilli() + 1))));
    Map<String, AttributeValue> start = startAfter.map(number -> Map.of(
        PK, s(GoalRepository.goalPartition(orgId, goalId)), SK, s(batchSk(wf, number)),
        GSI1PK, s(gpk), GSI1SK, s(available(0, number)))).orElse(null);
    List<Batch> accepted = new ArrayList<>();
    List<Batch> refused = new ArrayList<>();
    for (int requests = 0; requests < CANDIDATE_REQUESTS && accepted.size() < limit; requests++) {
      if (start != null) {
        req.exclusiveStartKey(start);
      }
      // One request each (Queries.page with maxRequests 1), following LastEvaluatedKey here: while nothing was
      // refused exactly the reads of an unfiltered page (ask for what is missing), then 25 at a time.
      var page = Queries.page(dynamo, req.build(), refused.isEmpty() ? limit - accepted.size() : CANDIDATE_PAGE, 1);
      for (var item : page.items()) {
        Batch b = fromItem(item);
        if (!open.test(b)) {
          refused.add(b);
        } else if (accepted.size() < limit) {
          accepted.add(b);
        }
      }
      start = page.next();
      if (start == null) {
        break;
      }
    }
    return new Candidates(accepted, refused);
  }

  /** How a claim attempt ended. */
  public enum ClaimOutcome { CLAIMED, TAKEN, AGENT_HOLDS_ANOTHER }

  /**
   * Claims batch {@code number} for {@code agentId} until {@code now + LEASE}, in one transaction: the batch
   * (only if contacts remain and no lease is alive) and the agent's lease item (only if the agent holds no
   * other live batch of this workflow). Two agents never hold one batch; one agent never hoards two.
   */
  public ClaimOutcome claim(String orgId, String goalId, WorkflowKind wf, String number, String agentId, Instant now) {
    return claim(orgId, goalId, wf, number, agentId, now, -1);
  }

  /**
   * The same, also conditioned on the batch having had {@code claimsSeen} claims (−1: any), so the caller knows
   * whether it is the batch's first claim.
   */
  public ClaimOutcome claim(String orgId, String goalId, WorkflowKind wf, String number, String agentId, Instant now,
                            long claimsSeen) {
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
              .updateExpression("SET #h = :me, #lu = :until, #gsk = :gsk ADD #claims :one")
              .conditionExpression("#rem > :zero AND attribute_not_exists(#closed) AND attribute_exists(#gpk)"
                  + " AND (attribute_not_exists(#lu) OR #lu <= :now)"
                  + (claimsSeen < 0 ? "" : claimsSeen == 0 ? " AND attribute_not_exists(#claims)" : " AND #claims = :seen"))
              .expressionAttributeNames(Map.of("#h", A_HOLDER, "#lu", A_LEASE_UNTIL, "#gsk", GSI1SK,
                  "#rem", A_REMAINING, "#closed", A_CLOSED_AT, "#gpk", GSI1PK, "#claims", A_CLAIMS))
              .expressionAttributeValues(claimValues(agentId, until, number, now, claimsSeen))
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

  private static Map<String, AttributeValue> claimValues(String agentId, long until, String number, Instant now,
                                                         long claimsSeen) {
    Map<String, AttributeValue> v = new HashMap<>(Map.of(":me", s(agentId), ":until", n(until),
        ":gsk", s(available(until, number)), ":zero", n(0), ":now", n(now.toEpochMilli()), ":one", n(1)));
    if (claimsSeen > 0) {
      v.put(":seen", n(claimsSeen));
    }
    return v;
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
   * The members of {@code b} not yet messaged through it. A batch never claimed: its members (nobody could
   * send through it). Otherwise from the members' threads' refs: 1 BatchGetItem (≤ 100 threads, consistent,
   * ~100 RCU) — the rare case of a batch claimed again, or the holder asking again.
   */
  public List<Batch.Entry> remaining(String orgId, String groupId, Batch b, ThreadRepository threads) {
    if (b.claims() == 0 && b.holder() == null) {
      return b.members();
    }
    return b.remaining(threads.getAll(orgId, groupId, b.members().stream().map(Batch.Entry::contactId).toList()));
  }

  /**
   * Closes a batch nobody is left in: out of the claimable index, {@code closedAt} set (once: the stream
   * projection counts batchesDone when it appears), and the holder's lease item ended so the agent can claim the
   * next batch at once. Only by its holder under a live lease. False if it was closed already or is not held.
   * 1 UpdateItem (~4 WCU) + 1 DeleteItem (1 WCU), once per batch.
   */
  public boolean close(String orgId, Batch b, String agentId, Instant now) {
    String pk = GoalRepository.goalPartition(orgId, b.goalId());
    boolean closed;
    try {
      dynamo.updateItem(UpdateItemRequest.builder().tableName(table.name())
          .key(key(pk, batchSk(b.workflow(), b.number())))
          .updateExpression("REMOVE #gpk, #gsk SET #closed = :now")
          .conditionExpression("attribute_not_exists(#closed) AND #h = :me")
          .expressionAttributeNames(Map.of("#gpk", GSI1PK, "#gsk", GSI1SK, "#closed", A_CLOSED_AT, "#h", A_HOLDER))
          .expressionAttributeValues(Map.of(":now", s(now.toString()), ":me", s(agentId))).build());
      closed = true;
    } catch (ConditionalCheckFailedException e) {
      closed = false; // closed already (a repeated close), or another agent holds it now
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
    return closed;
  }

  /**
   * A reassignment takes a contact out of a batch (it moves to a transfer batch of its new agent): into the
   * batch's {@code done} set, {@code remaining} one less. False when it was taken out already. 1 UpdateItem.
   */
  public boolean takeOut(String orgId, Batch b, String contactId) {
    try {
      dynamo.updateItem(UpdateItemRequest.builder().tableName(table.name())
          .key(key(GoalRepository.goalPartition(orgId, b.goalId()), batchSk(b.workflow(), b.number())))
          .updateExpression("ADD #done :c SET #rem = #rem - :one")
          .conditionExpression("NOT contains(#done, :cid)")
          .expressionAttributeNames(Map.of("#done", A_DONE, "#rem", A_REMAINING))
          .expressionAttributeValues(Map.of(":c", AttributeValue.fromSs(List.of(contactId)), ":cid", s(contactId),
              ":one", n(1))).build());
      return true;
    } catch (ConditionalCheckFailedException e) {
      return false;
    }
  }

  /**
   * The Put of a reassignment's transfer batch of one contact ({@code t…}), replaced only while unclaimed. It keeps
   * the zone key of the batch its contact left ({@code zone}, null when none), so claims judge its hours too.
   */
  public boolean putTransfer(String orgId, String goalId, String number, String pool, Batch.Entry entry, String zone) {
    Map<String, AttributeValue> item = new HashMap<>(key(GoalRepository.goalPartition(orgId, goalId),
        batchSk(WorkflowKind.INITIAL, number)));
    item.put(A_GOAL_ID, s(goalId));
    item.put(A_WORKFLOW, s(WorkflowKind.INITIAL.code()));
    item.put(A_NUMBER, s(number));
    item.put(A_POOL, s(pool));
    item.put(A_CONTACTS, AttributeValue.fromL(List.of(entry(entry))));
    item.put(A_REMAINING, n(1));
    if (zone != null && !zone.isEmpty()) {
      item.put(A_ZONE, s(zone));
    }
    item.put(GSI1PK, s(openPartition(orgId, goalId, WorkflowKind.INITIAL, pool)));
    item.put(GSI1SK, s(available(0, number)));
    try {
      // A transfer batch is replaced only while nobody holds it and it is not closed.
      dynamo.putItem(PutItemRequest.builder().tableName(table.name()).item(item)
          .conditionExpression("attribute_not_exists(#pk) OR (attribute_not_exists(#lu) AND attribute_not_exists(#closed))")
          .expressionAttributeNames(Map.of("#pk", PK, "#lu", A_LEASE_UNTIL, "#closed", A_CLOSED_AT)).build());
      return true;
    } catch (ConditionalCheckFailedException e) {
      return false; // its transfer batch is being worked on right now; the send path checks the assignment
    }
  }

  /** Deletes a transfer batch nobody has claimed (its contact was messaged before its ref could move). */
  public void deleteTransfer(String orgId, String goalId, String number) {
    try {
      dynamo.deleteItem(DeleteItemRequest.builder().tableName(table.name())
          .key(key(GoalRepository.goalPartition(orgId, goalId), batchSk(WorkflowKind.INITIAL, number)))
          .conditionExpression("attribute_not_exists(#lu)").expressionAttributeNames(Map.of("#lu", A_LEASE_UNTIL))
          .build());
    } catch (ConditionalCheckFailedException e) {
      // Claimed meanwhile: the claim finds nobody left in it and closes it.
    }
  }

  /** The open batches of a pool, all pages (Queries.all: 1 Query per 1 MB of batches). */
  public List<Batch> openBatches(String orgId, String goalId, WorkflowKind wf, String pool) {
    return Queries.all(dynamo, QueryRequest.builder().tableName(table.name()).indexName(GSI1)
        .keyConditionExpression("#pk = :pk")
        .expressionAttributeNames(Map.of("#pk", GSI1PK))
        .expressionAttributeValues(Map.of(":pk", s(openPartition(orgId, goalId, wf, pool)))).build())
        .stream().map(BatchRepository::fromItem).toList();
  }

  /**
   * The batches of one activation page (their numbers start {@code {page}-}), all pages of the Query. Strongly
   * consistent: it is read right after the page's transaction (its refs still pending), and an eventually
   * consistent read could miss the page — activation would then clear {@code refsPending} with no ref written,
   * a reassignment would not find the contact's batch. Read only while a page's refs are pending (rare).
   */
  public List<Batch> pageBatches(String orgId, String goalId, WorkflowKind wf, int page) {
    return Queries.all(dynamo, QueryRequest.builder().tableName(table.name()).consistentRead(true)
        .keyConditionExpression("#pk = :pk AND begins_with(#sk, :prefix)")
        .expressionAttributeNames(Map.of("#pk", PK, "#sk", SK))
        .expressionAttributeValues(Map.of(":pk", s(GoalRepository.goalPartition(orgId, goalId)),
            ":prefix", s(batchSk(wf, String.format("%05d-", page))))).build())
        .stream().map(BatchRepository::fromItem).toList();
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
        str(item, A_POOL), contacts, done, str(item, A_HOLDER), lease == 0 ? null : Instant.ofEpochMilli(lease),
        str(item, A_ZONE), num(item, A_CLAIMS, 0));
  }
}
