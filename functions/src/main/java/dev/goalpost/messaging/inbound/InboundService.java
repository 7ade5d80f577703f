package dev.goalpost.messaging.inbound;

import static dev.goalpost.platform.Table.*;

import dev.goalpost.contacts.ContactChanges;
import dev.goalpost.contacts.ContactRepository;
import dev.goalpost.groups.Group;
import dev.goalpost.groups.GroupRepository;
import dev.goalpost.contacts.OptOuts;
import dev.goalpost.contacts.OrgOptOut;
import dev.goalpost.messaging.OutboundQueue;
import dev.goalpost.platform.CrashPoints;
import dev.goalpost.messaging.outbound.SenderService;
import dev.goalpost.platform.BatchReads;
import dev.goalpost.platform.Ids;
import dev.goalpost.platform.Table;
import dev.goalpost.scripts.Segments;
import dev.goalpost.conversations.Message;
import dev.goalpost.conversations.MessageMapper;
import dev.goalpost.conversations.Thread;
import dev.goalpost.conversations.ThreadIds;
import dev.goalpost.conversations.ThreadRepository;
import dev.goalpost.conversations.UnreadIndex;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.logging.Logger;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.*;

/**
 * Stores what carriers report. A reply lands on the thread of (the group owning the number, the contact with
 * that phone) — a contact the group did not know is created — and is marked unread for the unread workflow (in
 * the goal and pool of the thread's last outbound text). A reply on a thread with no goal and no agent (a
 * contact nobody texted, a stranger's number) goes to the group's inbox, which review shows and counts. The
 * reply and everything it decides is one transaction with a record of the carrier's message id, conditioned on
 * its absence: a redelivered or duplicated webhook is stored once; a redelivery runs the idempotent steps after
 * the commit again (see {@link #receiveOnce} and {@link #afterCommit}).
 *
 * <p>Keywords (the whole message): STOP and its synonyms opt the phone out across the org (the org list plus
 * every group's contact) and send exactly one confirmation; START/UNSTOP opt back in; HELP gets the help text.
 * Keyword messages are stored but not left unread: the system answered them.
 *
 * <p><b>What a reply no longer writes</b> (issue 14: no shared hot item on the per-text path). The goal's and
 * agent's counters (replies, responders, opt-outs), the goal result's {@code responded} flag and the
 * participants' conversation entries (unread, preview) are derived from this transaction's stream records by the
 * stream projection: the inbound message INSERT (it has {@code goalId}; the thread item names the agents;
 * keyword or not is {@link Keywords#classify} of its body) and the opt-out item's INSERT (it names the goal).
 * They lag the reply by the stream's delivery. A reply touches only the contact's thread, its message and the
 * inbound record (for a keyword also that phone's opt-out item, the confirmation and its 10DLC count): 200
 * contacts replying at once to one goal write 200 disjoint sets of items.
 *
 * <pre>
 * item              PK                                 SK        attributes
 * inbound record    INBOUND#{provider}#{providerId}    INBOUND   orgId, groupId, contactId, threadId, goalId?, at, atMs,
 *                                                                phone, providerMessageId, keyword?, optedOut?,
 *                                                                optOutChange? (OUT | IN | NONE),
 *                                                                reply* (the confirmation)   (TTL 30 days)
 * </pre>
 * <p>Cost (requests to DynamoDB):
 * <ul>
 *   <li>plain reply: 1 BatchGetItem (the number's claim — verifying the cached owner, see {@link NumberRoutes} —
 *       record, thread, contact; + the group item once a minute) + 1 TransactWriteItems of 3 items (record,
 *       message, thread; + the contact for a phone the group never imported) = <b>2</b>, and 1 more (GetItem of the
 *       number) the first time a processor instance sees the number: at most 3. + 1 PutEvents.</li>
 *   <li>STOP / START: the same BatchGetItem with the opt-out item, 1 TransactWriteItems of 7 items (+ opt-out,
 *       this group's contact flag, confirmation message, its 10DLC segments) = <b>2</b> whatever the org's
 *       number of groups; + 1 SendMessage (the confirmation) + 1 PutEvents. The org's other groups' copies
 *       follow from the opt-out item's stream record (the projection: 1 Query of the org's groups, 1 UpdateItem
 *       per group, 1 GetItem checking the list; seconds later). HELP: 2 (the confirmation commits with it).</li>
 *   <li>a redelivery of a stored message: 1 BatchGetItem, then the steps after the commit again.</li>
 * </ul>
 */
public final class InboundService {
  private static final Logger LOG = Logger.getLogger(InboundService.class.getName());
  static final long RECORD_TTL_SECONDS = 30L * 24 * 3600;
  static final int ATTEMPTS = 4;
  static final String A_OPT_OUT_CHANGE = "optOutChange";

  private final DynamoDbClient dynamo;
  private final Table table;
  private final BatchReads reads;
  private final GroupRepository groups;
  private final NumberRoutes routes;
  private final ContactRepository contacts;
  private final OptOuts optOuts;
  private final OutboundQueue outbound;
  private final dev.goalpost.counters.DailySegments segments;
  private final CrashPoints crash;
  private final Clock clock;
  private final Ids ids;
  private final dev.goalpost.platform.events.DomainEvents events;

  public InboundService(DynamoDbClient dynamo, Table table, OutboundQueue outbound,
                        dev.goalpost.platform.events.DomainEvents events, Clock clock, Ids ids) {
    this(dynamo, table, outbound, events, clock, ids, CrashPoints.NONE);
  }

  /** With crash points, for tests that stop it between steps. */
  public InboundService(DynamoDbClient dynamo, Table table, OutboundQueue outbound,
                        dev.goalpost.platform.events.DomainEvents events, Clock clock, Ids ids, CrashPoints crash) {
    this.events = events;
    this.crash = crash;
    this.segments = new dev.goalpost.counters.DailySegments(dynamo, table);
    this.dynamo = dynamo;
    this.table = table;
    this.reads = new BatchReads(dynamo, table);
    this.groups = new GroupRepository(dynamo, table);
    this.routes = new NumberRoutes(clock);
    this.contacts = new ContactRepository(dynamo, table);
    this.optOuts = new OptOuts(dynamo, table);
    this.outbound = outbound;
    this.clock = clock;
    this.ids = ids;
  }

  /** Thrown for a text to a number no group owns: it is kept (dead-letter queue), not guessed at. */
  public static final class UnknownNumber extends RuntimeException {
    UnknownNumber(String number) {
      super("No group owns " + number + "; the message stays in the dead-letter queue for inspection");
    }
  }

  public record Stored(boolean duplicate, String threadId, Optional<Keywords.Keyword> keyword) {}

  /** Crash points of {@link #receive}, in order (see {@link CrashPoints}). */
  public static final List<String> CRASH_POINTS = List.of("inbound.beforeCommit", "inbound.committed",
      "inbound.handOff", "inbound.events");

  /**
   * What was read changed before the transaction committed — the phone's opt-out (a concurrent STOP/START),
   * the thread's latest text (an agent's send), the number's owner (moved since cached): read again and redo.
   */
  private static final class Moved extends RuntimeException {
    Moved(String what, Throwable cause) {
      super(what + " changed concurrently", cause);
    }
  }

  public Stored receive(InboundSms sms) {
    for (int attempt = 1; ; attempt++) {
      try {
        return receiveOnce(sms);
      } catch (Moved e) {
        if (attempt >= ATTEMPTS) {
          throw e; // the queue redelivers
        }
      }
    }
  }

  /**
   * Stores the reply and everything it decides, in ONE transaction bounded in size whatever the thread:
   * the inbound record (conditioned on absence: the exactly-once gate), the message, the thread (conditioned on
   * its latest text being the one read, so the reply files after it), for a new phone its contact, and — for a
   * keyword — the org-wide opt-out item (put for STOP, deleted for START, each conditioned on what was read, so
   * two concurrent STOPs cannot both be "first"), the one confirmation message and its 10DLC segments.
   *
   * <p>A keyword that changes the list also flags this group's contact in the same transaction; what fans out
   * to an unbounded number of items — the org's other groups' copies — follows from the list item's stream
   * record (the projection). What leaves DynamoDB (the queue, the events) runs after the commit in
   * {@link #afterCommit}, every step idempotent; a failure or crash there makes the queue redeliver, which finds
   * the record and runs them again. So each effect happens once (the events at least once), at any crash point.
   */
  private Stored receiveOnce(InboundSms sms) {
    Instant now = clock.instant();
    Optional<Keywords.Keyword> keyword = Keywords.classify(sms.body());
    boolean optKeyword = keyword.filter(k -> k != Keywords.Keyword.HELP).isPresent();
    NumberRoutes.Route route = routes.get(sms.to()).orElseGet(() -> new NumberRoutes.Route(
        groups.ownerOf(sms.to()).orElseThrow(() -> new UnknownNumber(sms.to())), Optional.empty()));
    GroupRepository.NumberOwner cached = route.owner();
    String org = cached.orgId();
    String groupId = cached.groupId();
    String contactId = ContactRepository.contactId(org, groupId, sms.from());
    String threadId = ThreadIds.of(groupId, contactId);
    Map<String, AttributeValue> recordKey = recordKey(sms);
    Map<String, AttributeValue> numberKey = GroupRepository.numberKey(sms.to());
    Map<String, AttributeValue> groupKey = GroupRepository.groupKey(org, groupId);
    Map<String, AttributeValue> threadKey = key(ThreadRepository.threadPartition(org, threadId), ThreadRepository.SK_THREAD);
    Map<String, AttributeValue> contactKey = ContactRepository.contactKey(org, groupId, contactId);
    Map<String, AttributeValue> optOutKey = OptOuts.key(org, sms.from());
    List<Map<String, AttributeValue>> keys = new ArrayList<>(List.of(recordKey, numberKey, threadKey, contactKey));
    if (optKeyword) {
      keys.add(optOutKey);
    }
    if (route.group().isEmpty()) {
      keys.add(groupKey);
    }
    var items = reads.get(keys);
    if (items.containsKey(BatchReads.id(recordKey))) {
      // Stored before (a duplicate, or a redelivery after a failure or crash): run what follows the commit again.
      afterCommit(items.get(BatchReads.id(recordKey)));
      return new Stored(true, str(items.get(BatchReads.id(recordKey)), "threadId"), Optional.empty());
    }
    // The number's claim, read with the reply's items, decides: a cached owner is only a guess at the keys.
    GroupRepository.NumberOwner owner = GroupRepository.ownerFrom(items.get(BatchReads.id(numberKey)))
        .orElseThrow(() -> {
          routes.forget(sms.to());
          return new UnknownNumber(sms.to());
        });
    if (!owner.orgId().equals(org) || !owner.groupId().equals(groupId)) {
      routes.remember(sms.to(), owner); // it moved to another group: read that group's items instead
      throw new Moved("The number's group", null);
    }
    Group group = route.group().orElseGet(() -> Optional.ofNullable(items.get(BatchReads.id(groupKey)))
        .map(GroupRepository::fromStoredItem).orElseThrow(() -> {
          routes.forget(sms.to());
          return new UnknownNumber(sms.to());
        }));
    routes.put(sms.to(), owner, group, route.group().isEmpty());

    Map<String, AttributeValue> threadItem = items.get(BatchReads.id(threadKey));
    Optional<Thread> thread = Optional.ofNullable(threadItem).map(ThreadRepository::fromItem);
    // A thread reads in order: a reply is never filed before the text it answers, even within one millisecond.
    Instant at = thread.map(Thread::lastMessageAt).filter(last -> !last.isBefore(now)).map(last -> last.plusMillis(1))
        .orElse(now);
    Optional<String> goalId = thread.map(Thread::goalId);
    Message message = new Message(ids.next("msg"), threadId, Message.Direction.INBOUND, sms.body(),
        Segments.count(sms.body()).segments(), Segments.count(sms.body()).encoding().name(), Message.Status.RECEIVED,
        null, goalId.orElse(null), null, null, at, sms.providerMessageId(), null, sms.from(), sms.to());
    boolean unread = keyword.isEmpty();
    Map<String, AttributeValue> optOutItem = items.get(BatchReads.id(optOutKey));
    boolean wasOptedOut = optOutItem != null;
    boolean stop = keyword.filter(k -> k == Keywords.Keyword.STOP).isPresent();
    boolean optsOut = stop && !wasOptedOut;
    // Opted out by an admin, an agent or the carrier before: the contact's own STOP takes it over (only the
    // contact may undo it) and, being the contact's first STOP, is confirmed.
    boolean takesOver = stop && wasOptedOut && !OrgOptOut.BY_CONTACT.equals(str(optOutItem, "source"));
    boolean optsIn = keyword.filter(k -> k == Keywords.Keyword.START).isPresent() && wasOptedOut;
    // A number whose provider answers the keywords itself (Twilio's default: STOP, START and HELP) gets no second
    // answer from us; the opt-out or opt-in is recorded all the same.
    boolean weAnswer = owner.provider().map(dev.goalpost.groups.NumberProvider::goalpostAnswersKeywords).orElse(true);
    // (A carrier's opt-out means the carrier blocks our texts to the phone: no confirmation can reach it.)
    boolean confirmsTakeOver = takesOver && !"carrier".equals(str(optOutItem, "source"));
    Optional<String> confirmation = keyword.filter(k -> weAnswer)
        .flatMap(k -> confirmationText(k, group, optsOut || confirmsTakeOver, optsIn));
    Optional<Message> reply = confirmation.map(body -> new Message(
        Ids.derived("msg", "reply|" + sms.provider() + "|" + sms.providerMessageId()), threadId,
        Message.Direction.OUTBOUND, body, Segments.count(body).segments(), Segments.count(body).encoding().name(),
        Message.Status.QUEUED, null, null, null, "system", at.plusMillis(1), null, null, sms.to(), sms.from()));

    Map<String, AttributeValue> record = new HashMap<>(recordKey);
    record.put("orgId", s(org));
    record.put("threadId", s(threadId));
    record.put("at", s(now.toString()));
    record.put("atMs", n(at.toEpochMilli()));
    record.put("groupId", s(group.id()));
    record.put("contactId", s(contactId));
    record.put("phone", s(sms.from()));
    record.put("providerMessageId", s(sms.providerMessageId()));
    goalId.ifPresent(g -> record.put("goalId", s(g)));
    keyword.ifPresent(k -> record.put("keyword", s(k.name())));
    if (optsOut) {
      record.put("optedOut", AttributeValue.fromBool(true));
    }
    if (optKeyword) {
      // Whether this keyword changed the org list (the list item's stream record then updates every group's copy).
      record.put(A_OPT_OUT_CHANGE, s(optsOut || takesOver ? "OUT" : optsIn ? "IN" : "NONE"));
    }
    reply.ifPresent(r -> {
      record.put("replyId", s(r.id()));
      record.put("replySortKey", s(MessageMapper.sortKey(r)));
      record.put("replyAtMs", n(r.createdAt().toEpochMilli()));
      record.put("replyFrom", s(r.from()));
    });
    record.put(EXPIRES_AT, n(now.getEpochSecond() + RECORD_TTL_SECONDS));

    List<TransactWriteItem> writes = new ArrayList<>();
    writes.add(TransactWriteItem.builder().put(Put.builder().tableName(table.name()).item(record)
        .conditionExpression("attribute_not_exists(#pk)").expressionAttributeNames(Map.of("#pk", PK)).build()).build());
    writes.add(TransactWriteItem.builder().put(Put.builder().tableName(table.name())
        .item(MessageMapper.toItem(org, message)).build()).build());
    int threadIndex = writes.size();
    writes.add(threadUpdate(org, threadId, group, contactId, thread, threadItem, unread, at));
    if (!items.containsKey(BatchReads.id(contactKey))) {
      // A phone the group never imported: it becomes a contact so agents can answer it.
      writes.add(contacts.upsertWrite(org, group.id(), sms.from(), new ContactChanges(Optional.empty(),
          Optional.empty(), Map.of(), Optional.empty(), List.of(), List.of(), Optional.empty(), Optional.empty(),
          Optional.empty()), now));
    }
    int optOutIndex = -1;
    var where = new OptOuts.Where(group.id(), contactId, threadId, goalId.orElse(null));
    if (optsOut) {
      optOutIndex = writes.size();
      writes.add(optOuts.putOptOut(org, sms.from(), OrgOptOut.BY_CONTACT, where, now));
    } else if (takesOver) {
      optOutIndex = writes.size();
      writes.add(optOuts.takeOverForContact(org, sms.from(), where, now));
    } else if (optsIn) {
      optOutIndex = writes.size();
      writes.add(optOuts.deleteOptOut(org, sms.from()));
    }
    int contactIndex = -1;
    if (optOutIndex >= 0 && items.containsKey(BatchReads.id(contactKey))) {
      // This group's copy changes with the list; the other groups' copies follow from the list item's stream
      // record (the projection's opt-out step). A phone the group never imported gets its flag from there too.
      contactIndex = writes.size();
      writes.add(contacts.optedOutWrite(org, group.id(), contactId, !optsIn, OrgOptOut.BY_CONTACT, now));
    }
    reply.ifPresent(r -> {
      writes.add(TransactWriteItem.builder().put(Put.builder().tableName(table.name())
          .item(MessageMapper.toItem(org, r)).build()).build());
      writes.add(segments.count(group, now, r.segments(), threadId));
    });
    crash.reached("inbound.beforeCommit");
    try {
      dev.goalpost.platform.Transactions.writeRetryingConflicts(dynamo, writes, "Replies are busy; redelivered later");
    } catch (TransactionCanceledException e) {
      var reasons = e.cancellationReasons();
      if (failed(reasons, 0)) {
        return new Stored(true, threadId, Optional.empty()); // a concurrent delivery stored it first
      }
      if (failed(reasons, threadIndex)) {
        throw new Moved("The thread's latest text", e);
      }
      if (optOutIndex >= 0 && failed(reasons, optOutIndex)) {
        throw new Moved("The contact's opt-out", e);
      }
      if (failed(reasons, contactIndex)) {
        throw new Moved("The contact", e); // deleted since the read: read again
      }
      throw e;
    }
    crash.reached("inbound.committed");
    afterCommit(record);
    return new Stored(false, threadId, keyword);
  }

  private static boolean failed(List<CancellationReason> reasons, int index) {
    return index >= 0 && index < reasons.size() && "ConditionalCheckFailed".equals(reasons.get(index).code());
  }

  /**
   * The confirmation's 10DLC count: every text that leaves counts toward the day; a confirmation is never
   * refused for the cap. (Until the sharded day count {@code counters/DailySegments} lands, the group's day
   * item; it becomes {@code DailySegments.count(...)}, one unconditional ADD to one shard.)
   */
  private static Map<String, AttributeValue> recordKey(InboundSms sms) {
    return key("INBOUND#" + sms.provider() + "#" + sms.providerMessageId(), "INBOUND");
  }

  private static Optional<String> confirmationText(Keywords.Keyword k, Group group, boolean optsOut, boolean optsIn) {
    return switch (k) {
      case STOP -> optsOut ? Optional.of(group.name()
          + ": You are unsubscribed and will receive no more texts from us. Reply START to resubscribe.")
          : Optional.empty();
      case START -> optsIn ? Optional.of(group.name() + ": You are resubscribed. Reply STOP to opt out, HELP for help.")
          : Optional.empty();
      case HELP -> Optional.of(group.name() + ": Texts from our volunteer team. Reply STOP to opt out.");
    };
  }

  /**
   * What follows the commit, from the stored record alone (so a redelivery can run it again), each step
   * idempotent: the confirmation's hand-off to the queue, then the events. A failure throws and the queue
   * redelivers. The confirmation reaches the queue even if this never finishes: the stream projection enqueues
   * every QUEUED outbound message it sees inserted (the queue drops the repeated message id; the sender only
   * sends what it moves from QUEUED to SENDING). The opt-out's copies in the org's other groups are not written
   * here: the opt-out item's stream record makes the projection write them ({@code projections/Projection},
   * {@link OrgOptOut#copyFromList}), so a STOP costs the same in an org of one group or of fifty.
   * Cost: 1 SendMessage for a confirmation; 1 PutEvents.
   */
  private void afterCommit(Map<String, AttributeValue> record) {
    String org = str(record, "orgId");
    String threadId = str(record, "threadId");
    String phone = str(record, "phone");
    if (str(record, "replyId") != null) {
      // A failure throws: the redelivery queues it (or the stream projection does).
      outbound.send(new OutboundQueue.Ref(org, threadId, str(record, "replySortKey"), str(record, "replyId"),
          str(record, "replyFrom"), phone));
    }
    crash.reached("inbound.handOff");
    publishFor(record);
    crash.reached("inbound.events");
  }

  /**
   * ReplyReceived (and ContactOptedOut for the STOP that opted the phone out). A failure throws, the queue
   * redelivers, and the redelivery publishes again: at least once, never dropped (consumers dedupe on the
   * carrier's id, EVENTS.md).
   */
  private void publishFor(Map<String, AttributeValue> record) {
    String org = str(record, "orgId");
    Instant at = Instant.parse(str(record, "at"));
    Map<String, Object> reply = new java.util.LinkedHashMap<>();
    reply.put("groupId", str(record, "groupId"));
    reply.put("threadId", str(record, "threadId"));
    reply.put("contactId", str(record, "contactId"));
    reply.put("goalId", str(record, "goalId"));
    reply.put("providerMessageId", str(record, "providerMessageId"));
    reply.put("keyword", str(record, "keyword"));
    List<dev.goalpost.platform.events.DomainEvent> out = new ArrayList<>();
    out.add(new dev.goalpost.platform.events.DomainEvent(dev.goalpost.platform.events.DomainEvent.Type.ReplyReceived,
        org, at, reply));
    if (bool(record, "optedOut")) {
      Map<String, Object> optOut = new java.util.LinkedHashMap<>();
      optOut.put("phone", str(record, "phone"));
      optOut.put("groupId", str(record, "groupId"));
      optOut.put("contactId", str(record, "contactId"));
      optOut.put("source", "contact");
      optOut.put("keywordMessageId", str(record, "providerMessageId"));
      out.add(new dev.goalpost.platform.events.DomainEvent(dev.goalpost.platform.events.DomainEvent.Type.ContactOptedOut,
          org, at, optOut));
    }
    events.publish(out);
  }

  /**
   * The thread after a reply: latest activity, unread (and in the goal's unread index or the group's inbox).
   * Conditioned on the latest text being the one read ({@code lastMessageAt}), so a send that committed
   * between the read and this write makes the reply read again and file after it.
   */
  private TransactWriteItem threadUpdate(String org, String threadId, Group group, String contactId,
                                         Optional<Thread> thread, Map<String, AttributeValue> threadItem,
                                         boolean unread, Instant now) {
    dev.goalpost.platform.Update u = new dev.goalpost.platform.Update()
        .set(ThreadRepository.A_TYPE, s("THREAD"))
        .set(ThreadRepository.A_THREAD_ID, s(threadId))
        .set(ThreadRepository.A_ORG_ID, s(org))
        .set(ThreadRepository.A_GROUP_ID, s(group.id()))
        .set(ThreadRepository.A_CONTACT_ID, s(contactId))
        .set(ThreadRepository.A_UNREAD, AttributeValue.fromBool(unread))
        .set(ThreadRepository.A_LAST_AT, s(now.toString()))
        .set(ThreadRepository.A_LAST_INBOUND, s(now.toString()))
        .set(ThreadRepository.A_LAST_DIRECTION, s(Message.Direction.INBOUND.name()));
    Optional<String> goalId = thread.map(Thread::goalId);
    boolean nobodyOnIt = thread.map(t -> t.agents().isEmpty()).orElse(true);
    if (unread && goalId.isPresent()) {
      String pool = thread.map(Thread::pool).orElse("ANY");
      // A thread another agent still holds becomes claimable when that hold ends, not before.
      long availableAt = thread.map(Thread::holdUntil).filter(h -> h.isAfter(now)).map(Instant::toEpochMilli).orElse(0L);
      u.set(GSI1PK, s(ThreadRepository.unreadPartition(org, goalId.get(), pool)));
      u.set(GSI1SK, s(UnreadIndex.sortKey(availableAt, now, threadId)));
    } else if (unread && nobodyOnIt) {
      // No goal and no agent: nobody's work or list would show it. The group's inbox does, for its admins and
      // managers (review), until an agent opens or answers the thread.
      u.set(GSI1PK, s(ThreadRepository.inboxPartition(org, group.id())));
      u.set(GSI1SK, s(ThreadRepository.sortMs(now.toEpochMilli()) + "#" + threadId));
    } else if (!unread) {
      u.remove(GSI1PK).remove(GSI1SK);
    }
    String condition;
    if (threadItem == null) {
      condition = "attribute_not_exists(" + u.name(PK) + ")";
    } else if (threadItem.containsKey(ThreadRepository.A_LAST_AT)) {
      condition = u.name(ThreadRepository.A_LAST_AT) + " = " + u.value(threadItem.get(ThreadRepository.A_LAST_AT));
    } else {
      condition = "attribute_not_exists(" + u.name(ThreadRepository.A_LAST_AT) + ")";
    }
    return TransactWriteItem.builder().update(Update.builder().tableName(table.name())
        .key(key(ThreadRepository.threadPartition(org, threadId), ThreadRepository.SK_THREAD))
        .updateExpression(u.expression()).conditionExpression(condition).expressionAttributeNames(u.names())
        .expressionAttributeValues(u.values()).build()).build();
  }

  /** A delivery receipt moves SENT → DELIVERED or FAILED; a receipt never moves a message backwards. */
  public boolean receipt(DeliveryReceipt r) {
    var lookup = dynamo.getItem(GetItemRequest.builder().tableName(table.name())
        .key(SenderService.providerLookupKey(r.providerMessageId())).consistentRead(true).build());
    if (!lookup.hasItem() || lookup.item().isEmpty()) {
      // The sender may not have recorded the provider id yet: retry later (SQS redelivery), never drop.
      return false;
    }
    String status = switch (r.status()) {
      case DELIVERED -> "DELIVERED";
      case FAILED -> "FAILED";
      case SENT, QUEUED -> null;
    };
    if (status == null) {
      return true;
    }
    var messageKey = key(ThreadRepository.threadPartition(str(lookup.item(), "orgId"), str(lookup.item(), "threadId")),
        str(lookup.item(), "messageSortKey"));
    Map<String, AttributeValue> values = new HashMap<>(Map.of(":st", s(status), ":sent", s("SENT"),
        ":sending", s("SENDING")));
    String expr = "SET #s = :st";
    Map<String, String> names = new HashMap<>(Map.of("#s", "status"));
    if (r.errorCode() != null || r.errorMessage() != null) {
      expr += ", #err = :err";
      names.put("#err", "error");
      values.put(":err", s(("carrier " + Optional.ofNullable(r.errorCode()).orElse("") + " "
          + Optional.ofNullable(r.errorMessage()).orElse("")).trim()));
    }
    try {
      dynamo.updateItem(UpdateItemRequest.builder().tableName(table.name()).key(messageKey).updateExpression(expr)
          .conditionExpression("#s IN (:sent, :sending)").expressionAttributeNames(names)
          .expressionAttributeValues(values).build());
    } catch (ConditionalCheckFailedException e) {
      // Already final (a late or repeated receipt).
    }
    return true;
  }
}
