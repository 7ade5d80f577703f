package dev.goalpost.workflows;

import dev.goalpost.conversations.Thread;
import dev.goalpost.conversations.ThreadIds;
import dev.goalpost.conversations.ThreadRepository;

import static dev.goalpost.platform.Table.*;

import dev.goalpost.contacts.Contact;
import dev.goalpost.contacts.ContactChanges;
import dev.goalpost.contacts.ContactRepository;
import dev.goalpost.goals.AssignmentStrategy;
import dev.goalpost.goals.Goal;
import dev.goalpost.goals.GoalRepository;
import dev.goalpost.goals.GoalSchedule;
import dev.goalpost.goals.GoalStatus;
import dev.goalpost.platform.Page;
import dev.goalpost.platform.Queries;
import dev.goalpost.platform.Table;
import dev.goalpost.platform.http.ApiException;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.*;

/**
 * Assigning, reassigning or unassigning a contact takes effect at once (the seed admits 20 minutes of delay;
 * we don't) and keeps the thread's history:
 * <ol>
 *   <li>the contact's assignment (and its agent index) changes;</li>
 *   <li>the thread follows: the previous agent's hold ends now, and an unread reply moves to the new agent's
 *       unread work (or to anyone's once unassigned);</li>
 *   <li>in every ACTIVE or SCHEDULED goal of the group with the ASSIGNED strategy where the contact was batched
 *       but not messaged yet, it leaves the previous agent's batch and gets a batch of its own in the new
 *       agent's pool. A contact the activation has not reached yet needs nothing: activation reads the
 *       assignment as it goes.</li>
 * </ol>
 * Agents who messaged the contact keep the conversation in their "All" list (their participation stays).
 * The contact's batch ref on its thread follows it to the transfer batch ({@link ThreadRepository#moveRef},
 * conditioned on the contact not yet messaged through its batch), so the previous holder's send through the
 * old batch is refused at its condition, and whether it was messaged is read from the ref, not from the
 * (stream-derived) result.
 * Cost: 2 UpdateItem (contact, thread) + per ASSIGNED goal 1 GetItem (thread) + 1 Query (the previous agent's
 * open batches) + up to 3 writes (take out, transfer batch, ref), or, while activation has not reached the
 * contact, 1 conditional write of the activation state (so a page built from the old assignment is built again).
 */
public final class Reassignment implements dev.goalpost.contacts.AssignmentListener {
  private final DynamoDbClient dynamo;
  private final Table table;
  private final ContactRepository contacts;
  private final GoalRepository goals;
  private final Activation activation;
  private final BatchRepository batches;
  private final ThreadRepository threads;

  public Reassignment(DynamoDbClient dynamo, Table table, ContactRepository contacts, GoalRepository goals,
                      Activation activation) {
    this.dynamo = dynamo;
    this.table = table;
    this.contacts = contacts;
    this.goals = goals;
    this.activation = activation;
    this.batches = new BatchRepository(dynamo, table);
    this.threads = new ThreadRepository(dynamo, table);
  }

  public Contact assign(String org, String groupId, String contactId, Optional<String> agentId, Instant now) {
    Contact before = contacts.get(org, groupId, contactId)
        .orElseThrow(() -> ApiException.notFound("Contact " + contactId + " in group " + groupId));
    ContactChanges change = new ContactChanges(Optional.empty(), Optional.empty(), Map.of(), Optional.empty(),
        List.of(), List.of(), Optional.of(agentId), Optional.empty(), Optional.empty());
    Contact after = contacts.patch(org, groupId, contactId, change, now)
        .orElseThrow(() -> ApiException.notFound("Contact " + contactId + " in group " + groupId));
    reassigned(org, groupId, contactId, before.assignedAgentId(), agentId, now);
    return after;
  }

  /** The thread and batch moves after a contact's assignment changed from {@code previous} to {@code next}. */
  @Override
  public void reassigned(String org, String groupId, String contactId, String previous, Optional<String> next,
                         Instant now) {
    if (java.util.Objects.equals(previous, next.orElse(null))) {
      return;
    }
    Optional<String> agentId = next;
    threads.followAssignment(org, groupId, contactId, previous, agentId, now);
    Optional<String> cursor = Optional.empty();
    do {
      Page<Goal> page = goals.listByGroup(org, groupId, 50, cursor);
      for (Goal g : page.items()) {
        GoalStatus status = GoalSchedule.statusAt(g, now);
        if (g.assignmentStrategy() == AssignmentStrategy.ASSIGNED
            && (status == GoalStatus.ACTIVE || status == GoalStatus.SCHEDULED)) {
          moveBatch(org, g, contactId, previous, agentId);
        }
      }
      cursor = Optional.ofNullable(page.nextCursor());
    } while (cursor.isPresent());
  }

  private void moveBatch(String org, Goal goal, String contactId, String previous, Optional<String> next) {
    String refName = WorkflowKind.INITIAL.code();
    Optional<Thread> thread = threads.get(org, ThreadIds.of(goal.groupId(), contactId));
    String ref = thread.map(t -> t.batchRefs().get(goal.id() + "#" + refName)).orElse(null);
    if (ref != null && ref.startsWith(ThreadRepository.REF_DONE)) {
      return; // already messaged in this goal: nothing to move
    }
    Activation.State state = activation.state(org, goal.id(), WorkflowKind.INITIAL);
    while (!state.done() && !state.after().map(a -> a.compareTo("CONTACT#" + contactId) >= 0).orElse(false)) {
      // Activation has not stored the contact's page yet, so it will batch it under its new assignment, unless a
      // page being built right now read the contact before the change (the chaos test caught that: the contact
      // then sat in the previous agent's batch, refused to them and never offered to the new agent). Moving the
      // activation's version makes that page's write fail, and the page is built again from fresh reads.
      if (activation.restartPage(org, goal.id(), WorkflowKind.INITIAL, state)) {
        return;
      }
      state = activation.state(org, goal.id(), WorkflowKind.INITIAL); // it moved meanwhile: look again
    }
    Batch.Entry entry = null;
    String from = ref;
    String zone = null; // the zone key of the batch it leaves, kept by its transfer batch (quiet hours)
    if (previous != null) {
      Optional<Batch> old = takeFromPool(org, goal, contactId, previous);
      if (old.isPresent()) {
        entry = old.get().contacts().stream().filter(x -> x.contactId().equals(contactId)).findFirst().orElse(null);
        from = old.get().number();
        zone = old.get().zone();
      }
    }
    if (next.isPresent()) {
      if (entry == null) {
        entry = new Batch.Entry(contactId, null, null);
      }
      String number = "t" + contactId.substring(3);
      // The transfer batch first, then the ref (so the ref never names a batch that does not exist); a send
      // that messaged the contact in between wins, and the transfer batch goes again.
      if (batches.putTransfer(org, goal.id(), number, next.get(), entry, zone)
          && !threads.moveRef(org, goal.groupId(), contactId, goal.id(), refName, from == null ? number : from, number)) {
        batches.deleteTransfer(org, goal.id(), number);
      }
    }
  }

  /** Takes the contact out of the previous agent's open batch that holds it; that batch, if any. */
  // Reads every open batch of the previous agent's pool, all pages (Queries.all: 1 Query per 1 MB of batches).
  private Optional<Batch> takeFromPool(String org, Goal goal, String contactId, String previous) {
    for (Batch b : batches.openBatches(org, goal.id(), WorkflowKind.INITIAL, previous)) {
      if (b.members().stream().anyMatch(x -> x.contactId().equals(contactId))) {
        batches.takeOut(org, b, contactId);
        return Optional.of(b);
      }
    }
    return Optional.empty();
  }
}
