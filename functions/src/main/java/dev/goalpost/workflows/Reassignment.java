package dev.goalpost.workflows;

import dev.goalpost.conversations.Message;
import dev.goalpost.conversations.Thread;
import dev.goalpost.conversations.ThreadIds;
import dev.goalpost.conversations.ThreadRepository;
import dev.goalpost.conversations.UnreadIndex;

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
import java.util.ArrayList;
import java.util.HashMap;
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
 * Cost: 2 UpdateItem (contact, thread) + per ASSIGNED goal 1 GetItem (result) + 1 Query (the previous agent's
 * open batches) + up to 2 writes, or, while activation has not reached the contact, 1 conditional write of
 * the activation state (so a page built from the old assignment is built again).
 */
public final class Reassignment implements dev.goalpost.contacts.AssignmentListener {
  private final DynamoDbClient dynamo;
  private final Table table;
  private final ContactRepository contacts;
  private final GoalRepository goals;
  private final Activation activation;

  public Reassignment(DynamoDbClient dynamo, Table table, ContactRepository contacts, GoalRepository goals,
                      Activation activation) {
    this.dynamo = dynamo;
    this.table = table;
    this.contacts = contacts;
    this.goals = goals;
    this.activation = activation;
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
    moveThread(org, groupId, contactId, previous, agentId, now);
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

  private void moveThread(String org, String groupId, String contactId, String previous, Optional<String> next,
                          Instant now) {
    String threadId = ThreadIds.of(groupId, contactId);
    var key = key(ThreadRepository.threadPartition(org, threadId), ThreadRepository.SK_THREAD);
    var res = dynamo.getItem(GetItemRequest.builder().tableName(table.name()).key(key).consistentRead(true).build());
    if (!res.hasItem() || res.item().isEmpty()) {
      return;
    }
    Thread t = ThreadRepository.fromItem(res.item());
    dev.goalpost.platform.Update u = new dev.goalpost.platform.Update();
    if (next.isPresent()) {
      u.set(ThreadRepository.A_ASSIGNED, s(next.get()));
    } else {
      u.remove(ThreadRepository.A_ASSIGNED);
    }
    boolean assignedPool = t.pool() != null && !"ANY".equals(t.pool());
    String pool = assignedPool ? next.orElse("ANY") : t.pool();
    if (pool != null) {
      u.set(ThreadRepository.A_POOL, s(pool));
    }
    // The hold ends now for whoever is not the contact's agent any more: on assignment, anyone but the new
    // agent (the contact may have been unassigned, with an agent still inside its response window); on
    // unassignment, the previous agent.
    boolean liveHold = t.holderAgentId() != null && t.holdUntil() != null && t.holdUntil().isAfter(now);
    boolean endHold = next.map(agent -> !agent.equals(t.holderAgentId()))
        .orElse(previous != null && previous.equals(t.holderAgentId()));
    if (liveHold && endHold) {
      u.set(ThreadRepository.A_HOLD_UNTIL, n(now.toEpochMilli()));
    }
    if (t.unread() && t.goalId() != null && pool != null) {
      u.set(GSI1PK, s(ThreadRepository.unreadPartition(org, t.goalId(), pool)));
      u.set(GSI1SK, s(UnreadIndex.sortKey(0, t.lastInboundAt() == null ? now : t.lastInboundAt(), threadId)));
    }
    boolean inInbox = t.unread() && t.goalId() == null && next.isPresent();
    if (inInbox) {
      // A reply waiting in the group's inbox (no goal, no agent) goes to the new agent's conversations, unread;
      // the agent is then on the thread (its agents are its participants).
      u.remove(GSI1PK).remove(GSI1SK).add(ThreadRepository.A_AGENTS, AttributeValue.fromSs(List.of(next.get())));
    }
    if (u.expression().isEmpty()) {
      return;
    }
    dynamo.updateItem(UpdateItemRequest.builder().tableName(table.name()).key(key).updateExpression(u.expression())
        .expressionAttributeNames(u.names()).expressionAttributeValues(u.values()).build());
    if (inInbox) {
      Instant at = t.lastInboundAt() == null ? now : t.lastInboundAt();
      new dev.goalpost.conversations.Participations(dynamo, table).handedOver(org, threadId, next.get(), groupId,
          contactId, at.toEpochMilli(), at.toString());
    }
  }

  private void moveBatch(String org, Goal goal, String contactId, String previous, Optional<String> next) {
    String pk = GoalRepository.goalPartition(org, goal.id());
    var result = dynamo.getItem(GetItemRequest.builder().tableName(table.name())
        .key(key(pk, "RESULT#" + contactId)).consistentRead(true).build());
    if (result.hasItem() && bool(result.item(), "messaged")) {
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
    if (previous != null) {
      entry = takeFromPool(org, goal, contactId, previous);
    }
    if (next.isPresent()) {
      if (entry == null) {
        entry = new Batch.Entry(contactId, null, null);
      }
      String number = "t" + contactId.substring(3);
      Map<String, AttributeValue> item = new HashMap<>(key(pk, BatchRepository.batchSk(WorkflowKind.INITIAL, number)));
      item.put("goalId", s(goal.id()));
      item.put("workflow", s(WorkflowKind.INITIAL.code()));
      item.put("number", s(number));
      item.put("pool", s(next.get()));
      Map<String, AttributeValue> c = new HashMap<>(Map.of("c", s(contactId)));
      if (entry.firstName() != null) {
        c.put("f", s(entry.firstName()));
      }
      if (entry.lastName() != null) {
        c.put("l", s(entry.lastName()));
      }
      item.put("contacts", AttributeValue.fromL(List.of(AttributeValue.fromM(c))));
      item.put("remaining", n(1));
      item.put(GSI1PK, s(BatchRepository.openPartition(org, goal.id(), WorkflowKind.INITIAL, next.get())));
      item.put(GSI1SK, s(BatchRepository.available(0, number)));
      try {
        // A transfer batch is replaced only while nobody holds it and it is not done.
        dynamo.putItem(PutItemRequest.builder().tableName(table.name()).item(item)
            .conditionExpression("attribute_not_exists(#pk) OR (attribute_not_exists(#lu) AND #rem > :zero)")
            .expressionAttributeNames(Map.of("#pk", PK, "#lu", "leaseUntilMs", "#rem", "remaining"))
            .expressionAttributeValues(Map.of(":zero", n(0))).build());
      } catch (ConditionalCheckFailedException e) {
        // Its transfer batch is being worked on right now; the send path checks the assignment.
      }
    }
  }

  /** Marks the contact done in the previous agent's open batch that holds it; its snapshot for the new batch. */
  // Reads every open batch of the previous agent's pool, all pages (Queries.all: 1 Query per 1 MB of batches).
  private Batch.Entry takeFromPool(String org, Goal goal, String contactId, String previous) {
    var items = Queries.all(dynamo, QueryRequest.builder().tableName(table.name()).indexName(GSI1)
        .keyConditionExpression("#pk = :pk")
        .expressionAttributeNames(Map.of("#pk", GSI1PK))
        .expressionAttributeValues(Map.of(":pk", s(BatchRepository.openPartition(org, goal.id(), WorkflowKind.INITIAL,
            previous)))).build());
    for (var item : items) {
      Batch b = BatchRepository.fromItem(item);
      Optional<Batch.Entry> e = b.remaining().stream().filter(x -> x.contactId().equals(contactId)).findFirst();
      if (e.isPresent()) {
        try {
          dynamo.updateItem(UpdateItemRequest.builder().tableName(table.name())
              .key(key(GoalRepository.goalPartition(org, goal.id()), BatchRepository.batchSk(b.workflow(), b.number())))
              .updateExpression("ADD #done :c SET #rem = #rem - :one")
              .conditionExpression("NOT contains(#done, :cid)")
              .expressionAttributeNames(Map.of("#done", "done", "#rem", "remaining"))
              .expressionAttributeValues(Map.of(":c", AttributeValue.fromSs(List.of(contactId)), ":cid", s(contactId),
                  ":one", n(1))).build());
          new BatchRepository(dynamo, table).closeIfDone(org, b, previous);
        } catch (ConditionalCheckFailedException ignored) {
          // Messaged a moment ago.
        }
        return e.get();
      }
    }
    return null;
  }
}
