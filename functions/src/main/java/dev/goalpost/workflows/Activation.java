package dev.goalpost.workflows;

import static dev.goalpost.platform.Table.*;

import dev.goalpost.contacts.Contact;
import dev.goalpost.contacts.ContactRepository;
import dev.goalpost.contacts.ContactZones;
import dev.goalpost.goals.AssignmentStrategy;
import dev.goalpost.goals.Goal;
import dev.goalpost.goals.GoalRepository;
import dev.goalpost.goals.GoalResult;
import dev.goalpost.goals.GoalResults;
import dev.goalpost.platform.Table;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.*;

/**
 * Fixes a goal's targeted contacts and cuts them into batches — for the initial workflow from the group's
 * contacts and the goal's targeting, for reminders from the contacts marked Yes.
 *
 * <p>It works a page at a time (up to {@value #PAGE} contacts), and each page is ONE transaction: that
 * page's new batches (each conditioned on not existing) plus the activation state (cursor, counts,
 * conditioned on the version read). A crash between pages resumes exactly after the last page stored; two
 * callers racing on the same page cannot both store it. So any caller may advance it at any time — the first
 * claim after activation does today, the scheduled transition later — and it never duplicates or loses a
 * contact. Batches hold up to 100 contacts; ANYONE goals fill one pool, ASSIGNED goals one pool per agent
 * (unassigned contacts are not targeted by an ASSIGNED goal).
 *
 * <p>Each batch is homogeneous in its contacts' hours: a page's contacts are grouped by pool and by zone key
 * ({@link ContactZones#keyOf}: the contact's {@code timeZone}, else its number's zones, sorted) before
 * batches are cut, and the batch stores the key ({@link Batch#zone}), so a claim can skip the batches whose
 * contacts are outside their hours now ({@link ClaimService}) and they simply wait in the pool. The price:
 * at most one more part-filled batch per page per zone key present (a US page of 1,000 contacts over 6 zone
 * keys makes ≤ 16 batches instead of 10; the same contacts, so the same WCU, a few more items).
 *
 * <pre>
 * item        PK                       SK                    attributes
 * activation  ORG#{org}#GOAL#{goal}    ACTIVATION#{wf}       done, after (contact/result key), page, batches, contacts, version
 * </pre>
 * Cost per page of 1,000 contacts: 1 Query (~125 RCU) + 1 GetItem (state) + 1 TransactWriteItems (~10 batches
 * of ~6 KB: ~120 WCU, ×2 for the transaction) + the batch refs on the contacts' threads after it (1 UpdateItem
 * per contact, ~1 WCU each: ~1,000 WCU per page, off the agents' path) + 1 PutItem (the state: refs written). A page whose contacts would need more than
 * {@value #MAX_BATCHES_PER_PAGE} batches (an ASSIGNED goal over many agents) is cut short and resumed: one
 * more Query + transaction per 90 agents' batches, the same WCU (each batch item is written once).
 */
public final class Activation {
  static final int PAGE = 1000;
  public static final int BATCH_SIZE = 100;
  /** A transaction holds at most 100 items; keep room for the state update. */
  static final int MAX_BATCHES_PER_PAGE = 90;

  private final DynamoDbClient dynamo;
  private final Table table;
  private final ContactRepository contacts;
  private final GoalRepository goals;
  private final BatchRepository batches;
  private final dev.goalpost.conversations.ThreadRepository threads;
  private final int pageSize;

  public Activation(DynamoDbClient dynamo, Table table, ContactRepository contacts, GoalRepository goals,
                    BatchRepository batches) {
    this(dynamo, table, contacts, goals, batches, PAGE);
  }

  /** With pages of {@code pageSize} contacts (1..{@value #PAGE}): a test walks many pages over few contacts. */
  public Activation(DynamoDbClient dynamo, Table table, ContactRepository contacts, GoalRepository goals,
                    BatchRepository batches, int pageSize) {
    if (pageSize < 1 || pageSize > PAGE) {
      throw new IllegalArgumentException("pageSize must be 1.." + PAGE + ": " + pageSize);
    }
    this.pageSize = pageSize;
    this.dynamo = dynamo;
    this.table = table;
    this.contacts = contacts;
    this.goals = goals;
    this.batches = batches;
    this.threads = new dev.goalpost.conversations.ThreadRepository(dynamo, table);
  }

  /**
   * Where an activation stands. {@code refsPending}: the last page stored still has to write its contacts'
   * batch refs (its transaction committed; the refs follow it, {@link #writeRefs}).
   */
  public record State(boolean done, Optional<String> after, int page, int batches, int contacts, long version,
                      boolean refsPending) {
    static final State NEW = new State(false, Optional.empty(), 0, 0, 0, 0);

    public State(boolean done, Optional<String> after, int page, int batches, int contacts, long version) {
      this(done, after, page, batches, contacts, version, false);
    }

    /** Whether a caller still has work here: pages to cut, or the last page's refs to write. */
    public boolean finished() {
      return done && !refsPending;
    }

    /** Where an activation starts. */
    public static State initial() {
      return NEW;
    }
  }

  static String stateSk(WorkflowKind wf) {
    return "ACTIVATION#" + wf.code();
  }

  public Map<String, AttributeValue> stateKey(String orgId, String goalId, WorkflowKind wf) {
    return key(GoalRepository.goalPartition(orgId, goalId), stateSk(wf));
  }

  public static State stateOf(Map<String, AttributeValue> item) {
    if (item == null || item.isEmpty()) {
      return State.NEW;
    }
    return new State(bool(item, "done"), Optional.ofNullable(str(item, "after")), (int) num(item, "page", 0),
        (int) num(item, "batches", 0), (int) num(item, "contacts", 0), num(item, "version", 0),
        bool(item, "refsPending"));
  }

  public State state(String orgId, String goalId, WorkflowKind wf) {
    var res = dynamo.getItem(GetItemRequest.builder().tableName(table.name())
        .key(stateKey(orgId, goalId, wf)).consistentRead(true).build());
    return stateOf(res.item());
  }

  /** Runs activation to the end (fan-out by SQS comes with the transitions). */
  public State complete(Goal goal, WorkflowKind wf) {
    State s = state(goal.orgId(), goal.id(), wf);
    while (!s.finished()) {
      s = advance(goal, wf, s);
    }
    return s;
  }

  /**
   * Stores one more page of batches, starting from {@code seen}; returns the new state. If another caller
   * stored that page first, returns the state it left (re-read), so callers simply loop until done.
   */
  public State advance(Goal goal, WorkflowKind wf, State seen) {
    String org = goal.orgId();
    if (seen.refsPending()) {
      // The previous call stored its page and stopped before its refs were all written (a crash, a timeout).
      List<Batch> page = batches.pageBatches(org, goal.id(), wf, seen.page() - 1);
      return writeRefs(goal, wf, page, seen);
    }
    if (seen.done()) {
      return seen;
    }
    // The page's contacts in key order, each with the sort key to resume after it and its pool (null: not
    // targeted).
    record Seen(String sortKey, Contact contact, String pool) {}
    List<Seen> seenContacts = new ArrayList<>();
    Optional<String> pageEnd;
    if (wf == WorkflowKind.INITIAL) {
      Map<String, Map<String, GoalResult>> results = new HashMap<>();
      for (String ref : goal.targeting().referencedGoalIds()) {
        results.put(ref, goals.results(org, ref));
      }
      ContactRepository.ContactPage page = contacts.page(org, goal.groupId(), seen.after(), pageSize);
      for (Contact c : page.contacts()) {
        boolean targeted = goal.targeting().matches(c, results);
        seenContacts.add(new Seen("CONTACT#" + c.id(), c, targeted ? pool(goal, c) : null));
      }
      pageEnd = page.after();
    } else {
      GoalRepository.YesPage page = goals.yesPage(org, goal.id(), seen.after(), pageSize);
      Map<String, Contact> byId = new HashMap<>();
      for (Contact c : contacts.getAll(org, goal.groupId(), page.contactIds())) {
        byId.put(c.id(), c);
      }
      for (String id : page.contactIds()) { // the page's order, not BatchGetItem's
        Contact c = byId.get(id);
        boolean eligible = c != null && !c.optedOut() && !c.deactivated();
        seenContacts.add(new Seen(GoalResults.sortKey(id), c, eligible ? pool(goal, c) : null));
      }
      pageEnd = page.after();
    }
    // One transaction per page holds at most MAX_BATCHES_PER_PAGE batches. An ASSIGNED goal whose page spreads
    // over many agents makes one small batch per agent, so the page is cut where the next contact would open
    // one batch too many, and the next call resumes right there: any number of agents works, at the price of
    // more (smaller) transactions — at worst one page per 90 agents.
    Map<Cut, List<Batch.Entry>> pools = new LinkedHashMap<>();
    int batchCount = 0;
    int matched = 0;
    Optional<String> after = pageEnd;
    for (int i = 0; i < seenContacts.size(); i++) {
      Seen c = seenContacts.get(i);
      if (c.pool() == null) {
        continue;
      }
      List<Batch.Entry> list = pools.computeIfAbsent(new Cut(c.pool(), ContactZones.keyOf(c.contact())),
          p -> new ArrayList<>());
      boolean opensBatch = list.size() % BATCH_SIZE == 0;
      if (opensBatch && batchCount == MAX_BATCHES_PER_PAGE) {
        after = Optional.of(seenContacts.get(i - 1).sortKey());
        break;
      }
      if (opensBatch) {
        batchCount++;
      }
      list.add(entry(c.contact()));
      matched++;
    }
    if (pools.values().stream().allMatch(List::isEmpty)) {
      pools.clear();
    }
    List<TransactWriteItem> writes = new ArrayList<>();
    List<Batch> cut = new ArrayList<>();
    int index = 0;
    for (var pool : pools.entrySet()) {
      List<Batch.Entry> list = pool.getValue();
      for (int from = 0; from < list.size(); from += BATCH_SIZE) {
        String number = String.format("%05d-%03d", seen.page(), index++);
        Batch b = new Batch(goal.id(), wf, number, pool.getKey().pool(),
            list.subList(from, Math.min(list.size(), from + BATCH_SIZE)), java.util.Set.of(), null, null,
            pool.getKey().zone());
        cut.add(b);
        writes.add(batches.putNew(org, b));
      }
    }
    State next = new State(after.isEmpty(), after, seen.page() + 1, seen.batches() + writes.size(),
        seen.contacts() + matched, seen.version() + 1, !cut.isEmpty());
    writes.add(stateWrite(org, goal.id(), wf, seen, next));
    try {
      dynamo.transactWriteItems(TransactWriteItemsRequest.builder().transactItems(writes).build());
      return cut.isEmpty() ? next : writeRefs(goal, wf, cut, next);
    } catch (TransactionCanceledException e) {
      // Another caller stored this page (or the state moved): continue from what is stored.
      return state(org, goal.id(), wf);
    }
  }

  /** Where a contact's batch is cut: its pool and its zone key ({@code ""}: no zone known). */
  record Cut(String pool, String zone) {}

  /**
   * Writes the batch ref on each contact's thread of a stored page ({@link ThreadRepository#markInBatch}:
   * what makes a contact in a live batch its holder's on every route, with no write at claim time), then clears
   * {@code refsPending}. Idempotent: a crash in between leaves {@code refsPending} set, and the next call
   * writes them again. Cost per contact: 1 UpdateItem (~1 WCU), 16 in flight; per page +1 PutItem (the state).
   * Returns the state after (re-read if it moved meanwhile).
   */
  private State writeRefs(Goal goal, WorkflowKind wf, List<Batch> page, State stored) {
    for (Batch b : page) {
      threads.markInBatch(goal.orgId(), goal.groupId(), goal.id(), wf.code(), b.number(),
          b.members().stream().map(Batch.Entry::contactId).toList());
    }
    State cleared = new State(stored.done(), stored.after(), stored.page(), stored.batches(), stored.contacts(),
        stored.version() + 1, false);
    try {
      dev.goalpost.platform.Transactions.writeRetryingConflicts(dynamo,
          List.of(stateWrite(goal.orgId(), goal.id(), wf, stored, cleared)), "The goal's batches are being built; retry");
      return cleared;
    } catch (TransactionCanceledException e) {
      return state(goal.orgId(), goal.id(), wf); // another caller cleared it (or moved on)
    }
  }

  private static String pool(Goal goal, Contact c) {
    if (goal.assignmentStrategy() == AssignmentStrategy.ANYONE) {
      return "ANY";
    }
    return c.assignedAgentId();
  }

  private static Batch.Entry entry(Contact c) {
    return new Batch.Entry(c.id(), c.firstName(), c.lastName());
  }

  /**
   * Makes the page of batches being built from {@code seen} (if any) fail its state write, so it is built again
   * from the contacts as they are now: a contact's assignment changed ahead of the activation. The state keeps
   * its progress; only its version moves. False if the state moved meanwhile (read it again and decide).
   * Cost: 1 conditional write (a one-item transaction, the same write activation makes).
   */
  public boolean restartPage(String org, String goalId, WorkflowKind wf, State seen) {
    State bumped = new State(seen.done(), seen.after(), seen.page(), seen.batches(), seen.contacts(),
        seen.version() + 1, seen.refsPending());
    try {
      dev.goalpost.platform.Transactions.writeRetryingConflicts(dynamo, List.of(stateWrite(org, goalId, wf, seen, bumped)),
          "The goal's batches are being built right now; retry");
      return true;
    } catch (TransactionCanceledException e) {
      if (dev.goalpost.platform.Transactions.failedCondition(e)) {
        return false;
      }
      throw e;
    }
  }

  private TransactWriteItem stateWrite(String org, String goalId, WorkflowKind wf, State seen, State next) {
    Map<String, AttributeValue> item = new HashMap<>(stateKey(org, goalId, wf));
    item.put("done", AttributeValue.fromBool(next.done()));
    next.after().ifPresent(a -> item.put("after", s(a)));
    item.put("page", n(next.page()));
    item.put("batches", n(next.batches()));
    item.put("contacts", n(next.contacts()));
    item.put("version", n(next.version()));
    if (next.refsPending()) {
      item.put("refsPending", AttributeValue.fromBool(true));
    }
    Put.Builder put = Put.builder().tableName(table.name()).item(item);
    if (seen.version() == 0) {
      put.conditionExpression("attribute_not_exists(#pk)").expressionAttributeNames(Map.of("#pk", PK));
    } else {
      put.conditionExpression("#v = :v").expressionAttributeNames(Map.of("#v", "version"))
          .expressionAttributeValues(Map.of(":v", n(seen.version())));
    }
    return TransactWriteItem.builder().put(put.build()).build();
  }
}
