package dev.goalpost.review;

import static dev.goalpost.platform.Table.*;

import com.fasterxml.jackson.databind.JsonNode;
import dev.goalpost.contacts.Contact;
import dev.goalpost.contacts.ContactRepository;
import dev.goalpost.groups.GroupRepository;
import dev.goalpost.platform.Queries;
import dev.goalpost.platform.BatchReads;
import dev.goalpost.platform.Cursor;
import dev.goalpost.platform.Page;
import dev.goalpost.platform.Table;
import dev.goalpost.platform.auth.Principal;
import dev.goalpost.platform.http.ApiException;
import dev.goalpost.platform.http.Fields;
import dev.goalpost.platform.http.Violations;
import dev.goalpost.workflows.Reassignment;
import dev.goalpost.conversations.Thread;
import dev.goalpost.conversations.ThreadIds;
import dev.goalpost.conversations.ThreadRepository;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.QueryRequest;

/**
 * Conversation review for a group's admins and managers (SPEC §7): an agent's conversations, All or
 * Unresponded (the latest message is the contact's, read or not), unread ones flagged, searchable by contact
 * name and filtered by tag. Reading never marks anything read, and admins cannot message from here; they tag,
 * opt out and edit contacts through the contacts API and assign/reassign/unassign here.
 *
 * <p>Cost of a page: 1 Query of the agent's conversations (GSI1, newest first, filtered to the group) + 1
 * BatchGetItem of their threads + 1 BatchGetItem of their contacts (threads and contacts are the truth for
 * unread/unresponded and names; the agent's own list only orders them).
 */
public final class ReviewService {
  static final int MESSAGES_SHOWN = 100;

  private final DynamoDbClient dynamo;
  private final Table table;
  private final BatchReads reads;
  private final ThreadRepository threads;
  private final ContactRepository contacts;
  private final GroupRepository groups;
  private final Reassignment reassignment;
  private final Clock clock;

  public ReviewService(DynamoDbClient dynamo, Table table, Reassignment reassignment, Clock clock) {
    this.dynamo = dynamo;
    this.table = table;
    this.reads = new BatchReads(dynamo, table);
    this.threads = new ThreadRepository(dynamo, table);
    this.contacts = new ContactRepository(dynamo, table);
    this.groups = new GroupRepository(dynamo, table);
    this.reassignment = reassignment;
    this.clock = clock;
  }

  public Page<Map<String, Object>> conversations(Principal caller, String groupId, Optional<String> agentId,
                                                 String filter, Optional<String> q, Optional<String> tag, int limit,
                                                 Optional<String> cursor) {
    caller.requireManage(groupId);
    groups.get(caller.orgId(), groupId).orElseThrow(() -> ApiException.notFound("Group " + groupId));
    String agent = agentId.orElseThrow(() -> ApiException.invalid("agentId",
        "is required: review shows one agent's conversations (pick the agent in the panel)"));
    boolean unrespondedOnly = switch (filter) {
      case "all" -> false;
      case "unresponded" -> true;
      default -> throw ApiException.invalid("filter", "must be all or unresponded");
    };
    List<String> words = q.map(t -> List.of(t.toLowerCase(Locale.ROOT).trim().split("\\s+"))).orElse(List.of())
        .stream().filter(w -> !w.isBlank()).toList();
    String gpk = ThreadRepository.conversationsPartition(caller.orgId(), agent);
    var start = Cursor.decode(cursor, Map.of(GSI1PK, s(gpk)), PK, SK, GSI1SK);
    var req = QueryRequest.builder().tableName(table.name()).indexName(GSI1)
        .keyConditionExpression("#pk = :pk").filterExpression("#g = :g")
        .expressionAttributeNames(Map.of("#pk", GSI1PK, "#g", "groupId"))
        .expressionAttributeValues(Map.of(":pk", s(gpk), ":g", s(groupId)))
        .scanIndexForward(false).limit(limit);
    // Two filters run after the read: the group (a FilterExpression) and unresponded / tag / name (on the
    // thread and contact items, read by one BatchGetItem of 2 keys per row). A page is filled over rounds of
    // (Query page, BatchGetItem) until `limit` rows, the end of the agent's conversations, or 10 rounds. Each
    // round asks only for the rows still missing, so the cursor is exactly where reading stopped. Cost: 1
    // round (1 Query + 1 BatchGetItem per 50 rows) when nothing is filtered out; one more per short round.
    Map<String, AttributeValue> from = start.orElse(null);
    List<Map<String, Object>> out = new ArrayList<>();
    Map<String, AttributeValue> next = null;
    for (int round = 0; round < MAX_ROUNDS_PER_PAGE; round++) {
      if (from != null) {
        req.exclusiveStartKey(from);
      }
      var res = Queries.page(dynamo, req.build(), limit - out.size(), 10);
      List<Map<String, AttributeValue>> keys = new ArrayList<>();
      for (var row : res.items()) {
        keys.add(key(ThreadRepository.threadPartition(caller.orgId(), str(row, "threadId")), ThreadRepository.SK_THREAD));
        keys.add(ContactRepository.contactKey(caller.orgId(), groupId, str(row, "contactId")));
      }
      var items = keys.isEmpty() ? Map.<String, Map<String, AttributeValue>>of() : reads.get(keys);
      for (var row : res.items()) {
        reviewRow(caller, groupId, agent, row, items, unrespondedOnly, tag, words).ifPresent(out::add);
      }
      next = res.next();
      if (next == null || out.size() >= limit) {
        break;
      }
      from = next;
    }
    return new Page<>(out, Cursor.encode(next, PK, SK, GSI1SK));
  }

  /** The contact as review rows show it. */
  private static Map<String, Object> contactSummary(Contact c) {
    Map<String, Object> contact = new LinkedHashMap<>();
    contact.put("firstName", c.firstName());
    contact.put("lastName", c.lastName());
    contact.put("phone", c.phone());
    contact.put("tags", c.tags());
    contact.put("optedOut", c.optedOut());
    return contact;
  }

  static final int MAX_ROUNDS_PER_PAGE = 10;

  private Optional<Map<String, Object>> reviewRow(Principal caller, String groupId, String agent,
                                                  Map<String, AttributeValue> row,
                                                  Map<String, Map<String, AttributeValue>> items,
                                                  boolean unrespondedOnly, Optional<String> tag, List<String> words) {
    String threadId = str(row, "threadId");
    var threadItem = items.get(BatchReads.id(key(ThreadRepository.threadPartition(caller.orgId(), threadId),
        ThreadRepository.SK_THREAD)));
    var contactItem = items.get(BatchReads.id(ContactRepository.contactKey(caller.orgId(), groupId, str(row, "contactId"))));
    if (threadItem == null || contactItem == null) {
      return Optional.empty();
    }
    Thread t = ThreadRepository.fromItem(threadItem);
    Contact c = ContactRepository.fromItemPublic(contactItem);
    boolean unresponded = "INBOUND".equals(t.lastDirection());
    if (unrespondedOnly && !unresponded) {
      return Optional.empty();
    }
    if (tag.isPresent() && !c.tags().contains(tag.get())) {
      return Optional.empty();
    }
    String name = ((c.firstName() == null ? "" : c.firstName()) + " " + (c.lastName() == null ? "" : c.lastName()))
        .toLowerCase(Locale.ROOT);
    if (!words.stream().allMatch(name::contains)) {
      return Optional.empty();
    }
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("threadId", threadId);
    m.put("groupId", groupId);
    m.put("contactId", c.id());
    m.put("contact", contactSummary(c));
    m.put("agentId", agent);
    m.put("unread", t.unread());
    m.put("unresponded", unresponded);
    m.put("lastMessageAt", t.lastMessageAt() == null ? null : t.lastMessageAt().toString());
    m.put("lastDirection", t.lastDirection());
    return Optional.of(m);
  }

  /**
   * The group's inbox: replies on threads with no goal and no agent (a contact nobody texted, a stranger's
   * number), newest first, with how many wait. Nobody's workflow or list would show them otherwise; they stay
   * here until an agent opens or answers the thread (or an admin assigns the contact, whose agent then sees it).
   * Cost: 1 Query (GSI1, the page) + 1 BatchGetItem (their contacts) + 1 COUNT Query per 1 MB of the inbox.
   */
  public Map<String, Object> inbox(Principal caller, String groupId, int limit, Optional<String> cursor) {
    caller.requireManage(groupId);
    groups.get(caller.orgId(), groupId).orElseThrow(() -> ApiException.notFound("Group " + groupId));
    String gpk = ThreadRepository.inboxPartition(caller.orgId(), groupId);
    var start = Cursor.decode(cursor, Map.of(GSI1PK, s(gpk)), PK, SK, GSI1SK);
    var req = QueryRequest.builder().tableName(table.name()).indexName(GSI1)
        .keyConditionExpression("#pk = :pk").expressionAttributeNames(Map.of("#pk", GSI1PK))
        .expressionAttributeValues(Map.of(":pk", s(gpk))).scanIndexForward(false).limit(limit);
    start.ifPresent(req::exclusiveStartKey);
    var res = dynamo.query(req.build());
    List<Map<String, AttributeValue>> keys = res.items().stream()
        .map(t -> ContactRepository.contactKey(caller.orgId(), groupId, str(t, ThreadRepository.A_CONTACT_ID)))
        .toList();
    var contactItems = keys.isEmpty() ? Map.<String, Map<String, AttributeValue>>of() : reads.get(keys);
    List<Map<String, Object>> out = new ArrayList<>();
    for (var item : res.items()) {
      Thread t = ThreadRepository.fromItem(item);
      var contactItem = contactItems.get(BatchReads.id(ContactRepository.contactKey(caller.orgId(), groupId,
          t.contactId())));
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("threadId", t.id());
      m.put("groupId", groupId);
      m.put("contactId", t.contactId());
      if (contactItem != null) {
        Contact c = ContactRepository.fromItemPublic(contactItem);
        Map<String, Object> contact = contactSummary(c);
        contact.put("assignedAgentId", c.assignedAgentId());
        m.put("contact", contact);
      }
      m.put("unread", t.unread());
      m.put("lastInboundAt", t.lastInboundAt() == null ? null : t.lastInboundAt().toString());
      out.add(m);
    }
    Map<String, Object> answer = new LinkedHashMap<>();
    answer.put("items", out);
    answer.put("nextCursor", res.hasLastEvaluatedKey() && !res.lastEvaluatedKey().isEmpty()
        ? Cursor.encode(res.lastEvaluatedKey(), PK, SK, GSI1SK) : null);
    answer.put("waiting", countInbox(gpk));
    return answer;
  }

  private long countInbox(String gpk) {
    long count = 0;
    Map<String, AttributeValue> start = null;
    do {
      var req = QueryRequest.builder().tableName(table.name()).indexName(GSI1)
          .keyConditionExpression("#pk = :pk").expressionAttributeNames(Map.of("#pk", GSI1PK))
          .expressionAttributeValues(Map.of(":pk", s(gpk))).select(software.amazon.awssdk.services.dynamodb.model.Select.COUNT);
      if (start != null) {
        req.exclusiveStartKey(start);
      }
      var res = dynamo.query(req.build());
      count += res.count();
      start = res.hasLastEvaluatedKey() && !res.lastEvaluatedKey().isEmpty() ? res.lastEvaluatedKey() : null;
    } while (start != null);
    return count;
  }

  /** One conversation, read-only: reading it never marks it read for the agent. */
  public Map<String, Object> conversation(Principal caller, String threadId) {
    ThreadIds.Parts parts = ThreadIds.parse(threadId);
    caller.requireManage(parts.groupId());
    Instant now = clock.instant();
    Contact c = contacts.get(caller.orgId(), parts.groupId(), parts.contactId())
        .orElseThrow(() -> ApiException.notFound("Conversation " + threadId));
    Optional<Thread> t = threads.get(caller.orgId(), threadId);
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("id", threadId);
    m.put("groupId", parts.groupId());
    m.put("contact", c);
    m.put("goalId", t.map(Thread::goalId).orElse(null));
    m.put("agents", t.map(x -> x.agents().stream().sorted().toList()).orElse(List.of()));
    m.put("holderAgentId", t.filter(x -> x.holdUntil() != null && x.holdUntil().isAfter(now))
        .map(Thread::holderAgentId).orElse(null));
    m.put("holdUntil", t.map(Thread::holdUntil).filter(h -> h.isAfter(now)).map(Instant::toString).orElse(null));
    m.put("unread", t.map(Thread::unread).orElse(false));
    m.put("messages", t.isPresent() ? threads.messages(caller.orgId(), threadId, MESSAGES_SHOWN) : List.of());
    return m;
  }

  /** Assigns, reassigns ({@code agentId}) or unassigns ({@code null}) the conversation's contact, at once. */
  public Contact assign(Principal caller, String threadId, JsonNode body) {
    ThreadIds.Parts parts = ThreadIds.parse(threadId);
    caller.requireManage(parts.groupId());
    Violations v = new Violations();
    Fields f = Fields.ofBody(body, v);
    f.allowOnly(Set.of("agentId"));
    if (!f.has("agentId")) {
      v.add("agentId", "is required: an agent's user id, or null to unassign");
    }
    Optional<String> agent = f.string("agentId").map(String::trim);
    v.throwIfAny();
    agent.ifPresent(a -> {
      if (groups.getMember(caller.orgId(), parts.groupId(), a).isEmpty()) {
        throw ApiException.invalid("agentId", "'" + a + "' is not a member of this group");
      }
    });
    return reassignment.assign(caller.orgId(), parts.groupId(), parts.contactId(), agent, clock.instant());
  }
}
