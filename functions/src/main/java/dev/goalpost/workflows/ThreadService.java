package dev.goalpost.workflows;

import dev.goalpost.conversations.Message;
import dev.goalpost.conversations.Thread;
import dev.goalpost.conversations.ThreadIds;
import dev.goalpost.conversations.ThreadRepository;

import static dev.goalpost.platform.Table.*;

import com.fasterxml.jackson.databind.JsonNode;
import dev.goalpost.contacts.Contact;
import dev.goalpost.contacts.ContactRepository;
import dev.goalpost.goals.Goal;
import dev.goalpost.goals.GoalRepository;
import dev.goalpost.goals.GoalResults;
import dev.goalpost.goals.GoalSchedule;
import dev.goalpost.platform.BatchReads;
import dev.goalpost.platform.Cursor;
import dev.goalpost.platform.Page;
import dev.goalpost.platform.Table;
import dev.goalpost.platform.Transactions;
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
import software.amazon.awssdk.services.dynamodb.model.TransactionCanceledException;

/** What an agent does with a conversation besides sending: open it, record a lead action, list theirs. */
public final class ThreadService {
  static final int MESSAGES_SHOWN = 50;
  static final int LEAD_ACTION_ATTEMPTS = 8;

  private final DynamoDbClient dynamo;
  private final Table table;
  private final ThreadRepository threads;
  private final ContactRepository contacts;
  private final GoalRepository goals;
  private final Clock clock;
  private final dev.goalpost.platform.events.DomainEvents events;
  private final GoalResults results;
  private final BatchReads reads;
  private final dev.goalpost.contacts.OrgOptOut optOuts;
  private final BatchHolds holds;

  public ThreadService(DynamoDbClient dynamo, Table table, ThreadRepository threads, ContactRepository contacts,
                       GoalRepository goals, dev.goalpost.platform.events.DomainEvents events,
                       dev.goalpost.contacts.OrgOptOut optOuts, Clock clock) {
    this.events = events;
    this.optOuts = optOuts;
    this.results = new GoalResults(dynamo, table);
    this.reads = new BatchReads(dynamo, table);
    this.holds = new BatchHolds(reads);
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
    thread.flatMap(t -> holds.heldByOther(agent.orgId(), t, parts.contactId(), agent.userId(), Optional.empty(), now))
        .ifPresent(h -> {
          throw ApiException.conflict("thread-held", "Another agent holds this contact in batch " + h.batchId()
              + " until " + h.until());
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

  /**
   * The agent's opt-out action on a thread: the contact asked, in their own words, to stop ("please don't text
   * me again"), which no keyword catches. The same org-wide rule as a STOP ({@link dev.goalpost.contacts.OrgOptOut}):
   * the org's list, every group's copy, a ContactOptedOut event. No confirmation text goes out (the contact did
   * not text a keyword; carriers expect confirmations for those). Any member of the thread's group may do it,
   * holder or not: stopping texts is always safe. Repeating it changes nothing and answers the same.
   *
   * <p>The goal's {@code optedOut} count is not written here: the opt-out item names the thread's goal
   * ({@code goalId}) and the stream projection counts its INSERT (so an opt-out is counted once, whoever made it).
   *
   * <p>Cost: 1 BatchGetItem (contact, thread) + the rule's writes (1 PutItem, 1 Query, 1 TransactWriteItems per
   * group of the org) + 1 PutEvents the first time.
   */
  public Map<String, Object> optOut(Principal agent, String threadId) {
    ThreadIds.Parts parts = ThreadIds.parse(threadId);
    agent.requireRead(parts.groupId());
    Instant now = clock.instant();
    var contactKey = ContactRepository.contactKey(agent.orgId(), parts.groupId(), parts.contactId());
    var threadKey = key(ThreadRepository.threadPartition(agent.orgId(), threadId), ThreadRepository.SK_THREAD);
    var items = reads.get(List.of(contactKey, threadKey));
    Contact contact = Optional.ofNullable(items.get(BatchReads.id(contactKey))).map(ContactRepository::fromItemPublic)
        .orElseThrow(() -> ApiException.notFound("Thread " + threadId));
    Optional<String> goalId = Optional.ofNullable(items.get(BatchReads.id(threadKey))).map(ThreadRepository::fromItem)
        .map(Thread::goalId);
    Map<String, Object> context = new LinkedHashMap<>();
    context.put("groupId", parts.groupId());
    context.put("contactId", parts.contactId());
    context.put("threadId", threadId);
    context.put("userId", agent.userId());
    goalId.ifPresent(g -> context.put("goalId", g));
    boolean first = optOuts.optOut(agent.orgId(), contact.phone(), dev.goalpost.contacts.OrgOptOut.BY_AGENT, context, now);
    if (first && goalId.isPresent()) {
      // The goal's result says so; the stream projection counts the goal's opt-out from that change.
      dynamo.updateItem(dev.goalpost.goals.GoalResults.optedOut(table, agent.orgId(), goalId.get(),
          parts.contactId(), now));
    }
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("threadId", threadId);
    out.put("contactId", parts.contactId());
    out.put("optedOut", true);
    out.put("alreadyOptedOut", !first);
    return out;
  }

  /**
   * Records Yes/No for the contact in an ACTIVE goal (its result; reminders target the Yes ones).
   *
   * <p>Cost: one BatchGetItem (goal, thread, contact, result) and one TransactWriteItems of ONE item: the result
   * ({@link GoalResults#leadAction}, 2 WCU), written only if it is still what was read; a concurrent lead action
   * on the same contact makes it read again. The goal's and agents' Yes/No counters come from the result's
   * stream record (old vs new image: {@code yes}, {@code no}, {@code leadActionBy}), so no shared item is
   * written here. (A transaction of one item rather than an UpdateItem keeps the conflict handling of
   * {@link Transactions}; same capacity as a conditional UpdateItem would be ×2.)
   */
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
    String org = agent.orgId();
    boolean yes = action.get().equals("YES");
    var goalKey = GoalRepository.goalKey(org, goalId.get());
    var threadKey = key(ThreadRepository.threadPartition(org, threadId), ThreadRepository.SK_THREAD);
    var contactKey = ContactRepository.contactKey(org, parts.groupId(), parts.contactId());
    var resultKey = GoalResults.key(org, goalId.get(), parts.contactId());
    for (int attempt = 1; ; attempt++) {
      var items = reads.get(List.of(goalKey, threadKey, contactKey, resultKey));
      Goal goal = Optional.ofNullable(items.get(BatchReads.id(goalKey))).map(GoalRepository::fromItem)
          .filter(g -> g.groupId().equals(parts.groupId()))
          .orElseThrow(() -> ApiException.invalid("goalId", "no goal " + goalId.get() + " in this thread's group"));
      GoalSchedule.Workflows w = GoalSchedule.workflowsAt(goal, now);
      if (!w.leadActions()) {
        throw ApiException.conflict("lead-actions-unavailable", "Lead actions are only available while the goal is "
            + "ACTIVE; it is " + w.status());
      }
      Optional.ofNullable(items.get(BatchReads.id(threadKey))).map(ThreadRepository::fromItem)
          .filter(t -> t.heldByOtherThan(agent.userId(), now)).ifPresent(t -> {
            throw ApiException.conflict("thread-held", "Another agent holds this conversation until " + t.holdUntil());
          });
      if (items.get(BatchReads.id(contactKey)) == null) {
        throw ApiException.notFound("Thread " + threadId);
      }
      var before = items.get(BatchReads.id(resultKey));
      try {
        Transactions.writeRetryingConflicts(dynamo,
            List.of(results.leadAction(org, goal.id(), parts.contactId(), yes, agent.userId(), now, before)),
            "Many lead actions are being recorded for this contact right now; retry");
      } catch (TransactionCanceledException e) {
        if (!Transactions.failedCondition(e)) {
          throw e;
        }
        if (attempt >= LEAD_ACTION_ATTEMPTS) {
          throw new ApiException(503, "busy", "Try again", "This contact's answer kept changing while it was "
              + "recorded; retry", List.of());
        }
        // The result changed since it was read: each loss means another writer finished, so with up to
        // LEAD_ACTION_ATTEMPTS writers on one contact at once every one of them gets through.
        continue;
      }
      return recorded(agent, threadId, parts, goal, action.get(), now);
    }
  }

  private Map<String, Object> recorded(Principal agent, String threadId, ThreadIds.Parts parts, Goal goal,
                                       String action, Instant now) {
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("threadId", threadId);
    out.put("goalId", goal.id());
    out.put("contactId", parts.contactId());
    out.put("action", action);
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
      c.put("contactName", str(row, ThreadRepository.A_CONTACT_NAME));
      c.put("preview", str(row, ThreadRepository.A_PREVIEW));
      items.add(c);
    }
    return new Page<>(items, next);
  }
}
