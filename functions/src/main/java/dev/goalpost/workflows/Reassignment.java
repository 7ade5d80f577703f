package dev.goalpost.workflows;

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
 *
 * <p>Racing activation: the activation state is read first, then the thread. While the contact's page is not
 * stored, the page being built (if any) is restarted ({@link Activation#restartPage}: its transaction fails,
 * it is built again from the new assignment). Once it is stored, the contact's batch is the one its ref names —
 * or, while that page's refs are still being written ({@code refsPending}), the page's batch that holds it —
 * read by key, strongly consistent: never looked up in the open-batches index, which on DynamoDB may not show a
 * page just stored (the contact then stayed in the previous agent's batch, its ref naming it, refused to them
 * and never offered to the new agent). A contact already in its new agent's pool (activation read the new
 * assignment) stays where it is, and a repeated assignment (a client's retry after a 5xx) finishes the moves.
 * Cost: 2 UpdateItem (contact, thread) + per ASSIGNED goal 1 GetItem (state) + 1 GetItem (thread) + 1 GetItem
 * (the batch its ref names) + up to 3 writes (take out, transfer batch, ref); +1 Query of one page's batches
 * only while that page's refs are pending; or, while activation has not reached the contact, 1 conditional
 * write of the activation state instead of the batch reads and writes. Claims and sends pay nothing for it.
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
    // A repeated assignment is a client's retry of one that failed after the patch (a 5xx): the moves are
    // placed by the contact's ref, so running them again completes what the first attempt left undone.
    follow(org, groupId, contactId, before.assignedAgentId(), agentId, now);
    return after;
  }

  /** The thread and batch moves after a contact's assignment changed from {@code previous} to {@code next}. */
  @Override
  public void reassigned(String org, String groupId, String contactId, String previous, Optional<String> next,
                         Instant now) {
    if (java.util.Objects.equals(previous, next.orElse(null))) {
      return;
    }
    follow(org, groupId, contactId, previous, next, now);
  }

  private void follow(String org, String groupId, String contactId, String previous, Optional<String> next,
                      Instant now) {
    threads.followAssignment(org, groupId, contactId, previous, next, now);
    Optional<String> cursor = Optional.empty();
    do {
      Page<Goal> page = goals.listByGroup(org, groupId, 50, cursor);
      for (Goal g : page.items()) {
        GoalStatus status = GoalSchedule.statusAt(g, now);
        if (g.assignmentStrategy() == AssignmentStrategy.ASSIGNED
            && (status == GoalStatus.ACTIVE || status == GoalStatus.SCHEDULED)) {
          moveBatch(org, g, contactId, next);
        }
      }
      cursor = Optional.ofNullable(page.nextCursor());
    } while (cursor.isPresent());
  }

  /**
   * Puts the contact in the new agent's pool of an ASSIGNED goal (or only out of its batch, once unassigned).
   * The activation state is read first: either the contact's page is not stored yet (its build is restarted,
   * and reads the new assignment), or it is, and then the contact's batch is the one its thread's ref names —
   * read after the state, so a page stored before it has its refs written, or is {@code refsPending} and is read
   * whole ({@link #placed}). The batch is then read by its key, never found through the open-batches index
   * (eventually consistent on DynamoDB: it may not show a page just stored).
   */
  private void moveBatch(String org, Goal goal, String contactId, Optional<String> next) {
    WorkflowKind wf = WorkflowKind.INITIAL;
    String refName = wf.code();
    Activation.State state = activation.state(org, goal.id(), wf);
    while (!state.done() && !state.after().map(a -> a.compareTo("CONTACT#" + contactId) >= 0).orElse(false)) {
      // Activation has not stored the contact's page yet, so it will batch it under its new assignment, unless a
      // page being built right now read the contact before the change. Moving the activation's version makes
      // that page's write fail, and the page is built again from fresh (strongly consistent) reads.
      if (activation.restartPage(org, goal.id(), wf, state)) {
        return;
      }
      state = activation.state(org, goal.id(), wf); // it moved meanwhile: look again
    }
    Placement at = placed(org, goal, contactId, state);
    if (at.ref() != null && at.ref().startsWith(ThreadRepository.REF_DONE)) {
      return; // already messaged in this goal: nothing to move
    }
    boolean member = at.batch().map(b -> b.members().stream().anyMatch(x -> x.contactId().equals(contactId)))
        .orElse(false);
    if (member && next.isPresent() && next.get().equals(at.batch().get().pool())) {
      return; // already in the new agent's pool (activation read the new assignment, or this is a retry)
    }
    Batch.Entry entry = null;
    String from = at.ref();
    String zone = null; // the zone key of the batch it leaves, kept by its transfer batch (quiet hours)
    if (member) {
      batches.takeOut(org, at.batch().get(), contactId);
    }
    // Its names and zone from the batch it leaves (also when a move that failed midway took it out already).
    Optional<Batch.Entry> listed = at.batch()
        .flatMap(b -> b.contacts().stream().filter(x -> x.contactId().equals(contactId)).findFirst());
    if (listed.isPresent()) {
      entry = listed.get();
      from = at.batch().get().number();
      zone = at.batch().get().zone();
    }
    if (next.isPresent()) {
      if (entry == null) {
        entry = new Batch.Entry(contactId, null, null);
      }
      // The transfer batch first, then the ref (so the ref never names a batch that does not exist); a send
      // that messaged the contact in between wins, and the transfer batch goes again. A transfer batch is
      // replaced in place while nobody holds it; one held (the agent it leaves is working it) is left to them,
      // and the contact gets its next transfer batch instead.
      for (int k = 1; k <= Batch.MAX_TRANSFERS; k++) {
        String number = Batch.transferNumber(contactId, k);
        if (batches.putTransfer(org, goal.id(), number, next.get(), entry, zone)) {
          if (!threads.moveRef(org, goal.groupId(), contactId, goal.id(), refName, from == null ? number : from,
              number)) {
            batches.deleteTransfer(org, goal.id(), number);
          }
          return;
        }
      }
    }
  }

  /** The contact's ref in the goal (null: none) and the batch it names or, while refs are pending, holds it. */
  private record Placement(String ref, Optional<Batch> batch) {}

  /**
   * Where activation put the contact, given a state read before: the ref on its thread names its batch (1 GetItem
   * of the thread + 1 GetItem of the batch, both strongly consistent). No ref while the state read says the
   * last page's refs are pending: that page's batches are read (1 Query of the base table, consistent), since
   * its ref may be written any moment — {@link ThreadRepository#moveRef} from that batch accepts either. No ref
   * otherwise: the contact is in no batch (activation did not target it).
   */
  private Placement placed(String org, Goal goal, String contactId, Activation.State state) {
    WorkflowKind wf = WorkflowKind.INITIAL;
    String ref = threads.get(org, ThreadIds.of(goal.groupId(), contactId))
        .map(t -> t.batchRefs().get(goal.id() + "#" + wf.code())).orElse(null);
    if (ref != null) {
      return new Placement(ref, ref.startsWith(ThreadRepository.REF_DONE) ? Optional.empty()
          : batches.get(org, goal.id(), wf, ref));
    }
    if (state.refsPending() && state.page() > 0) {
      return new Placement(null, batches.pageBatches(org, goal.id(), wf, state.page() - 1).stream()
          .filter(b -> b.members().stream().anyMatch(x -> x.contactId().equals(contactId))).findFirst());
    }
    return new Placement(null, Optional.empty());
  }
}
