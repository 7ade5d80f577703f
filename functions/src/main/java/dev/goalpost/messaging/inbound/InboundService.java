package dev.goalpost.messaging.inbound;

import static dev.goalpost.platform.Table.*;

import dev.goalpost.contacts.Contact;
import dev.goalpost.contacts.ContactChanges;
import dev.goalpost.contacts.ContactRepository;
import dev.goalpost.goals.GoalRepository;
import dev.goalpost.groups.Group;
import dev.goalpost.groups.GroupCache;
import dev.goalpost.groups.GroupRepository;
import dev.goalpost.messaging.OptOuts;
import dev.goalpost.messaging.OutboundQueue;
import dev.goalpost.messaging.outbound.SenderService;
import dev.goalpost.platform.BatchReads;
import dev.goalpost.platform.Ids;
import dev.goalpost.platform.Table;
import dev.goalpost.scripts.Segments;
import dev.goalpost.workflows.Message;
import dev.goalpost.workflows.MessageMapper;
import dev.goalpost.workflows.Thread;
import dev.goalpost.workflows.ThreadIds;
import dev.goalpost.workflows.ThreadRepository;
import dev.goalpost.workflows.UnreadIndex;
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
 * contact having responded in that goal. Everything is one transaction with a record of the carrier's message
 * id, conditioned on its absence: a redelivered or duplicated webhook is stored once.
 *
 * <p>Keywords (the whole message): STOP and its synonyms opt the phone out across the org (the org list plus
 * every group's contact) and send exactly one confirmation; START/UNSTOP opt back in; HELP gets the help text.
 * Keyword messages are stored but not left unread: the system answered them.
 *
 * <pre>
 * item              PK                                 SK        attributes
 * inbound record    INBOUND#{provider}#{providerId}    INBOUND   orgId, threadId, at   (TTL 30 days)
 * </pre>
 * Cost per reply: 1 GetItem (number) + 1 BatchGetItem (contact, thread, inbound record) + 1 Query
 * (participants) + 1 TransactWriteItems (record, message, thread, result, participations).
 */
public final class InboundService {
  private static final Logger LOG = Logger.getLogger(InboundService.class.getName());
  static final long RECORD_TTL_SECONDS = 30L * 24 * 3600;

  private final DynamoDbClient dynamo;
  private final Table table;
  private final BatchReads reads;
  private final GroupRepository groups;
  private final GroupCache groupCache;
  private final ContactRepository contacts;
  private final ThreadRepository threads;
  private final OptOuts optOuts;
  private final OutboundQueue outbound;
  private final Clock clock;
  private final Ids ids;
  private final dev.goalpost.platform.events.DomainEvents events;
  private final dev.goalpost.review.GoalStats stats;

  public InboundService(DynamoDbClient dynamo, Table table, OutboundQueue outbound,
                        dev.goalpost.platform.events.DomainEvents events, Clock clock, Ids ids) {
    this.events = events;
    this.stats = new dev.goalpost.review.GoalStats(dynamo, table);
    this.dynamo = dynamo;
    this.table = table;
    this.reads = new BatchReads(dynamo, table);
    this.groups = new GroupRepository(dynamo, table);
    this.groupCache = new GroupCache(groups, clock);
    this.contacts = new ContactRepository(dynamo, table);
    this.threads = new ThreadRepository(dynamo, table);
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

  public Stored receive(InboundSms sms) {
    Instant now = clock.instant();
    GroupRepository.NumberOwner owner = groups.ownerOf(sms.to()).orElseThrow(() -> new UnknownNumber(sms.to()));
    String org = owner.orgId();
    Group group = groupCache.get(org, owner.groupId()).orElseThrow(() -> new UnknownNumber(sms.to()));
    String contactId = ContactRepository.contactId(org, group.id(), sms.from());
    String threadId = ThreadIds.of(group.id(), contactId);
    Map<String, AttributeValue> recordKey = key("INBOUND#" + sms.provider() + "#" + sms.providerMessageId(), "INBOUND");
    Map<String, AttributeValue> threadKey = key(ThreadRepository.threadPartition(org, threadId), ThreadRepository.SK_THREAD);
    Map<String, AttributeValue> contactKey = key(groupPartition(org, group.id()), "CONTACT#" + contactId);
    var items = reads.get(List.of(recordKey, threadKey, contactKey));
    if (items.containsKey(BatchReads.id(recordKey))) {
      var existing = items.get(BatchReads.id(recordKey));
      if (!bool(existing, "eventsPublished")) {
        // Stored before, but its events did not get out (a crash or a PutEvents failure): send them now.
        publishFor(recordKey, existing, sms);
      }
      return new Stored(true, threadId, Optional.empty());
    }
    if (!items.containsKey(BatchReads.id(contactKey))) {
      // A phone the group never imported: it becomes a contact so agents can answer it.
      contacts.upsert(org, group.id(), sms.from(), new ContactChanges(Optional.empty(), Optional.empty(), Map.of(),
          Optional.empty(), List.of(), List.of(), Optional.empty(), Optional.empty(), Optional.empty()), now);
    }
    Optional<Thread> thread = Optional.ofNullable(items.get(BatchReads.id(threadKey))).map(ThreadRepository::fromItem);
    Optional<Keywords.Keyword> keyword = Keywords.classify(sms.body());

    // A thread reads in order: a reply is never filed before the text it answers, even within one millisecond.
    Instant at = thread.map(Thread::lastMessageAt).filter(last -> !last.isBefore(now)).map(last -> last.plusMillis(1))
        .orElse(now);
    Message message = new Message(ids.next("msg"), threadId, Message.Direction.INBOUND, sms.body(),
        Segments.count(sms.body()).segments(), Segments.count(sms.body()).encoding().name(), Message.Status.RECEIVED,
        null, thread.map(Thread::goalId).orElse(null), null, null, at, sms.providerMessageId(), null, sms.from(),
        sms.to());
    boolean unread = keyword.isEmpty();
    List<TransactWriteItem> writes = new ArrayList<>();
    Map<String, AttributeValue> record = new HashMap<>(recordKey);
    record.put("orgId", s(org));
    record.put("threadId", s(threadId));
    record.put("at", s(now.toString()));
    record.put("groupId", s(group.id()));
    record.put("contactId", s(contactId));
    thread.map(Thread::goalId).ifPresent(g -> record.put("goalId", s(g)));
    keyword.ifPresent(k -> record.put("keyword", s(k.name())));
    record.put("eventsPublished", AttributeValue.fromBool(false));
    record.put(EXPIRES_AT, n(now.getEpochSecond() + RECORD_TTL_SECONDS));
    writes.add(TransactWriteItem.builder().put(Put.builder().tableName(table.name()).item(record)
        .conditionExpression("attribute_not_exists(#pk)").expressionAttributeNames(Map.of("#pk", PK)).build()).build());
    writes.add(TransactWriteItem.builder().put(Put.builder().tableName(table.name())
        .item(MessageMapper.toItem(org, message)).build()).build());
    writes.add(threadUpdate(org, threadId, group, contactId, thread, unread, at));
    Optional<String> goalId = thread.map(Thread::goalId);
    if (goalId.isPresent()) {
      writes.add(respondedWrite(org, goalId.get(), contactId, now));
      // Counted in the same transaction: replies always, responders on a contact's first reply in the goal.
      var result = dynamo.getItem(GetItemRequest.builder().tableName(table.name())
          .key(key(GoalRepository.goalPartition(org, goalId.get()), "RESULT#" + contactId)).consistentRead(true).build());
      boolean firstReply = !result.hasItem() || !bool(result.item(), "responded");
      Map<dev.goalpost.review.GoalStats.Counter, Long> deltas = new java.util.EnumMap<>(dev.goalpost.review.GoalStats.Counter.class);
      deltas.put(dev.goalpost.review.GoalStats.Counter.replies, 1L);
      if (firstReply) {
        deltas.put(dev.goalpost.review.GoalStats.Counter.responders, 1L);
      }
      String agentOnThread = thread.map(Thread::holderAgentId).orElse(null);
      writes.addAll(stats.add(org, goalId.get(), agentOnThread, deltas));
    }
    if (thread.isPresent()) {
      for (String agent : threads.participants(org, threadId)) {
        writes.add(participationUpdate(org, threadId, agent, unread, sms.body(), now));
      }
    }
    try {
      // Conflicts on the goal's shared counters are retried here rather than by a redelivery of the message.
      dev.goalpost.platform.Transactions.writeRetryingConflicts(dynamo, writes, "Replies are busy; redelivered later");
    } catch (TransactionCanceledException e) {
      if (!e.cancellationReasons().isEmpty() && "ConditionalCheckFailed".equals(e.cancellationReasons().get(0).code())) {
        return new Stored(true, threadId, Optional.empty()); // a concurrent delivery stored it first
      }
      throw e;
    }
    // A number whose provider answers STOP itself (Twilio's default) gets no second confirmation from us.
    boolean confirmStop = owner.provider().map(dev.goalpost.groups.NumberProvider::goalpostConfirmsStop).orElse(true);
    keyword.ifPresent(k -> handleKeyword(k, org, group, contactId, threadId, goalId.orElse(null), sms, now,
        confirmStop));
    publishFor(recordKey, record, sms);
    return new Stored(false, threadId, keyword);
  }

  /**
   * ReplyReceived (and ContactOptedOut for STOP), then marks the record published. A failure throws, the
   * queue redelivers, and the duplicate path publishes again: at least once, never dropped.
   */
  private void publishFor(Map<String, AttributeValue> recordKey, Map<String, AttributeValue> record, InboundSms sms) {
    String org = str(record, "orgId");
    Instant at = Instant.parse(str(record, "at"));
    Map<String, Object> reply = new java.util.LinkedHashMap<>();
    reply.put("groupId", str(record, "groupId"));
    reply.put("threadId", str(record, "threadId"));
    reply.put("contactId", str(record, "contactId"));
    reply.put("goalId", str(record, "goalId"));
    reply.put("providerMessageId", sms.providerMessageId());
    reply.put("keyword", str(record, "keyword"));
    List<dev.goalpost.platform.events.DomainEvent> out = new ArrayList<>();
    out.add(new dev.goalpost.platform.events.DomainEvent(dev.goalpost.platform.events.DomainEvent.Type.ReplyReceived,
        org, at, reply));
    if ("STOP".equals(str(record, "keyword"))) {
      Map<String, Object> optOut = new java.util.LinkedHashMap<>();
      optOut.put("phone", sms.from());
      optOut.put("groupId", str(record, "groupId"));
      optOut.put("contactId", str(record, "contactId"));
      optOut.put("source", "contact");
      optOut.put("keywordMessageId", sms.providerMessageId());
      out.add(new dev.goalpost.platform.events.DomainEvent(dev.goalpost.platform.events.DomainEvent.Type.ContactOptedOut,
          org, at, optOut));
    }
    events.publish(out);
    dynamo.updateItem(UpdateItemRequest.builder().tableName(table.name()).key(recordKey)
        .updateExpression("SET #p = :t").expressionAttributeNames(Map.of("#p", "eventsPublished"))
        .expressionAttributeValues(Map.of(":t", AttributeValue.fromBool(true))).build());
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
    if (unread && goalId.isPresent()) {
      String pool = thread.map(Thread::pool).orElse("ANY");
      // A thread another agent still holds becomes claimable when that hold ends, not before.
      long availableAt = thread.map(Thread::holdUntil).filter(h -> h.isAfter(now)).map(Instant::toEpochMilli).orElse(0L);
      u.set(GSI1PK, s(ThreadRepository.unreadPartition(org, goalId.get(), pool)));
      u.set(GSI1SK, s(UnreadIndex.sortKey(availableAt, now, threadId)));
    } else if (!unread) {
      u.remove(GSI1PK).remove(GSI1SK);
    }
    return TransactWriteItem.builder().update(Update.builder().tableName(table.name())
        .key(key(ThreadRepository.threadPartition(org, threadId), ThreadRepository.SK_THREAD))
        .updateExpression(u.expression()).expressionAttributeNames(u.names()).expressionAttributeValues(u.values())
        .build()).build();
  }

  private TransactWriteItem respondedWrite(String org, String goalId, String contactId, Instant now) {
    return TransactWriteItem.builder().update(Update.builder().tableName(table.name())
        .key(key(GoalRepository.goalPartition(org, goalId), "RESULT#" + contactId))
        .updateExpression("SET #r = :t, #c = :c, #first = if_not_exists(#first, :now)")
        .expressionAttributeNames(Map.of("#r", "responded", "#c", "contactId", "#first", "firstRespondedAt"))
        .expressionAttributeValues(Map.of(":t", AttributeValue.fromBool(true), ":c", s(contactId),
            ":now", s(now.toString())))
        .build()).build();
  }

  private TransactWriteItem participationUpdate(String org, String threadId, String agentId, boolean unread,
                                                String body, Instant now) {
    return TransactWriteItem.builder().update(Update.builder().tableName(table.name())
        .key(key(ThreadRepository.threadPartition(org, threadId), "AGENT#" + agentId))
        .updateExpression("SET #u = :u, #gsk = :gsk, #dir = :in, #at = :now, #pv = :pv")
        .expressionAttributeNames(Map.of("#u", "unread", "#gsk", GSI1SK, "#dir", "lastDirection", "#at", "lastMessageAt",
            "#pv", ThreadRepository.A_PREVIEW))
        .expressionAttributeValues(Map.of(":u", AttributeValue.fromBool(unread),
            ":gsk", s(ThreadRepository.sortMs(now.toEpochMilli()) + "#" + threadId),
            ":in", s(Message.Direction.INBOUND.name()), ":now", s(now.toString()), ":pv", s(Message.preview(body))))
        .build()).build();
  }

  private void handleKeyword(Keywords.Keyword k, String org, Group group, String contactId, String threadId,
                             String goalOfThread, InboundSms sms, Instant now, boolean confirmStop) {
    switch (k) {
      case STOP -> {
        boolean first = optOuts.optOut(org, sms.from(), "contact", now);
        fanOut(org, sms.from(), true, now);
        if (first && goalOfThread != null) {
          stats.addNow(org, goalOfThread, null, Map.of(dev.goalpost.review.GoalStats.Counter.optedOut, 1L));
        }
        if (first && confirmStop) {
          systemReply(org, group, threadId, sms, now, group.name()
              + ": You are unsubscribed and will receive no more texts from us. Reply START to resubscribe.");
        }
      }
      case START -> {
        boolean wasOut = optOuts.optIn(org, sms.from());
        fanOut(org, sms.from(), false, now);
        if (wasOut) {
          systemReply(org, group, threadId, sms, now, group.name()
              + ": You are resubscribed. Reply STOP to opt out, HELP for help.");
        }
      }
      case HELP -> systemReply(org, group, threadId, sms, now, group.name()
          + ": Texts from our volunteer team. Reply STOP to opt out.");
    }
  }

  /** Every group of the org that knows this phone marks its contact (the org list is the source of truth). */
  private void fanOut(String org, String phone, boolean optedOut, Instant now) {
    for (String groupId : groups.allGroupIds(org)) {
      contacts.setOptedOut(org, groupId, ContactRepository.contactId(org, groupId, phone), optedOut, "contact", now);
    }
  }

  /**
   * Stores and queues a system answer to a keyword. Its id derives from the inbound message, so a crash and
   * redelivery cannot produce a second confirmation.
   */
  private void systemReply(String org, Group group, String threadId, InboundSms sms, Instant now, String body) {
    String id = Ids.derived("msg", "reply|" + sms.provider() + "|" + sms.providerMessageId());
    Message reply = new Message(id, threadId, Message.Direction.OUTBOUND, body, Segments.count(body).segments(),
        Segments.count(body).encoding().name(), Message.Status.QUEUED, null, null, null, "system", now.plusMillis(1),
        null, null, sms.to(), sms.from());
    try {
      dynamo.putItem(PutItemRequest.builder().tableName(table.name()).item(MessageMapper.toItem(org, reply))
          .conditionExpression("attribute_not_exists(#pk)").expressionAttributeNames(Map.of("#pk", PK)).build());
    } catch (ConditionalCheckFailedException e) {
      LOG.info("System reply " + id + " was stored by an earlier delivery; queueing it again is harmless");
    }
    outbound.send(new OutboundQueue.Ref(org, threadId, MessageMapper.sortKey(reply), id, reply.from(), reply.to()));
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
