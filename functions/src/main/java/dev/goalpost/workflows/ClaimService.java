package dev.goalpost.workflows;

import dev.goalpost.conversations.ThreadIds;
import dev.goalpost.conversations.ThreadRepository;

import dev.goalpost.goals.AssignmentStrategy;
import dev.goalpost.goals.Goal;
import dev.goalpost.goals.GoalRepository;
import dev.goalpost.goals.GoalSchedule;
import dev.goalpost.groups.Group;
import dev.goalpost.groups.GroupCache;
import dev.goalpost.platform.BatchReads;
import dev.goalpost.platform.auth.Principal;
import dev.goalpost.platform.http.ApiException;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Claims of the initial and reminder workflows (batches of up to 100 contacts under a 1-hour lease) and
 * their early release.
 *
 * <p>The hot path is three requests: one BatchGetItem (goal, activation state, the agent's lease), one Query
 * of claimable batches (whole items, so no second read), one TransactWriteItems (batch + lease, ~10 WCU). No
 * write per contact: each contact's thread got its batch ref when activation cut the batch
 * ({@link ThreadRepository#markInBatch}), so "a contact in a live batch is its holder's on every route"
 * ({@link BatchHolds}) costs the claim nothing. The answer lists the batch's members on its first claim (nobody
 * can have messaged them through it); a batch claimed before (its lease lapsed, or released) is answered with
 * the members its threads' refs show not yet messaged: +1 BatchGetItem of ≤ 100 threads (~100 RCU), rare.
 *
 * <p>A send does not tell the batch it messaged someone, so a batch is closed when a claim finds nobody left in
 * it: the holder's next claim (+1 GetItem of the held batch, +1 BatchGetItem of its threads, +1 UpdateItem and
 * +1 DeleteItem to close it: once per batch, ~5 WCU and ~100 RCU), or the claim that takes it after its lease
 * lapsed (which then tries the next candidate). Under contention a taken candidate costs one more
 * transaction; candidates are tried in random order so twenty agents arriving together do not all race for
 * the first batch.
 *
 * <p>Quiet hours: a claim takes only batches whose contacts are inside the group's hours in their own zones
 * now (activation cuts each batch of one zone key; {@link Hours#isOpen(Group, String, Instant)}); the others
 * stay in the pool, untouched, until their zone opens. While every zone is open this costs nothing more; when
 * the first read meets closed batches it reads on, 25 at a time, up to 5 requests
 * ({@link BatchRepository#claimableBatches(String, String, WorkflowKind, String, Instant, int, Optional,
 * java.util.function.Predicate)}). When every claimable batch it saw is closed, the answer is 409
 * {@code outside-hours} naming the zones and when the next one opens.
 */
public final class ClaimService {
  static final int CANDIDATES = 5;
  static final int ATTEMPTS = 4;

  private final BatchReads reads;
  private final BatchRepository batches;
  private final Activation activation;
  private final GroupCache groups;
  private final ThreadRepository threads;
  private final Clock clock;

  public ClaimService(BatchReads reads, BatchRepository batches, Activation activation, GroupCache groups,
                      ThreadRepository threads, Clock clock) {
    this.threads = threads;
    this.reads = reads;
    this.batches = batches;
    this.activation = activation;
    this.groups = groups;
    this.clock = clock;
  }

  /** Loaded context of a claim: the goal, its group, and what the clock allows now. */
  record Context(Goal goal, Group group, GoalSchedule.Workflows workflows, Instant now) {}

  public Map<String, Object> claim(Principal agent, String goalId, WorkflowKind wf) {
    if (wf == WorkflowKind.UNREAD) {
      throw new IllegalArgumentException("unread claims are served by UnreadClaims");
    }
    Instant now = clock.instant();
    String org = agent.orgId();
    var leaseKey = batches.leaseKey(org, goalId, wf, agent.userId());
    var stateKey = activation.stateKey(org, goalId, wf);
    var items = reads.get(List.of(GoalRepository.goalKey(org, goalId), stateKey, leaseKey));
    var goalItem = items.get(BatchReads.id(GoalRepository.goalKey(org, goalId)));
    if (goalItem == null) {
      throw ApiException.notFound("Goal " + goalId);
    }
    Goal goal = GoalRepository.fromItem(goalItem);
    Context ctx = open(agent, goal, wf, now);

    Optional<String> held = batches.heldNumber(items.get(BatchReads.id(leaseKey)), now);
    if (held.isPresent()) {
      Optional<Batch> b = batches.get(org, goalId, wf, held.get());
      if (b.isPresent() && b.get().heldBy(agent.userId(), now)) {
        // Claiming again (a lost answer, or asking for the next batch): the batch while anyone is left in it;
        // once nobody is, it is closed here and the agent gets the next one.
        List<Batch.Entry> left = batches.remaining(org, goal.groupId(), b.get(), threads);
        if (!left.isEmpty()) {
          return answer(b.get(), left, b.get().leaseUntil(), ctx);
        }
        batches.close(org, b.get(), agent.userId(), now);
      }
    }
    String pool = goal.assignmentStrategy() == AssignmentStrategy.ANYONE ? "ANY" : agent.userId();
    Activation.State state = Activation.stateOf(items.get(BatchReads.id(stateKey)));
    // Only batches whose contacts are inside their hours now (each batch is of one zone key); the others wait.
    java.util.function.Predicate<Batch> inHours = b -> Hours.isOpen(ctx.group(), b.zone(), now);
    List<Batch> waiting = new ArrayList<>();
    boolean sawOpen = false;
    for (int attempt = 0; attempt < ATTEMPTS; attempt++) {
      // First look from a random point of the pool (agents arriving together spread out), then from its start.
      Optional<String> from = attempt == 0 ? randomStart(state) : Optional.empty();
      var found = batches.claimableBatches(org, goalId, wf, pool, now, CANDIDATES, from, inHours);
      waiting.addAll(found.closed());
      List<Batch> candidates = new ArrayList<>(found.open());
      if (candidates.isEmpty() && from.isPresent()) {
        found = batches.claimableBatches(org, goalId, wf, pool, now, CANDIDATES, Optional.empty(), inHours);
        waiting.addAll(found.closed());
        candidates = new ArrayList<>(found.open());
      }
      sawOpen |= !candidates.isEmpty();
      if (candidates.isEmpty() && !state.done()) {
        // Activation is still cutting batches (or has not started): add a page and look again.
        state = activation.advance(goal, wf, state);
        attempt--;
        continue;
      }
      if (candidates.isEmpty()) {
        break;
      }
      Collections.shuffle(candidates, ThreadLocalRandom.current());
      for (Batch candidate : candidates) {
        switch (batches.claim(org, goalId, wf, candidate.number(), agent.userId(), now, candidate.claims())) {
          case CLAIMED -> {
            Batch mine = new Batch(candidate.goalId(), wf, candidate.number(), candidate.pool(), candidate.contacts(),
                candidate.done(), agent.userId(), now.plus(BatchRepository.LEASE), candidate.claims() + 1);
            List<Batch.Entry> left = candidate.claims() == 0 ? candidate.members()
                : batches.remaining(org, goal.groupId(), mine, threads);
            if (left.isEmpty()) {
              // Everyone was messaged before its lease lapsed: close it and try the next candidate.
              batches.close(org, mine, agent.userId(), now);
              continue;
            }
            return answer(mine, left, mine.leaseUntil(), ctx);
          }
          case AGENT_HOLDS_ANOTHER -> throw ApiException.conflict("batch-already-held",
              "You already hold a " + wf.wire() + " batch of this goal; finish or release it first");
          case TAKEN -> {
            // Someone was faster: try the next candidate.
          }
        }
      }
    }
    if (!waiting.isEmpty() && !sawOpen) {
      // Every claimable batch seen is outside its hours (open ones all taken by others is the 409 below).
      throw outsideHours(ctx.group(), wf, waiting, now);
    }
    Optional<Instant> next = batches.nextRelease(org, goalId, wf, pool);
    throw ApiException.conflict("nothing-to-claim", next
        .map(t -> "Every remaining " + wf.wire() + " batch is claimed; the next lease ends at " + t)
        .orElse("No " + wf.wire() + " contacts are left to message in this goal"
            + (goal.assignmentStrategy() == AssignmentStrategy.ASSIGNED ? " for you" : "")));
  }

  /**
   * 409 outside-hours when every claimable batch seen is of contacts outside their hours now: which zones, and
   * when the first of them opens (the earliest over the batches seen; a zone whose window never overlaps the
   * group's own is reported as such).
   */
  static ApiException outsideHours(Group group, WorkflowKind wf, List<Batch> waiting, Instant now) {
    java.util.TreeSet<String> zones = new java.util.TreeSet<>();
    waiting.forEach(b -> zones.add(b.zone()));
    Optional<Instant> opens = Optional.empty();
    String opening = null;
    for (String zone : zones) {
      Optional<Instant> t = Hours.nextOpening(group, zone, now);
      if (t.isPresent() && (opens.isEmpty() || t.get().isBefore(opens.get()))) {
        opens = t;
        opening = zone;
      }
    }
    java.time.ZoneId closed = group.hoursOfOperation()
        .closedIn(dev.goalpost.contacts.ContactZones.fromKey(zones.first()), now).orElse(group.zone());
    String detail = "Every claimable " + wf.wire() + " batch is of contacts outside their hours now ("
        + String.join(", ", zones) + "; it is " + now.atZone(closed).toLocalTime().withNano(0)
        + " in " + closed.getId() + "); texts reach contacts only from " + group.hoursOfOperation().start() + " to "
        + group.hoursOfOperation().end() + " in their own time. "
        + (opens.isPresent() ? "The next zone opens at " + opens.get() + " (" + opening + ")"
            : "Their hours never overlap the group's (" + group.timeZone() + ")");
    return ApiException.conflict("outside-hours", detail);
  }

  /**
   * A batch number to start looking after: a random one among those cut so far, but never within the last
   * {@link #CANDIDATES} (a start there finds nothing after it and costs a second Query). Batch numbers are
   * {@code page-index}, 10 to a page of an ANYONE goal; elsewhere this is only a spreading hint.
   */
  static Optional<String> randomStart(Activation.State state) {
    int span = Math.min(state.batches(), state.page() * 10) - CANDIDATES;
    if (span < 1) {
      return Optional.empty();
    }
    int ordinal = ThreadLocalRandom.current().nextInt(span);
    return Optional.of(String.format("%05d-%03d", ordinal / 10, ordinal % 10));
  }

  /** Refuses the claim unless the workflow is open to this agent right now (SPEC §2 table, hours). */
  private Context open(Principal agent, Goal goal, WorkflowKind wf, Instant now) {
    if (!agent.canRead(goal.groupId())) {
      throw ApiException.forbidden("You are not a member of the goal's group");
    }
    Group group = groups.get(agent.orgId(), goal.groupId())
        .orElseThrow(() -> ApiException.notFound("Group " + goal.groupId()));
    GoalSchedule.Workflows w = GoalSchedule.workflowsAt(goal, now);
    boolean allowed = switch (wf) {
      case INITIAL -> w.initial();
      case REMINDERS -> w.reminders();
      case UNREAD -> w.unread();
    };
    if (!allowed) {
      throw ApiException.conflict("workflow-closed", "The " + wf.wire() + " workflow of this goal is not open now "
          + "(goal is " + w.status() + (wf == WorkflowKind.REMINDERS && w.status() == dev.goalpost.goals.GoalStatus.ACTIVE
              ? ", outside the reminder window or reminders are not enabled" : "") + ")");
    }
    Hours.requireOpen(group, now);
    return new Context(goal, group, w, now);
  }

  private static Map<String, Object> answer(Batch b, List<Batch.Entry> left, Instant leaseUntil, Context ctx) {
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("batchId", b.id());
    out.put("workflow", b.workflow().wire());
    out.put("goalId", b.goalId());
    out.put("leaseExpiresAt", leaseUntil.toString());
    List<Map<String, Object>> contacts = new ArrayList<>();
    for (Batch.Entry e : left) {
      Map<String, Object> c = new LinkedHashMap<>();
      c.put("contactId", e.contactId());
      c.put("threadId", ThreadIds.of(ctx.goal().groupId(), e.contactId()));
      c.put("firstName", e.firstName());
      c.put("lastName", e.lastName());
      contacts.add(c);
    }
    out.put("contacts", contacts);
    out.put("agentInstructions", ctx.goal().agentInstructions());
    return out;
  }

  /** Gives a held batch back at once; its unsent contacts are claimable again immediately. */
  public void release(Principal agent, String batchId) {
    Batch.Ref ref = Batch.parse(batchId);
    Instant now = clock.instant();
    Batch b = batches.get(agent.orgId(), ref.goalId(), ref.workflow(), ref.number())
        .orElseThrow(() -> ApiException.notFound("Batch " + batchId));
    if (!b.heldBy(agent.userId(), now) || !batches.release(agent.orgId(), b, agent.userId(), now)) {
      throw ApiException.conflict("batch-not-held", "You do not hold batch " + batchId + " (its lease may have ended)");
    }
  }
}
