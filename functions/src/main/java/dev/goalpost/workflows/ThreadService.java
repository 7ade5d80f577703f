package dev.goalpost.workflows;

import static dev.goalpost.platform.Table.*;

import com.fasterxml.jackson.databind.JsonNode;
import dev.goalpost.contacts.Contact;
import dev.goalpost.contacts.ContactRepository;
import dev.goalpost.goals.Goal;
import dev.goalpost.goals.GoalRepository;
import dev.goalpost.goals.GoalSchedule;
import dev.goalpost.platform.Cursor;
import dev.goalpost.platform.Page;
import dev.goalpost.platform.Table;
import dev.goalpost.platform.auth.Principal;
import dev.goalpost.platform.http.ApiException;
import dev.goalpost.platform.http.Fields;
import dev.goalpost.platform.http.Violations;
import java.time.Clock;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.UpdateItemRequest;

/** What an agent does with a conversation besides sending: open it, record a lead action, list theirs. */
public final class ThreadService {
  static final int MESSAGES_SHOWN = 50;

  private final DynamoDbClient dynamo;
  private final Table table;
  private final ThreadRepository threads;
  private final ContactRepository contacts;
  private final GoalRepository goals;
  private final Clock clock;
  private final dev.goalpost.platform.events.DomainEvents events;
  private final dev.goalpost.review.GoalStats stats;

  public ThreadService(DynamoDbClient dynamo, Table table, ThreadRepository threads, ContactRepository contacts,
                       GoalRepository goals, dev.goalpost.platform.events.DomainEvents events, Clock clock) {
    this.events = events;
    this.stats = new dev.goalpost.review.GoalStats(dynamo, table);
    this.dynamo = dynamo;
    this.table = table;
    this.threads = threads;
    this.contacts = contacts;
    this.goals = goals;
    this.clock = clock;
  }

  /**
   * Opens a thread: the contact, the latest messages, who holds it. Opening marks it read for this agent.
   * A thread another agent holds answers 409 naming until when (SPEC §5).
   */
  public Map<String, Object> open(Principal agent, String threadId) {
    ThreadIds.Parts parts = ThreadIds.parse(threadId);
    agent.requireRead(parts.groupId());
    Instant now = clock.instant();
    Contact contact = contacts.get(agent.orgId(), parts.groupId(), parts.contactId())
        .orElseThrow(() -> ApiException.notFound("Thread " + threadId));
    Optional<Thread> thread = threads.get(agent.orgId(), threadId);
    thread.filter(t -> t.heldByOtherThan(agent.userId(), now)).ifPresent(t -> {
      throw ApiException.conflict("thread-held", "Another agent holds this conversation until " + t.holdUntil());
    });
    List<Message> messages = thread.isPresent() ? threads.messages(agent.orgId(), threadId, MESSAGES_SHOWN) : List.of();
    if (thread.map(Thread::unread).orElse(false)) {
      threads.markRead(agent.orgId(), threadId, agent.userId(), now);
    }
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("id", threadId);
    out.put("groupId", parts.groupId());
    out.put("contact", contact);
    out.put("goalId", thread.map(Thread::goalId).orElse(null));
    out.put("holderAgentId", thread.filter(t -> t.holdUntil() != null && t.holdUntil().isAfter(now))
        .map(Thread::holderAgentId).orElse(null));
    out.put("holdUntil", thread.map(Thread::holdUntil).filter(h -> h.isAfter(now)).map(Instant::toString).orElse(null));
    out.put("unread", false);
    out.put("messages", messages);
    return out;
  }

  /** Records Yes/No for the contact in an ACTIVE goal (its result; reminders target the Yes ones). */
  public Map<String, Object> leadAction(Principal agent, String threadId, JsonNode body) {
    ThreadIds.Parts parts = ThreadIds.parse(threadId);
    agent.requireRead(parts.groupId());
    Violations v = new Violations();
    Fields f = Fields.ofBody(body, v);
    f.allowOnly(Set.of("goalId", "action"));
    Optional<String> goalId = f.requiredString("goalId");
    Optional<String> action = f.requiredString("action").map(a -> a.trim().toUpperCase(Locale.ROOT));
    action.filter(a -> !a.equals("YES") && !a.equals("NO"))
        .ifPresent(a -> v.add("action", "must be YES or NO"));
    v.throwIfAny();
    Instant now = clock.instant();
    Goal goal = goals.get(agent.orgId(), goalId.get())
        .filter(g -> g.groupId().equals(parts.groupId()))
        .orElseThrow(() -> ApiException.invalid("goalId", "no goal " + goalId.get() + " in this thread's group"));
    GoalSchedule.Workflows w = GoalSchedule.workflowsAt(goal, now);
    if (!w.leadActions()) {
      throw ApiException.conflict("lead-actions-unavailable", "Lead actions are only available while the goal is "
          + "ACTIVE; it is " + w.status());
    }
    threads.get(agent.orgId(), threadId).filter(t -> t.heldByOtherThan(agent.userId(), now)).ifPresent(t -> {
      throw ApiException.conflict("thread-held", "Another agent holds this conversation until " + t.holdUntil());
    });
    contacts.get(agent.orgId(), parts.groupId(), parts.contactId())
        .orElseThrow(() -> ApiException.notFound("Thread " + threadId));
    boolean yes = action.get().equals("YES");
    var before = dynamo.updateItem(UpdateItemRequest.builder().tableName(table.name())
        .key(key(GoalRepository.goalPartition(agent.orgId(), goal.id()), "RESULT#" + parts.contactId()))
        .updateExpression("SET #c = :c, #yes = :yes, #no = :no, #by = :by, #at = :at")
        .expressionAttributeNames(Map.of("#c", "contactId", "#yes", "yes", "#no", "no", "#by", "leadActionBy",
            "#at", "leadActionAt"))
        .expressionAttributeValues(Map.of(":c", s(parts.contactId()), ":yes", AttributeValue.fromBool(yes),
            ":no", AttributeValue.fromBool(!yes), ":by", s(agent.userId()), ":at", s(now.toString())))
        .returnValues(software.amazon.awssdk.services.dynamodb.model.ReturnValue.ALL_OLD)
        .build()).attributes();
    boolean wasYes = before != null && bool(before, "yes");
    boolean wasNo = before != null && bool(before, "no");
    java.util.Map<dev.goalpost.review.GoalStats.Counter, Long> deltas = new java.util.EnumMap<>(
        dev.goalpost.review.GoalStats.Counter.class);
    deltas.put(dev.goalpost.review.GoalStats.Counter.yes, (yes ? 1L : 0L) - (wasYes ? 1L : 0L));
    deltas.put(dev.goalpost.review.GoalStats.Counter.no, (yes ? 0L : 1L) - (wasNo ? 1L : 0L));
    deltas.values().removeIf(d -> d == 0);
    if (!deltas.isEmpty()) {
      stats.addNow(agent.orgId(), goal.id(), agent.userId(), deltas);
    }
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("threadId", threadId);
    out.put("goalId", goal.id());
    out.put("contactId", parts.contactId());
    out.put("action", action.get());
    out.put("recordedAt", now.toString());
    Map<String, Object> detail = new LinkedHashMap<>(out);
    detail.remove("recordedAt");
    detail.put("groupId", parts.groupId());
    detail.put("agentId", agent.userId());
    // A failure here answers 5xx after the result is stored; the client's retry records it again (same
    // values) and publishes: at least once, never lost.
    events.publish(new dev.goalpost.platform.events.DomainEvent(
        dev.goalpost.platform.events.DomainEvent.Type.LeadActionRecorded, agent.orgId(), now, detail));
    return out;
  }

  /** The agent's conversations, most recent first; {@code unread} keeps only those with an unread reply. */
  public Page<Map<String, Object>> conversations(Principal agent, String filter, int limit, Optional<String> cursor) {
    boolean unreadOnly = switch (filter) {
      case "all" -> false;
      case "unread" -> true;
      default -> throw ApiException.invalid("filter", "must be all or unread");
    };
    String gpk = ThreadRepository.conversationsPartition(agent.orgId(), agent.userId());
    var start = Cursor.decode(cursor, Map.of(GSI1PK, s(gpk)), PK, SK, GSI1SK).orElse(null);
    var rows = threads.conversations(agent.orgId(), agent.userId(), unreadOnly, limit, start);
    String next = null;
    List<Map<String, Object>> items = new java.util.ArrayList<>();
    for (var row : rows) {
      if (row.containsKey("__next")) {
        next = Cursor.encode(row.get("__next").m(), PK, SK, GSI1SK);
        continue;
      }
      Map<String, Object> c = new LinkedHashMap<>();
      c.put("threadId", str(row, "threadId"));
      c.put("groupId", str(row, "groupId"));
      c.put("contactId", str(row, "contactId"));
      c.put("unread", bool(row, "unread"));
      c.put("lastDirection", str(row, "lastDirection"));
      c.put("lastMessageAt", str(row, "lastMessageAt"));
      items.add(c);
    }
    return new Page<>(items, next);
  }
}
