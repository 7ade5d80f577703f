package dev.goalpost.workflows;

import dev.goalpost.conversations.Message;
import dev.goalpost.conversations.MessageMapper;
import dev.goalpost.conversations.RecentRequests;
import dev.goalpost.counters.DailySegments;
import dev.goalpost.conversations.Thread;
import dev.goalpost.conversations.ThreadIds;
import dev.goalpost.conversations.ThreadRepository;

import static dev.goalpost.platform.Table.*;

import com.fasterxml.jackson.databind.JsonNode;
import dev.goalpost.contacts.Contact;
import dev.goalpost.contacts.ContactRepository;
import dev.goalpost.goals.AssignmentStrategy;
import dev.goalpost.goals.Goal;
import dev.goalpost.goals.GoalRepository;
import dev.goalpost.goals.GoalSchedule;
import dev.goalpost.goals.Script;
import dev.goalpost.groups.Group;
import dev.goalpost.groups.GroupCache;
import dev.goalpost.messaging.OutboundQueue;
import dev.goalpost.platform.BatchReads;
import dev.goalpost.platform.Ids;
import dev.goalpost.platform.Json;
import dev.goalpost.platform.Table;
import dev.goalpost.platform.Transactions;
import dev.goalpost.platform.auth.Principal;
import dev.goalpost.platform.http.ApiException;
import dev.goalpost.scripts.MergeFieldCatalog;
import dev.goalpost.scripts.MergeFields;
import dev.goalpost.scripts.SegmentCount;
import dev.goalpost.scripts.Segments;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.*;

/**
 * An agent sends a text on a thread. Everything is checked first — the agent's group, the goal's status and
 * which scripts it allows, the workflow's batch (held by the agent, the contact in it and not yet messaged
 * through it), the thread hold, opt-out, deactivation, assignment, hours of operation — then:
 * <ol>
 *   <li>the 10DLC segments are counted for the day ({@link DailySegments}): a text that opens a conversation
 *       (initial, reminder, or free text to a contact who never wrote) reserves them within the cap — one
 *       conditional ADD on a shard of the group's day, chosen from the thread — and is refused when the day has
 *       no room; an answer to a contact who wrote is counted, never refused;</li>
 *   <li>ONE transaction of two items stores it: the message, QUEUED; and the contact's thread, held by the agent
 *       for the group's response window, read, the agent among its participants, this request appended to the
 *       thread's idempotency log — conditioned on no other agent holding the thread now (two agents never both
 *       text one contact: a TransactionConflict between them is retried by {@link Transactions}, and the loser's
 *       condition then fails: 409), and for a batch send on the contact's batch ref still naming this batch
 *       not yet done, which the update marks done: a contact is messaged once per workflow, and the batch item
 *       is never written by a send;</li>
 *   <li>if the transaction is refused, the segments are released (ADD −n);</li>
 *   <li>after the commit the text is put on the outbound queue. If that fails or the function dies first, the
 *       stream projection, which enqueues every outbound message INSERTed QUEUED, hands it over (FIFO dedup by
 *       message id; the sender only sends what it moves QUEUED → SENDING), so a stored text always leaves and
 *       an enqueue failure still answers 201.</li>
 * </ol>
 * Nothing shared is written per text but one segment shard (1/K of the group's texts each); goal and agent
 * counters, the goal result ({@code messaged}), the agent's participation and batchesDone are derived from the
 * table's stream (the message carries {@code goalId}, {@code agentId}, {@code workflow}, {@code contactName}).
 *
 * <p><b>The lease.</b> The batch's lease is checked on the batch as read with the rest (holder, lease end,
 * members), not inside the transaction: a send whose read saw a live lease can commit in the milliseconds after
 * the lease ends. That can only take a contact from the agent who claims the lapsed batch at that moment (their
 * own send then finds the ref done: 409 already-messaged); it can never text a contact twice, since the ref is
 * the exactly-once mark. Checking the lease in the transaction would cost a third item (2 WCU per send).
 *
 * <p><b>Retries</b> are safe with or without {@code Idempotency-Key}, with no extra item: the thread keeps its
 * last {@value RecentRequests#KEEP} send requests ({@link RecentRequests}: a digest of the agent and the key,
 * or of the agent and the request's JSON body, with the message it stored), checked on the read and appended by
 * the thread update, which is conditioned on the log being the one read ({@code recentV}). So a retry (a lost
 * answer, a double tap) finds its digest and gets the first answer, read back from the message (+1 GetItem, only
 * then); two copies of one request racing each other meet at that condition, and the loser, reading again, finds
 * the winner's entry. Without a key the same body from the same agent counts as a retry for
 * {@link #IMPLICIT_WINDOW}; after it the same words are a new text. With a key, for 24 hours while the entry is
 * among the thread's last {@value RecentRequests#KEEP} requests (a thread seeing 8 more texts before a retry is
 * not a case we meet; a key is scoped to its thread). A batch send is also protected by its ref.
 *
 * <p>Cost (make readiness): 1 BatchGetItem (thread, contact, goal, batch, script: ~4 RCU) + 1 UpdateItem
 * (segments, 1 WCU; +1 per further shard near the cap) + 1 TransactWriteItems (message + thread, sub-KB:
 * 2 × 2 WCU) + 1 SQS SendMessage: 3 requests, 5 WCU. A free text to a contact waiting in another batch: +1
 * BatchGetItem ({@link BatchHolds}). A retry: 1 BatchGetItem + 1 GetItem. The 80 % warning: +2 requests, a few
 * times a day per group.
 */
public final class MessageService {
  /** How long the same body to the same thread counts as a retry when no Idempotency-Key is given. */
  public static final Duration IMPLICIT_WINDOW = RecentRequests.IMPLICIT_WINDOW;
  /** Attempts of a send whose thread changed between its read and its write (another text stored meanwhile). */
  static final int ATTEMPTS = 3;

  private final DynamoDbClient dynamo;
  private final Table table;
  private final BatchReads reads;
  private final BatchRepository batches;
  private final ThreadRepository threads;
  private final GroupCache groups;
  private final OutboundQueue outbound;
  private final Clock clock;
  private final Ids ids;
  private final DailySegments segments;
  private final BatchHolds holds;

  public MessageService(DynamoDbClient dynamo, Table table, BatchRepository batches, GroupCache groups,
                        OutboundQueue outbound, Clock clock, Ids ids) {
    this.dynamo = dynamo;
    this.table = table;
    this.reads = new BatchReads(dynamo, table);
    this.holds = new BatchHolds(reads);
    this.segments = new DailySegments(dynamo, table);
    this.threads = new ThreadRepository(dynamo, table);
    this.batches = batches;
    this.groups = groups;
    this.outbound = outbound;
    this.clock = clock;
    this.ids = ids;
  }

  /** The answer and whether it is a replay of an earlier request with the same key. */
  public record Sent(int status, Map<String, Object> body) {}

  /** The thread changed between the read and the write: read again and decide again. */
  private static final class ThreadChanged extends RuntimeException {
    ThreadChanged() {
      super(null, null, false, false);
    }
  }

  public Sent send(Principal agent, String threadId, JsonNode json, Optional<String> idempotencyKey) {
    SendRequest req = SendRequest.parse(json);
    idempotencyKey.ifPresent(MessageService::checkKey);
    ThreadIds.parse(threadId);
    for (int attempt = 1; ; attempt++) {
      try {
        return sendOnce(agent, threadId, json, req, idempotencyKey);
      } catch (ThreadChanged e) {
        if (attempt >= ATTEMPTS) {
          throw ApiException.conflict("thread-busy", "Other texts were stored on this conversation at the same "
              + "moment; retry");
        }
      }
    }
  }

  private Sent sendOnce(Principal agent, String threadId, JsonNode json, SendRequest req,
                        Optional<String> idempotencyKey) {
    ThreadIds.Parts parts = ThreadIds.parse(threadId);
    requireMessenger(agent, parts.groupId());
    String org = agent.orgId();
    Instant now = clock.instant();

    Optional<Batch.Ref> batchRef = req.batchId().map(Batch::parse);
    Optional<String> goalId = batchRef.map(Batch.Ref::goalId).or(req::goalId);
    Map<String, AttributeValue> threadKey = key(ThreadRepository.threadPartition(org, threadId), ThreadRepository.SK_THREAD);
    Map<String, AttributeValue> contactKey = key(groupPartition(org, parts.groupId()), "CONTACT#" + parts.contactId());
    List<Map<String, AttributeValue>> keys = new ArrayList<>(List.of(threadKey, contactKey));
    goalId.ifPresent(g -> keys.add(GoalRepository.goalKey(org, g)));
    batchRef.ifPresent(b -> keys.add(BatchRepository.batchKey(org, b)));
    req.scriptId().filter(s -> s.startsWith("ascr_"))
        .ifPresent(s -> keys.add(AgentScripts.key(org, agent.userId(), s)));
    var items = reads.get(keys);
    // The batch the request names, as read (empty: none named, or no such batch).
    Optional<Batch> namedBatch = batchRef.map(b -> items.get(BatchReads.id(BatchRepository.batchKey(org, b))))
        .map(BatchRepository::fromItem);
    Optional<Thread> thread = Optional.ofNullable(items.get(BatchReads.id(threadKey))).map(ThreadRepository::fromItem);
    String digest = digest(agent.userId(), idempotencyKey, json);
    List<String> recent = thread.map(Thread::recent).orElse(List.of());
    Optional<RecentRequests.Entry> earlier = RecentRequests.find(recent, digest, idempotencyKey.isPresent(), now);
    if (earlier.isPresent()) {
      return replay(org, threadId, earlier.get());
    }

    Contact contact = Optional.ofNullable(items.get(BatchReads.id(contactKey))).map(ContactRepository::fromItemPublic)
        .orElseThrow(() -> ApiException.notFound("Thread " + threadId));
    Goal goal = null;
    if (goalId.isPresent()) {
      // Read with the rest when the request named it; a reply without goalId costs one more read.
      goal = Optional.ofNullable(items.get(BatchReads.id(GoalRepository.goalKey(org, goalId.get()))))
          .map(GoalRepository::fromItem).orElse(null);
      if (goal == null) {
        throw ApiException.invalid("goalId", "no goal " + goalId.get() + " in your org");
      }
    } else if (thread.map(Thread::goalId).isPresent()) {
      goal = loadGoal(org, thread.get().goalId());
    }
    if (goal != null && !goal.groupId().equals(parts.groupId())) {
      throw ApiException.invalid("goalId", "goal " + goal.id() + " belongs to another group than this thread");
    }
    Group group = groups.get(org, parts.groupId()).orElseThrow(() -> ApiException.notFound("Group " + parts.groupId()));

    // --- the rules, in the order an agent would want to hear them
    if (contact.optedOut() || contact.deactivated()) {
      namedBatch.ifPresent(b -> settleInBatch(org, parts, b));
      throw contact.optedOut()
          ? ApiException.conflict("contact-opted-out", "The contact opted out of texts; nothing was sent")
          : ApiException.conflict("contact-deactivated", "The contact is deactivated; nothing was sent");
    }
    thread.filter(t -> t.heldByOtherThan(agent.userId(), now)).ifPresent(t -> {
      throw ApiException.conflict("thread-held", "Another agent holds this conversation until " + t.holdUntil());
    });
    if (thread.isPresent()) {
      holds.heldByOther(org, thread.get(), contact.id(), agent.userId(), batchRef, now).ifPresent(h -> {
        throw ApiException.conflict("thread-held", "Another agent holds this contact in batch " + h.batchId()
            + " until " + h.until() + "; it is theirs to text until then");
      });
    }
    Hours.requireOpen(group, contact, now); // the group's hours, in its zone and in the contact's
    if (goal != null && goal.assignmentStrategy() == AssignmentStrategy.ASSIGNED
        && !agent.userId().equals(contact.assignedAgentId())) {
      throw ApiException.conflict("contact-reassigned", "The contact is assigned to another agent now");
    }
    Batch batch = null;
    String workflow = null;
    if (batchRef.isPresent()) {
      Batch.Ref ref = batchRef.get();
      batch = namedBatch.orElseThrow(() -> ApiException.notFound("Batch " + req.batchId().get()));
      requireBatchSend(batch, contact, thread, agent, goal, now);
      workflow = ref.workflow().wire();
    } else {
      workflow = WorkflowKind.UNREAD.wire();
      if (goal != null) {
        GoalSchedule.Workflows w = GoalSchedule.workflowsAt(goal, now);
        if (!w.unread()) {
          throw ApiException.conflict("workflow-closed", "Replies in this goal are closed now (goal is "
              + w.status() + ")");
        }
      }
    }
    Resolved text = resolveText(req, goal, batch, items, org, agent, now);
    String rendered = MergeFields.render(MergeFields.parse(text.body()),
        MergeValues.of(contact, agent.displayName(), group, goal));
    if (rendered.isBlank()) {
      throw ApiException.invalid(req.scriptId().isPresent() ? "scriptId" : "body", "renders to an empty text");
    }
    SegmentCount count = Segments.count(rendered);
    Message message = new Message(ids.next("msg"), threadId, Message.Direction.OUTBOUND, rendered,
        count.segments(), count.encoding().name(), Message.Status.QUEUED, agent.userId(),
        goal == null ? null : goal.id(), text.scriptId(), workflow, now, null, null,
        group.phoneNumbers().getFirst(), contact.phone());
    Map<String, Object> answer = answer(message);

    // 10DLC: every text counts. Texts that open a conversation reserve their segments within the daily cap —
    // initial and reminder sends, and free text (or an agent script) to a contact who never wrote on this
    // thread, which would otherwise be a way around the cap. Answers to a contact who wrote are never capped.
    boolean capped = batch != null || thread.map(Thread::lastInboundAt).isEmpty();
    if (group.dailySegmentCap() < message.segments() && capped) {
      throw ApiException.conflict("daily-segment-cap", "This text is " + message.segments()
          + " segments, more than the group's whole daily cap of " + group.dailySegmentCap());
    }
    DailySegments.Reservation reserved;
    if (capped) {
      reserved = segments.reserve(group, now, message.segments(), threadId).orElseThrow(() ->
          ApiException.conflict("daily-segment-cap", group.name() + " has sent its " + group.dailySegmentCap()
              + " segments for today (10DLC cap); texts that start a conversation (initial, reminder, or free text to a "
              + "contact who has not written) resume at midnight " + group.timeZone() + ". Replies are still allowed."));
    } else {
      reserved = segments.add(group, now, message.segments(), threadId);
    }

    Map<String, AttributeValue> messageItem = new HashMap<>(MessageMapper.toItem(org, message));
    if (contact.displayName() != null) {
      messageItem.put(ThreadRepository.A_CONTACT_NAME, s(contact.displayName())); // for the stream's participation
    }
    List<TransactWriteItem> writes = new ArrayList<>();
    writes.add(TransactWriteItem.builder().put(Put.builder().tableName(table.name()).item(messageItem)
        .conditionExpression("attribute_not_exists(#pk)").expressionAttributeNames(Map.of("#pk", PK)).build()).build());
    long holdUntil = now.plus(Duration.ofMinutes(group.responseWindowMinutes())).toEpochMilli();
    String pool = goal == null ? null : goal.assignmentStrategy() == AssignmentStrategy.ANYONE ? "ANY"
        : Optional.ofNullable(contact.assignedAgentId()).orElse(agent.userId());
    writes.add(threads.sendWrite(new ThreadRepository.SendWrite(org, threadId, contact.groupId(), contact.id(),
        agent.userId(), holdUntil, goal == null ? null : goal.id(), pool, contact.assignedAgentId(),
        batch == null ? null : batch.goalId(), batch == null ? null : batch.workflow().code(),
        batch == null ? null : batch.number(),
        RecentRequests.append(recent, new RecentRequests.Entry(digest, now.toEpochMilli(), message.id())),
        thread.map(Thread::recentVersion).orElse(0L), now)));
    boolean stored = false;
    try {
      Transactions.writeRetryingConflicts(dynamo, writes, "Many texts are being sent on this conversation right now; "
          + "retry with the same Idempotency-Key");
      stored = true;
    } catch (TransactionCanceledException e) {
      if (failed(e.cancellationReasons(), 1)) {
        // The thread moved since it was read (another text, a hold, the ref): decide again from a fresh read.
        throw new ThreadChanged();
      }
      throw e;
    } finally {
      if (!stored) {
        segments.release(reserved);
      }
    }
    try {
      outbound.send(ref(org, message));
    } catch (RuntimeException e) {
      // Stored: the stream projection enqueues every QUEUED outbound message it sees, so the text still leaves.
      LOG.warning("Enqueue of " + message.id() + " failed (" + e.getMessage() + "); the stream hands it over");
    }
    return new Sent(201, answer);
  }

  private static final java.util.logging.Logger LOG = java.util.logging.Logger.getLogger(MessageService.class.getName());

  private static boolean failed(List<CancellationReason> reasons, int index) {
    return index < reasons.size() && "ConditionalCheckFailed".equals(reasons.get(index).code());
  }

  private Goal loadGoal(String org, String goalId) {
    var res = reads.get(List.of(GoalRepository.goalKey(org, goalId)));
    return Optional.ofNullable(res.get(BatchReads.id(GoalRepository.goalKey(org, goalId))))
        .map(GoalRepository::fromItem).orElse(null);
  }

  /**
   * Answers a repeated request with the first answer, read back from the message it stored (1 GetItem). Nothing
   * is queued again: the first request queued it, or the stream projection does.
   */
  private Sent replay(String org, String threadId, RecentRequests.Entry first) {
    var res = dynamo.getItem(GetItemRequest.builder().tableName(table.name())
        .key(key(ThreadRepository.threadPartition(org, threadId), first.messageSortKey())).consistentRead(true).build());
    if (!res.hasItem() || res.item().isEmpty()) {
      throw new IllegalStateException("The message " + first.messageId() + " of a logged request is not stored");
    }
    Message m = MessageMapper.fromItem(res.item());
    Map<String, Object> body = answer(m);
    body.put("status", Message.Status.QUEUED.name()); // what the first answer said
    return new Sent(201, body);
  }

  private static void requireMessenger(Principal p, String groupId) {
    // The caller's role IN THIS group (agent or manager); an admin who is no member reviews, never texts.
    if (!p.isMember(groupId)) {
      throw ApiException.forbidden("Only agents and managers of the thread's group message contacts; admins review");
    }
  }

  private static void checkKey(String key) {
    if (key.isBlank() || key.length() > 200) {
      throw ApiException.invalid("Idempotency-Key", "must be 1 to 200 characters");
    }
  }

  /**
   * A contact who can no longer be texted (opted out, deactivated) leaves the batch the refused send named, if
   * that batch lists it: its ref is settled without a text ({@link ThreadRepository#settleWithoutText}), so the
   * batch's remaining contacts do not include it and the batch closes once the others are texted. +1 UpdateItem
   * on this refusal only.
   */
  private void settleInBatch(String org, ThreadIds.Parts parts, Batch batch) {
    if (batch.members().stream().anyMatch(e -> e.contactId().equals(parts.contactId()))) {
      threads.settleWithoutText(org, parts.groupId(), parts.contactId(), batch.goalId(), batch.workflow().code(),
          batch.number());
    }
  }

  private void requireBatchSend(Batch batch, Contact contact, Optional<Thread> thread, Principal agent, Goal goal,
                                Instant now) {
    if (!batch.heldBy(agent.userId(), now)) {
      throw ApiException.conflict("batch-lease-lost", "You do not hold batch " + batch.id()
          + " (its lease may have ended); claim again");
    }
    if (batch.contacts().stream().noneMatch(e -> e.contactId().equals(contact.id()))) {
      throw ApiException.invalid("batchId", "the contact is not in batch " + batch.id());
    }
    String ref = thread.map(t -> t.batchRefs().get(batch.goalId() + "#" + batch.workflow().code())).orElse(null);
    if ((ThreadRepository.REF_DONE + batch.number()).equals(ref)) {
      throw ApiException.conflict("already-messaged", "This contact was already messaged in this batch");
    }
    if (batch.done().contains(contact.id()) || (ref != null && !ref.equals(batch.number()))) {
      throw ApiException.conflict(ref != null && ref.startsWith(ThreadRepository.REF_DONE) ? "already-messaged"
          : "contact-reassigned", "This contact is no longer in batch " + batch.id()
          + (ref != null && ref.startsWith(ThreadRepository.REF_DONE) ? " (already messaged in this workflow)"
              : " (it moved to another batch)"));
    }
    GoalSchedule.Workflows w = GoalSchedule.workflowsAt(goal, now);
    boolean open = batch.workflow() == WorkflowKind.INITIAL ? w.initial() : w.reminders();
    if (!open) {
      throw ApiException.conflict("workflow-closed", "The " + batch.workflow().wire()
          + " workflow of this goal is not open now (goal is " + w.status() + ")");
    }
  }

  private record Resolved(String body, String scriptId) {}

  /** The text to send: free text, an agent's own script, or one of the goal's scripts the status allows. */
  private Resolved resolveText(SendRequest req, Goal goal, Batch batch, Map<String, Map<String, AttributeValue>> items,
                               String org, Principal agent, Instant now) {
    if (req.body().isPresent()) {
      if (batch != null) {
        throw ApiException.invalid("body", "batch sends use the goal's scripts: give scriptId");
      }
      return new Resolved(req.body().get(), null);
    }
    String scriptId = req.scriptId().get();
    if (scriptId.startsWith("ascr_")) {
      if (batch != null) {
        throw ApiException.invalid("scriptId", "batch sends use the goal's " + batch.workflow().wire() + " scripts");
      }
      return AgentScripts.fromNullable(items.get(BatchReads.id(AgentScripts.key(org, agent.userId(), scriptId))))
          .map(s -> new Resolved(s.body(), s.id()))
          .orElseThrow(() -> ApiException.invalid("scriptId", "you have no script " + scriptId));
    }
    if (goal == null) {
      throw ApiException.invalid("scriptId", "a goal script needs the goal: give goalId");
    }
    GoalSchedule.Workflows w = GoalSchedule.workflowsAt(goal, now);
    if (w.scripts() != GoalSchedule.ScriptAccess.ALL) {
      throw ApiException.conflict("scripts-unavailable", "The goal's scripts are not available now (goal is "
          + w.status() + "); use free text or your own scripts");
    }
    List<Script> allowed = batch == null
        ? concat(goal.scripts().response(), goal.scripts().additionalResponse(), goal.scripts().initial())
        : batch.workflow() == WorkflowKind.INITIAL ? goal.scripts().initial() : goal.scripts().reminder();
    return allowed.stream().filter(s -> s.id().equals(scriptId)).findFirst()
        .map(s -> new Resolved(s.body(), s.id()))
        .orElseThrow(() -> ApiException.invalid("scriptId", "no script " + scriptId + " may be used here"
            + (batch == null ? "" : " (" + batch.workflow().wire() + " sends use the goal's "
            + batch.workflow().wire() + " scripts)")));
  }

  @SafeVarargs
  private static List<Script> concat(List<Script>... lists) {
    List<Script> out = new ArrayList<>();
    for (List<Script> l : lists) {
      out.addAll(l);
    }
    return out;
  }

  /**
   * The request's digest in the thread's log: the agent and the Idempotency-Key, or the agent and the JSON body
   * (object fields in name order). 10 base-32 characters of SHA-256: a collision would have to happen between two
   * requests of one agent on one thread within the window.
   */
  static String digest(String agentId, Optional<String> idempotencyKey, JsonNode body) {
    String natural = idempotencyKey.map(k -> "K\n" + agentId + "\n" + k)
        .orElseGet(() -> "B\n" + agentId + "\n" + (body == null ? "" : Json.write(canonical(body))));
    return Ids.derived("r", natural).substring(2, 12);
  }

  /** The body with object fields in name order, so the same request digests the same however it was written. */
  private static Object canonical(JsonNode node) {
    if (node.isObject()) {
      java.util.TreeMap<String, Object> out = new java.util.TreeMap<>();
      node.fields().forEachRemaining(e -> out.put(e.getKey(), canonical(e.getValue())));
      return out;
    }
    if (node.isArray()) {
      List<Object> out = new ArrayList<>();
      node.forEach(n -> out.add(canonical(n)));
      return out;
    }
    return node;
  }

  private static OutboundQueue.Ref ref(String org, Message m) {
    return new OutboundQueue.Ref(org, m.threadId(), MessageMapper.sortKey(m), m.id(), m.from(), m.to());
  }

  private static Map<String, Object> answer(Message m) {
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("id", m.id());
    out.put("threadId", m.threadId());
    out.put("status", m.status().name());
    out.put("body", m.body());
    out.put("segments", m.segments());
    out.put("encoding", m.encoding());
    out.put("goalId", m.goalId());
    out.put("scriptId", m.scriptId());
    out.put("workflow", m.workflow());
    out.put("createdAt", m.createdAt().toString());
    return out;
  }
}
