package dev.goalpost.workflows;

import dev.goalpost.conversations.Message;
import dev.goalpost.conversations.MessageMapper;
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
 * which scripts it allows, the workflow's batch lease, the thread hold, opt-out, deactivation, assignment,
 * hours of operation — then ONE transaction stores it:
 * <ol>
 *   <li>the message, QUEUED;</li>
 *   <li>the thread: held by the agent for the group's response window, no longer unread — conditioned on no
 *       other agent holding it now, so two agents can never both write;</li>
 *   <li>the batch (initial/reminder sends): the contact marked done — conditioned on the agent's live lease
 *       and on the contact not done yet, so a contact is messaged once per workflow;</li>
 *   <li>the group's 10DLC segment count for the day, conditioned (initial and reminder sends) on staying
 *       within the daily cap;</li>
 *   <li>the idempotency record of the request, conditioned on absence (see below).</li>
 * </ol>
 * and then puts it on the outbound queue. If the enqueue fails or the function dies after the commit, the table
 * stream's projection queues the stored QUEUED text a second or two later ({@code projections/Projection}; the
 * FIFO queue drops the duplicate of a text queued twice): a stored text is never left QUEUED. An enqueue failure
 * therefore still answers 201 (the text is stored and will leave). The contact's goal result, the agent's
 * conversation row and the goal's and agent's counters follow from the stored message through the same stream.
 *
 * <p>Retries are safe with or without {@code Idempotency-Key}. With the header, the record is keyed by it for
 * 24 hours. Without it, the record is keyed by a digest of (thread, the request's JSON body) and holds for
 * {@link #IMPLICIT_WINDOW}: the same agent POSTing the same body to the same thread within that window is a
 * retry (a lost answer, a double tap) and gets the first answer — the same message, no second text. After the
 * window the same words are a new text. (A batch send is also protected by its batch: a contact is marked done
 * once.) The record's condition compares its time with the clock, so correctness never waits for TTL.
 *
 * <p>Cost: 1 BatchGetItem (thread, contact, goal, batch, script, idempotency: ~6-15 RCU) + 1
 * TransactWriteItems (4-5 items: message, thread, batch, day segments, record) + 1 SQS SendMessage; +1
 * UpdateItem on a batch's last contact. The result, row and counters: the stream projection's cost.
 */
public final class MessageService {
  static final Duration IDEMPOTENCY_TTL = Duration.ofHours(24);
  /** How long the same body to the same thread counts as a retry when no Idempotency-Key is given. */
  public static final Duration IMPLICIT_WINDOW = Duration.ofMinutes(5);

  private final DynamoDbClient dynamo;
  private final Table table;
  private final BatchReads reads;
  private final BatchRepository batches;
  private final GroupCache groups;
  private final OutboundQueue queue;
  private final Clock clock;
  private final Ids ids;
  private final dev.goalpost.counters.SegmentCounter counter;
  private final BatchHolds holds;

  public MessageService(DynamoDbClient dynamo, Table table, BatchRepository batches, GroupCache groups,
                        OutboundQueue outbound, Clock clock, Ids ids) {
    this.dynamo = dynamo;
    this.table = table;
    this.reads = new BatchReads(dynamo, table);
    this.holds = new BatchHolds(reads);
    this.counter = new dev.goalpost.counters.SegmentCounter(dynamo, table);
    this.batches = batches;
    this.groups = groups;
    this.queue = outbound;
    this.clock = clock;
    this.ids = ids;
  }

  /** The answer and whether it is a replay of an earlier request with the same key. */
  public record Sent(int status, Map<String, Object> body) {}

  public Sent send(Principal agent, String threadId, JsonNode json, Optional<String> idempotencyKey) {
    SendRequest req = SendRequest.parse(json);
    idempotencyKey.ifPresent(MessageService::checkKey);
    ThreadIds.Parts parts = ThreadIds.parse(threadId);
    requireMessenger(agent, parts.groupId());
    String org = agent.orgId();
    Instant now = clock.instant();

    Optional<Batch.Ref> batchRef = req.batchId().map(Batch::parse);
    Optional<String> goalId = batchRef.map(Batch.Ref::goalId).or(req::goalId);
    Map<String, AttributeValue> threadKey = key(ThreadRepository.threadPartition(org, threadId), ThreadRepository.SK_THREAD);
    Map<String, AttributeValue> contactKey = key(groupPartition(org, parts.groupId()), "CONTACT#" + parts.contactId());
    Map<String, AttributeValue> idemKey = idempotencyKey.map(k -> idempotencyKey(org, agent.userId(), k))
        .orElseGet(() -> implicitKey(org, agent.userId(), threadId, json));
    boolean implicit = idempotencyKey.isEmpty();
    List<Map<String, AttributeValue>> keys = new ArrayList<>(List.of(threadKey, contactKey));
    goalId.ifPresent(g -> keys.add(GoalRepository.goalKey(org, g)));
    batchRef.ifPresent(b -> keys.add(key(GoalRepository.goalPartition(org, b.goalId()),
        BatchRepository.batchSk(b.workflow(), b.number()))));
    req.scriptId().filter(s -> s.startsWith("ascr_"))
        .ifPresent(s -> keys.add(AgentScripts.key(org, agent.userId(), s)));
    keys.add(idemKey);
    var items = reads.get(keys);
    var earlier = items.get(BatchReads.id(idemKey));
    if (earlier != null && (!implicit || num(earlier, "atMs", 0) > now.minus(IMPLICIT_WINDOW).toEpochMilli())) {
      return replay(earlier);
    }

    Contact contact = Optional.ofNullable(items.get(BatchReads.id(contactKey))).map(ContactRepository::fromItemPublic)
        .orElseThrow(() -> ApiException.notFound("Thread " + threadId));
    Optional<Thread> thread = Optional.ofNullable(items.get(BatchReads.id(threadKey))).map(ThreadRepository::fromItem);
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
    if (contact.optedOut()) {
      throw ApiException.conflict("contact-opted-out", "The contact opted out of texts; nothing was sent");
    }
    if (contact.deactivated()) {
      throw ApiException.conflict("contact-deactivated", "The contact is deactivated; nothing was sent");
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
      batch = Optional.ofNullable(items.get(BatchReads.id(key(GoalRepository.goalPartition(org, ref.goalId()),
              BatchRepository.batchSk(ref.workflow(), ref.number())))))
          .map(BatchRepository::fromItem).orElseThrow(() -> ApiException.notFound("Batch " + req.batchId().get()));
      requireBatchSend(batch, contact, agent, goal, now);
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

    List<TransactWriteItem> writes = new ArrayList<>();
    writes.add(TransactWriteItem.builder().put(Put.builder().tableName(table.name())
        .item(MessageMapper.toItem(org, message)).build()).build());
    writes.add(threadWrite(org, threadId, contact, goal, agent, group, now, thread, batchRef));
    int batchIndex = -1;
    if (batch != null) {
      batchIndex = writes.size();
      writes.add(batches.markDone(org, batch, contact.id(), agent.userId(), now));
    }
    int capIndex = writes.size();
    // 10DLC: every text counts. Texts that open a conversation reserve their segments within the daily cap —
    // initial and reminder sends, and free text (or an agent script) to a contact who never wrote on this
    // thread, which would otherwise be a way around the cap. Answers to a contact who wrote are never capped.
    boolean capped = batch != null || thread.map(Thread::lastInboundAt).isEmpty();
    if (group.dailySegmentCap() < message.segments() && capped) {
      throw ApiException.conflict("daily-segment-cap", "This text is " + message.segments()
          + " segments, more than the group's whole daily cap of " + group.dailySegmentCap());
    }
    writes.add(counter.add(group, now, message.segments(), capped));
    int idemIndex = writes.size();
    writes.add(idempotencyWrite(idemKey, org, message, answer, now, implicit));
    OutboundQueue.Ref ref = ref(org, message);
    try {
      Transactions.writeRetryingConflicts(dynamo, writes, "Many texts are being sent in this group right now; "
          + "retry with the same Idempotency-Key");
    } catch (TransactionCanceledException e) {
      var reasons = e.cancellationReasons();
      if (failed(reasons, idemIndex)) {
        // The same request won a race a moment ago: answer what it answered.
        return replay(reads.get(List.of(idemKey)).get(BatchReads.id(idemKey)));
      }
      if (failed(reasons, 1)) {
        throw ApiException.conflict("thread-held", "Another agent took this conversation a moment ago");
      }
      if (capped && failed(reasons, capIndex)) {
        throw ApiException.conflict("daily-segment-cap", group.name() + " has sent its " + group.dailySegmentCap()
            + " segments for today (10DLC cap); texts that start a conversation (initial, reminder, or free text to a "
            + "contact who has not written) resume at midnight " + group.timeZone() + ". Replies are still allowed.");
      }
      if (batchIndex >= 0 && failed(reasons, batchIndex)) {
        throw ApiException.conflict("batch-lease-lost", "Your lease on this batch has ended or the contact was "
            + "already messaged; claim again");
      }
      throw e;
    }
    if (batch != null && batch.remaining().size() == 1) {
      batches.closeIfDone(org, batch, agent.userId(), now); // closedAt: the projection counts the batch done
    }
    try {
      queue.send(ref);
    } catch (software.amazon.awssdk.core.exception.SdkException e) {
      // Stored: the table stream's projection queues it (projections/Projection).
    }
    return new Sent(201, answer);
  }

  private static boolean failed(List<CancellationReason> reasons, int index) {
    return index < reasons.size() && "ConditionalCheckFailed".equals(reasons.get(index).code());
  }

  private Goal loadGoal(String org, String goalId) {
    var res = reads.get(List.of(GoalRepository.goalKey(org, goalId)));
    return Optional.ofNullable(res.get(BatchReads.id(GoalRepository.goalKey(org, goalId))))
        .map(GoalRepository::fromItem).orElse(null);
  }

  private static OutboundQueue.Ref ref(String org, Message m) {
    return new OutboundQueue.Ref(org, m.threadId(), MessageMapper.sortKey(m), m.id(), m.from(), m.to());
  }

  /**
   * Answers a repeated request with the first answer. Nothing is queued again: the stream projection queues the
   * first request's stored text even if that request died after storing it.
   */
  private Sent replay(Map<String, AttributeValue> record) {
    try {
      @SuppressWarnings("unchecked")
      Map<String, Object> body = Json.MAPPER.readValue(str(record, "response"), Map.class);
      return new Sent(201, body);
    } catch (java.io.IOException e) {
      throw new IllegalStateException("Unreadable idempotency record", e);
    }
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

  private void requireBatchSend(Batch batch, Contact contact, Principal agent, Goal goal, Instant now) {
    if (!batch.heldBy(agent.userId(), now)) {
      throw ApiException.conflict("batch-lease-lost", "You do not hold batch " + batch.id()
          + " (its lease may have ended); claim again");
    }
    if (batch.contacts().stream().noneMatch(e -> e.contactId().equals(contact.id()))) {
      throw ApiException.invalid("batchId", "the contact is not in batch " + batch.id());
    }
    if (batch.done().contains(contact.id())) {
      throw ApiException.conflict("already-messaged", "This contact was already messaged in this batch");
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

  private TransactWriteItem threadWrite(String org, String threadId, Contact contact, Goal goal, Principal agent,
                                        Group group, Instant now, Optional<Thread> seen,
                                        Optional<Batch.Ref> batchRef) {
    long holdUntil = now.plus(Duration.ofMinutes(group.responseWindowMinutes())).toEpochMilli();
    dev.goalpost.platform.Update u = new dev.goalpost.platform.Update()
        .set(ThreadRepository.A_TYPE, s("THREAD"))
        .set(ThreadRepository.A_THREAD_ID, s(threadId))
        .set(ThreadRepository.A_ORG_ID, s(org))
        .set(ThreadRepository.A_GROUP_ID, s(contact.groupId()))
        .set(ThreadRepository.A_CONTACT_ID, s(contact.id()))
        .set(ThreadRepository.A_HOLDER, s(agent.userId()))
        .set(ThreadRepository.A_HOLD_UNTIL, n(holdUntil))
        .set(ThreadRepository.A_UNREAD, AttributeValue.fromBool(false))
        .set(ThreadRepository.A_LAST_AT, s(now.toString()))
        .set(ThreadRepository.A_LAST_DIRECTION, s(Message.Direction.OUTBOUND.name()))
        .add(ThreadRepository.A_AGENTS, AttributeValue.fromSs(List.of(agent.userId())))
        .remove(GSI1PK).remove(GSI1SK);
    if (goal != null) {
      u.set(ThreadRepository.A_GOAL_ID, s(goal.id()));
      u.set(ThreadRepository.A_POOL, s(goal.assignmentStrategy() == AssignmentStrategy.ANYONE ? "ANY"
          : Optional.ofNullable(contact.assignedAgentId()).orElse(agent.userId())));
    }
    if (contact.assignedAgentId() != null) {
      u.set(ThreadRepository.A_ASSIGNED, s(contact.assignedAgentId()));
    }
    // The contact is done in the batch it is sent through: that batch no longer holds it.
    batchRef.ifPresent(r -> u.remove(ThreadRepository.batchRefName(r.goalId(), r.workflow())));
    long refsVersion = seen.map(Thread::batchRefsVersion).orElse(0L);
    String v = u.name(ThreadRepository.A_BATCH_REFS_VERSION);
    String cond = "(attribute_not_exists(" + u.name(ThreadRepository.A_HOLDER) + ") OR "
        + u.name(ThreadRepository.A_HOLDER) + " = " + u.value(s(agent.userId())) + " OR "
        + u.name(ThreadRepository.A_HOLD_UNTIL) + " <= " + u.value(n(now.toEpochMilli())) + ")"
        // No claim put the contact in a batch since it was read (BatchHolds).
        + " AND (" + (refsVersion == 0 ? "attribute_not_exists(" + v + ")" : v + " = " + u.value(n(refsVersion))) + ")";
    return TransactWriteItem.builder().update(software.amazon.awssdk.services.dynamodb.model.Update.builder()
        .tableName(table.name()).key(key(ThreadRepository.threadPartition(org, threadId), ThreadRepository.SK_THREAD))
        .updateExpression(u.expression()).conditionExpression(cond)
        .expressionAttributeNames(u.names()).expressionAttributeValues(u.values()).build()).build();
  }

  static Map<String, AttributeValue> idempotencyKey(String org, String userId, String key) {
    return Table.key(orgPartition(org) + "#IDEMP#" + userId, "KEY#" + key);
  }

  /**
   * The record of a request sent without Idempotency-Key: keyed by the agent, the thread and a digest of the
   * request's JSON body, so a retry of the same request finds it.
   */
  static Map<String, AttributeValue> implicitKey(String org, String userId, String threadId, JsonNode body) {
    String digest = Ids.derived("req", threadId + "\n" + (body == null ? "" : Json.write(canonical(body))));
    return Table.key(orgPartition(org) + "#IDEMP#" + userId, "AUTO#" + threadId + "#" + digest);
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

  private TransactWriteItem idempotencyWrite(Map<String, AttributeValue> idemKey, String org, Message m,
                                             Map<String, Object> answer, Instant now, boolean implicit) {
    Map<String, AttributeValue> item = new HashMap<>(idemKey);
    item.put("orgId", s(org));
    item.put("threadId", s(m.threadId()));
    item.put("messageId", s(m.id()));
    item.put("sortKey", s(MessageMapper.sortKey(m)));
    item.put("from", s(m.from()));
    item.put("to", s(m.to()));
    item.put("response", s(Json.write(answer)));
    item.put("atMs", n(now.toEpochMilli()));
    item.put(EXPIRES_AT, n(now.plus(implicit ? IMPLICIT_WINDOW.multipliedBy(2) : IDEMPOTENCY_TTL).getEpochSecond()));
    Put.Builder put = Put.builder().tableName(table.name()).item(item);
    if (implicit) {
      // An implicit record older than the window is a past text with the same words: it may be replaced.
      put.conditionExpression("attribute_not_exists(#pk) OR #at <= :windowStart")
          .expressionAttributeNames(Map.of("#pk", PK, "#at", "atMs"))
          .expressionAttributeValues(Map.of(":windowStart", n(now.minus(IMPLICIT_WINDOW).toEpochMilli())));
    } else {
      put.conditionExpression("attribute_not_exists(#pk)").expressionAttributeNames(Map.of("#pk", PK));
    }
    return TransactWriteItem.builder().put(put.build()).build();
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
