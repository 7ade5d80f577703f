package dev.goalpost.messaging.inbound;

import static dev.goalpost.platform.Table.*;

import dev.goalpost.contacts.Contact;
import dev.goalpost.contacts.ContactChanges;
import dev.goalpost.contacts.ContactRepository;
import dev.goalpost.groups.Group;
import dev.goalpost.groups.GroupCache;
import dev.goalpost.groups.GroupRepository;
import dev.goalpost.messaging.OptOuts;
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
 * that phone) — a contact the group did not know is created — is marked unread for the unread workflow (in
 * the goal and pool of the thread's last outbound text) and for every agent on the thread, and counts as the
 * contact having responded in that goal. A reply on a thread with no goal and no agent (a contact nobody
 * texted, a stranger's number) goes to the group's inbox, which review shows and counts. The reply and
 * everything it decides is one transaction with a record of the carrier's message id, conditioned on its
 * absence: a redelivered or duplicated webhook is stored once; the record then drives the follow-up work
 * until it is settled (see {@link #receiveOnce} and {@link #settle}).
 *
 * <p>Keywords (the whole message): STOP and its synonyms opt the phone out across the org (the org list plus
 * every group's contact) and send exactly one confirmation; START/UNSTOP opt back in; HELP gets the help text.
 * Keyword messages are stored but not left unread: the system answered them.
 *
 * <pre>
 * item              PK                                 SK        attributes
 * inbound record    INBOUND#{provider}#{providerId}    INBOUND   orgId, threadId, at, atMs, phone, keyword, optedOut,
 *                                                                reply* (the confirmation), settled   (TTL 30 days)
 * </pre>
 * Cost per reply: 1 GetItem (number) + 1 BatchGetItem (contact, thread, inbound record; + the opt-out item
 * for STOP/START) + 1 TransactWriteItems of at most 6 items whatever the number of participants (record,
 * message, thread; + opt-out, confirmation and its segment counter) + 1 PutEvents + 1 UpdateItem (settled).
 * The goal's result and counters and the participants' conversation rows follow from the stored message and
 * record through the table's stream (projections/Projection).
 */
public final class InboundService {
  private static final Logger LOG = Logger.getLogger(InboundService.class.getName());
  static final long RECORD_TTL_SECONDS = 30L * 24 * 3600;
  static final String A_SETTLED = "settled";

  private final DynamoDbClient dynamo;
  private final Table table;
  private final BatchReads reads;
  private final GroupRepository groups;
  private final GroupCache groupCache;
  private final ContactRepository contacts;
  private final ThreadRepository threads;
  private final OptOuts optOuts;
  private final OutboundQueue queue;
  private final dev.goalpost.counters.SegmentCounter segments;
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
    this.segments = new dev.goalpost.counters.SegmentCounter(dynamo, table);
    this.dynamo = dynamo;
    this.table = table;
    this.reads = new BatchReads(dynamo, table);
    this.groups = new GroupRepository(dynamo, table);
    this.groupCache = new GroupCache(groups, clock);
    this.contacts = new ContactRepository(dynamo, table);
    this.threads = new ThreadRepository(dynamo, table);
    this.optOuts = new OptOuts(dynamo, table);
    this.queue = outbound;
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
      "inbound.participations", "inbound.fanOut", "inbound.handOff", "inbound.events");

  /** The keyword's opt-out item changed under us (a concurrent STOP/START): read again and redo. */
  private static final class OptOutMoved extends RuntimeException {
    OptOutMoved(Throwable cause) {
      super("The contact's opt-out changed concurrently", cause);
    }
  }

  public Stored receive(InboundSms sms) {
    for (int attempt = 1; ; attempt++) {
      try {
        return receiveOnce(sms);
      } catch (OptOutMoved e) {
        if (attempt >= 3) {
          throw e; // the queue redelivers
        }
      }
    }
  }

  /**
   * Stores the reply and everything it decides, in ONE transaction bounded in size whatever the thread:
   * the inbound record (conditioned on absence: the exactly-once gate), the message, the thread and — for a
   * keyword — the org-wide opt-out item (put for STOP, deleted for START, each conditioned on what was read, so
   * two concurrent STOPs cannot both be "first"), the one confirmation message and its 10DLC segments. The
   * record says {@code optedOut} for the STOP that opted the phone out: the stream projection marks the goal's
   * result from it, and counts that change once.
   *
   * <p>What fans out to an unbounded number of items — every group's
   * copy of the contact — and what leaves DynamoDB (the queue, the events) runs after the commit in
   * {@link #settle}, which is idempotent and converges to the stored state. The record stays
   * {@code settled = false} until it has all run; a redelivery (the queue redelivers whatever failed or
   * crashed) finds the record and runs {@link #settle} again. So each effect happens once, at any crash point.
   */
  private Stored receiveOnce(InboundSms sms) {
    Instant now = clock.instant();
    GroupRepository.NumberOwner owner = groups.ownerOf(sms.to()).orElseThrow(() -> new UnknownNumber(sms.to()));
    String org = owner.orgId();
    Group group = groupCache.get(org, owner.groupId()).orElseThrow(() -> new UnknownNumber(sms.to()));
    String contactId = ContactRepository.contactId(org, group.id(), sms.from());
    String threadId = ThreadIds.of(group.id(), contactId);
    Optional<Keywords.Keyword> keyword = Keywords.classify(sms.body());
    Map<String, AttributeValue> recordKey = recordKey(sms);
    Map<String, AttributeValue> threadKey = key(ThreadRepository.threadPartition(org, threadId), ThreadRepository.SK_THREAD);
    Map<String, AttributeValue> contactKey = key(groupPartition(org, group.id()), "CONTACT#" + contactId);
    Map<String, AttributeValue> optOutKey = OptOuts.key(org, sms.from());
    List<Map<String, AttributeValue>> keys = new ArrayList<>(List.of(recordKey, threadKey, contactKey));
    boolean optKeyword = keyword.filter(k -> k != Keywords.Keyword.HELP).isPresent();
    if (optKeyword) {
      keys.add(optOutKey);
    }
    var items = reads.get(keys);
    if (items.containsKey(BatchReads.id(recordKey))) {
      var existing = items.get(BatchReads.id(recordKey));
      if (!settled(existing)) {
        // Stored before, but what follows the commit did not all run (a crash, a failed call): run it now.
        settle(recordKey, existing);
      }
      return new Stored(true, threadId, Optional.empty());
    }
    if (!items.containsKey(BatchReads.id(contactKey))) {
      // A phone the group never imported: it becomes a contact so agents can answer it.
      contacts.upsert(org, group.id(), sms.from(), new ContactChanges(Optional.empty(), Optional.empty(), Map.of(),
          Optional.empty(), List.of(), List.of(), Optional.empty(), Optional.empty(), Optional.empty()), now);
    }
    Optional<Thread> thread = Optional.ofNullable(items.get(BatchReads.id(threadKey))).map(ThreadRepository::fromItem);

    // A thread reads in order: a reply is never filed before the text it answers, even within one millisecond.
    Instant at = thread.map(Thread::lastMessageAt).filter(last -> !last.isBefore(now)).map(last -> last.plusMillis(1))
        .orElse(now);
    Message message = new Message(ids.next("msg"), threadId, Message.Direction.INBOUND, sms.body(),
        Segments.count(sms.body()).segments(), Segments.count(sms.body()).encoding().name(), Message.Status.RECEIVED,
        null, thread.map(Thread::goalId).orElse(null), null, null, at, sms.providerMessageId(), null, sms.from(),
        sms.to());
    boolean unread = keyword.isEmpty();
    boolean wasOptedOut = items.containsKey(BatchReads.id(optOutKey));
    boolean optsOut = keyword.filter(k -> k == Keywords.Keyword.STOP).isPresent() && !wasOptedOut;
    boolean optsIn = keyword.filter(k -> k == Keywords.Keyword.START).isPresent() && wasOptedOut;
    // A number whose provider answers STOP itself (Twilio's default) gets no second confirmation from us.
    boolean confirmStop = owner.provider().map(dev.goalpost.groups.NumberProvider::goalpostConfirmsStop).orElse(true);
    Optional<String> confirmation = keyword.filter(k -> k != Keywords.Keyword.STOP || confirmStop)
        .flatMap(k -> confirmationText(k, group, optsOut, optsIn));
    Optional<Message> reply = confirmation.map(body -> new Message(
        Ids.derived("msg", "reply|" + sms.provider() + "|" + sms.providerMessageId()), threadId,
        Message.Direction.OUTBOUND, body, Segments.count(body).segments(), Segments.count(body).encoding().name(),
        Message.Status.QUEUED, null, null, null, "system", at.plusMillis(1), null, null, sms.to(), sms.from()));

    List<TransactWriteItem> writes = new ArrayList<>();
    Map<String, AttributeValue> record = new HashMap<>(recordKey);
    record.put("orgId", s(org));
    record.put("threadId", s(threadId));
    record.put("at", s(now.toString()));
    record.put("atMs", n(at.toEpochMilli()));
    record.put("groupId", s(group.id()));
    record.put("contactId", s(contactId));
    record.put("phone", s(sms.from()));
    record.put("providerMessageId", s(sms.providerMessageId()));
    record.put("unread", AttributeValue.fromBool(unread));
    record.put("preview", s(Message.preview(sms.body())));
    // The thread's agents are its participants (a send writes both in one transaction): settling needs no Query.
    java.util.Set<String> agents = thread.map(Thread::agents).orElse(java.util.Set.of());
    if (!agents.isEmpty()) {
      record.put("agents", AttributeValue.fromSs(List.copyOf(agents)));
    }
    thread.map(Thread::goalId).ifPresent(g -> record.put("goalId", s(g)));
    keyword.ifPresent(k -> record.put("keyword", s(k.name())));
    if (optsOut) {
      record.put("optedOut", AttributeValue.fromBool(true));
    }
    reply.ifPresent(r -> {
      record.put("replyId", s(r.id()));
      record.put("replySortKey", s(MessageMapper.sortKey(r)));
      record.put("replyAtMs", n(r.createdAt().toEpochMilli()));
      record.put("replyFrom", s(r.from()));
    });
    record.put(A_SETTLED, AttributeValue.fromBool(false));
    record.put(EXPIRES_AT, n(now.getEpochSecond() + RECORD_TTL_SECONDS));
    writes.add(TransactWriteItem.builder().put(Put.builder().tableName(table.name()).item(record)
        .conditionExpression("attribute_not_exists(#pk)").expressionAttributeNames(Map.of("#pk", PK)).build()).build());
    writes.add(TransactWriteItem.builder().put(Put.builder().tableName(table.name())
        .item(MessageMapper.toItem(org, message)).build()).build());
    writes.add(threadUpdate(org, threadId, group, contactId, thread, unread, at));
    // The goal's result (responded, replies, opted out) and counters, and the agents' conversation rows, follow
    // from the stored message and this record through the table's stream (projections/Projection).
    int optOutIndex = -1;
    if (optsOut) {
      optOutIndex = writes.size();
      writes.add(optOuts.putOptOut(org, sms.from(), "contact", now));
    } else if (optsIn) {
      optOutIndex = writes.size();
      writes.add(optOuts.deleteOptOut(org, sms.from()));
    } else if (keyword.filter(k -> k == Keywords.Keyword.STOP).isPresent() && wasOptedOut
        && !"contact".equals(str(items.get(BatchReads.id(optOutKey)), "source"))) {
      // Opted out by an admin or agent before: the contact's own STOP takes it over (only the contact may undo it).
      optOutIndex = writes.size();
      writes.add(optOuts.takeOverForContact(org, sms.from(), now));
    }
    reply.ifPresent(r -> {
      writes.add(TransactWriteItem.builder().put(Put.builder().tableName(table.name())
          .item(MessageMapper.toItem(org, r)).build()).build());
      // Every text that leaves counts toward the 10DLC day; a confirmation is never refused for the cap.
      writes.add(segments.add(group, now, r.segments(), false));
    });
    crash.reached("inbound.beforeCommit");
    try {
      // Conflicts on the goal's shared counters are retried here rather than by a redelivery of the message.
      dev.goalpost.platform.Transactions.writeRetryingConflicts(dynamo, writes, "Replies are busy; redelivered later");
    } catch (TransactionCanceledException e) {
      var reasons = e.cancellationReasons();
      if (!reasons.isEmpty() && "ConditionalCheckFailed".equals(reasons.get(0).code())) {
        return new Stored(true, threadId, Optional.empty()); // a concurrent delivery stored it first
      }
      if (optOutIndex >= 0 && optOutIndex < reasons.size()
          && "ConditionalCheckFailed".equals(reasons.get(optOutIndex).code())) {
        throw new OptOutMoved(e);
      }
      throw e;
    }
    crash.reached("inbound.committed");
    settle(recordKey, record);
    return new Stored(false, threadId, keyword);
  }

  private static Map<String, AttributeValue> recordKey(InboundSms sms) {
    return key("INBOUND#" + sms.provider() + "#" + sms.providerMessageId(), "INBOUND");
  }

  private static boolean settled(Map<String, AttributeValue> record) {
    // Records written before settling existed carried only eventsPublished.
    return bool(record, A_SETTLED) || (!record.containsKey(A_SETTLED) && bool(record, "eventsPublished"));
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

  private static OutboundQueue.Ref replyRef(String org, String threadId, String id, String sortKey, String from,
                                            String to) {
    return new OutboundQueue.Ref(org, threadId, sortKey, id, from, to);
  }

  /**
   * What follows the commit, from the stored record alone (so a redelivery can run it again), each step
   * idempotent: the participants' conversation entries (each only if nothing newer happened there), the
   * opt-out's fan-out to every group's contact (set to what the org list says NOW, so a late redelivery of a
   * STOP never undoes a START that followed it), the confirmation's hand-off to the queue, the events; then
   * the record is marked settled. Cost: 1 UpdateItem per participant (the record names them); for STOP/START
   * 1 GetItem (the list) + 1 Query (groups) + 1 UpdateItem per group; 1 SendMessage + 1 DeleteItem (outbox);
   * 1 PutEvents; 1 UpdateItem (settled).
   */
  private void settle(Map<String, AttributeValue> recordKey, Map<String, AttributeValue> record) {
    String org = str(record, "orgId");
    String threadId = str(record, "threadId");
    String keyword = str(record, "keyword");
    String phone = str(record, "phone");
    // The participants' conversation rows: the stream projection, from the stored message.
    crash.reached("inbound.participations");
    if (phone != null && ("STOP".equals(keyword) || "START".equals(keyword))) {
      fanOut(org, phone, Instant.parse(str(record, "at")));
    }
    crash.reached("inbound.fanOut");
    if (str(record, "replyId") != null) {
      try {
        queue.send(replyRef(org, threadId, str(record, "replyId"), str(record, "replySortKey"),
            str(record, "replyFrom"), phone));
      } catch (software.amazon.awssdk.core.exception.SdkException e) {
        // Stored QUEUED: the table stream's projection queues it.
        LOG.warning("Enqueue of confirmation " + str(record, "replyId") + " failed (" + e.getMessage()
            + "); the stream projection queues it");
      }
    }
    crash.reached("inbound.handOff");
    publishFor(record);
    crash.reached("inbound.events");
    dynamo.updateItem(UpdateItemRequest.builder().tableName(table.name()).key(recordKey)
        .updateExpression("SET #s = :t").expressionAttributeNames(Map.of("#s", A_SETTLED))
        .expressionAttributeValues(Map.of(":t", AttributeValue.fromBool(true))).build());
  }

  /**
   * ReplyReceived (and ContactOptedOut for the STOP that opted the phone out). A failure throws, the queue
   * redelivers, and the record, not yet settled, publishes again: at least once, never dropped.
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

  private TransactWriteItem threadUpdate(String org, String threadId, Group group, String contactId,
                                         Optional<Thread> thread, boolean unread, Instant now) {
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
    return TransactWriteItem.builder().update(Update.builder().tableName(table.name())
        .key(key(ThreadRepository.threadPartition(org, threadId), ThreadRepository.SK_THREAD))
        .updateExpression(u.expression()).expressionAttributeNames(u.names()).expressionAttributeValues(u.values())
        .build()).build();
  }

  /**
   * Every group of the org that knows this phone marks its contact as the org list says now (the list is the
   * source of truth, written in the keyword's transaction). Idempotent, and safe to repeat late.
   */
  private void fanOut(String org, String phone, Instant now) {
    new dev.goalpost.messaging.OrgOptOut(optOuts, contacts, groups, null)
        .copyFromList(org, phone, dev.goalpost.messaging.OrgOptOut.BY_CONTACT, now);
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
