package dev.goalpost.messaging.outbound;

import static dev.goalpost.platform.Table.*;

import dev.goalpost.contacts.Contact;
import dev.goalpost.contacts.ContactRepository;
import dev.goalpost.contacts.OptOuts;
import dev.goalpost.messaging.OutboundQueue;
import dev.goalpost.platform.BatchReads;
import dev.goalpost.platform.Table;
import dev.goalpost.conversations.Message;
import dev.goalpost.conversations.MessageMapper;
import dev.goalpost.conversations.ThreadIds;
import dev.goalpost.conversations.ThreadRepository;
import java.time.Clock;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.logging.Logger;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.*;

/**
 * Sends one queued message. It re-checks opt-out at the last moment (an opt-out that arrived while the text
 * waited in the queue wins: the text is never sent), claims the message QUEUED → SENDING with a condition
 * (a duplicate delivery finds it taken and does nothing), calls the provider of the sending number (its claim
 * item names it: {@link dev.goalpost.groups.NumberProvider}), and records SENT with the provider's id (plus a
 * lookup item for delivery receipts) or FAILED with the reason. A carrier's "unsubscribed" answer (Twilio
 * 21610, Pinpoint OPT_OUT) fails the text and opts the phone out org-wide, like a STOP.
 *
 * <p>At most once, never stuck: a text is claimed once; a delivery that finds it SENDING (the sender died
 * mid-call, or a provider call is still running) comes back later, and once the claim is older than
 * {@link #STUCK_AFTER} (beyond the function's timeout, so no call can still be running) the text is FAILED
 * with the reason "outcome unknown" rather than sent again. The queue's redrive (5 receives, backoff from 10 s)
 * outlives that threshold, so every text reaches SENT or FAILED; the DLQ alarm covers the rest.
 *
 * <pre>
 * item              PK                          SK                       attributes
 * provider lookup   PROVIDER#{providerId}       PROVIDER                 orgId, threadId, messageSortKey
 * </pre>
 * Cost per text: 1 BatchGetItem (message, contact, org opt-out, number claim: +0.5 RCU for the provider) +
 * 1 UpdateItem (claim) + 1 provider call + 1 PutItem (lookup) + 1 UpdateItem (message SENT): 3 WCU.
 */
public final class SenderService {
  private static final Logger LOG = Logger.getLogger(SenderService.class.getName());

  /** The outcome for the queue: done (delete the message) or retry later. */
  public enum Outcome { DONE, RETRY }

  /** The reason a text is FAILED without leaving: its contact opted out while it waited in the queue. */
  public static final String OPTED_OUT_BEFORE_SENDING = "The contact opted out before the text left; it was not sent";

  /** Longer than the sender's Lambda timeout (60 s) plus a margin: no provider call can still be running. */
  static final java.time.Duration STUCK_AFTER = java.time.Duration.ofSeconds(90);

  private final DynamoDbClient dynamo;
  private final Table table;
  private final BatchReads reads;
  private final SmsProviders providers;
  private final OptOuts optOuts;
  private final Clock clock;

  public SenderService(DynamoDbClient dynamo, Table table, SmsProvider provider, Clock clock) {
    this(dynamo, table, SmsProviders.of(provider), clock);
  }

  public SenderService(DynamoDbClient dynamo, Table table, SmsProviders providers, Clock clock) {
    this.dynamo = dynamo;
    this.table = table;
    this.reads = new BatchReads(dynamo, table);
    this.providers = providers;
    this.optOuts = new OptOuts(dynamo, table);
    this.clock = clock;
  }

  public Outcome send(OutboundQueue.Ref ref) {
    ThreadIds.Parts parts = ThreadIds.parse(ref.threadId());
    Map<String, AttributeValue> messageKey = key(ThreadRepository.threadPartition(ref.orgId(), ref.threadId()),
        ref.messageSortKey());
    Map<String, AttributeValue> contactKey = ContactRepository.contactKey(ref.orgId(), parts.groupId(), parts.contactId());
    Map<String, AttributeValue> optOutKey = OptOuts.key(ref.orgId(), ref.to());
    Map<String, AttributeValue> numberKey = dev.goalpost.groups.GroupRepository.numberKey(ref.from());
    var items = reads.get(List.of(messageKey, contactKey, optOutKey, numberKey));
    var messageItem = items.get(BatchReads.id(messageKey));
    if (messageItem == null) {
      LOG.warning("Queued message " + ref.messageId() + " is not stored; nothing to send");
      return Outcome.DONE;
    }
    Message message = MessageMapper.fromItem(messageItem);
    if (message.status() == Message.Status.SENDING) {
      return settleSending(messageKey, messageItem);
    }
    if (message.status() != Message.Status.QUEUED) {
      return Outcome.DONE; // a duplicate delivery: already sent or failed
    }
    boolean system = "system".equals(message.workflow());
    Contact contact = items.containsKey(BatchReads.id(contactKey))
        ? ContactRepository.fromItemPublic(items.get(BatchReads.id(contactKey))) : null;
    if (!system && (items.containsKey(BatchReads.id(optOutKey)) || (contact != null && contact.optedOut()))) {
      finish(messageKey, Message.Status.FAILED, null, OPTED_OUT_BEFORE_SENDING);
      return Outcome.DONE;
    }
    if (!claim(messageKey)) {
      return Outcome.DONE;
    }
    var claimItem = items.get(BatchReads.id(numberKey));
    dev.goalpost.groups.NumberProvider via = dev.goalpost.groups.GroupRepository.providerFrom(claimItem).orElse(null);
    SmsProvider provider;
    SmsProvider.SendResult result;
    try {
      provider = providers.forNumber(via);
      result = provider.send(new SmsProvider.OutboundSms(message.id(), ref.from(), ref.to(), message.body(), via));
    } catch (RuntimeException e) {
      // A provider that threw (a bug, a misconfiguration): the text is settled with the reason, never stuck.
      LOG.warning("Provider failed on " + message.id() + ": " + e);
      finish(messageKey, Message.Status.FAILED, null, "The SMS provider failed: " + e.getMessage()
          + "; the outcome is unknown, so the text is not sent again");
      return Outcome.DONE;
    }
    return switch (result) {
      case SmsProvider.SendResult.Sent sent -> {
        sent(ref, messageKey, sent.providerMessageId(), provider.name());
        yield Outcome.DONE;
      }
      case SmsProvider.SendResult.Failed failed -> {
        finish(messageKey, Message.Status.FAILED, null, failed.reason());
        yield Outcome.DONE;
      }
      case SmsProvider.SendResult.OptedOut optedOut -> {
        finish(messageKey, Message.Status.FAILED, null, optedOut.reason());
        carrierOptOut(ref.orgId(), ref.to());
        yield Outcome.DONE;
      }
      case SmsProvider.SendResult.Retry retry -> {
        LOG.warning("Send of " + message.id() + " will be retried: " + retry.reason());
        release(messageKey);
        yield Outcome.RETRY;
      }
    };
  }

  /**
   * A delivery that finds the text SENDING: another delivery may still be calling the provider (come back
   * later), or the one that claimed it died mid-call. Past {@link #STUCK_AFTER} it is FAILED: whether it left is
   * unknown, and sending again could text the contact twice.
   */
  private Outcome settleSending(Map<String, AttributeValue> messageKey, Map<String, AttributeValue> item) {
    String since = str(item, "sendingAt");
    Instant claimed = since == null ? Instant.EPOCH : Instant.parse(since);
    if (claimed.plus(STUCK_AFTER).isAfter(clock.instant())) {
      return Outcome.RETRY;
    }
    try {
      dynamo.updateItem(UpdateItemRequest.builder().tableName(table.name()).key(messageKey)
          .updateExpression("SET #s = :failed, #err = :err")
          .conditionExpression("#s = :sending AND #at = :at")
          .expressionAttributeNames(Map.of("#s", "status", "#err", "error", "#at", "sendingAt"))
          .expressionAttributeValues(Map.of(":failed", s("FAILED"), ":sending", s("SENDING"),
              ":at", s(since == null ? "" : since),
              ":err", s("The send was interrupted at " + since + " (the sender stopped mid-call); whether the"
                  + " text left is unknown, so it is not sent again")))
          .build());
    } catch (ConditionalCheckFailedException e) {
      // Settled meanwhile by the delivery that was still running.
    }
    return Outcome.DONE;
  }

  /**
   * The carrier refuses to text this phone any more: opted out org-wide, as a STOP would (no confirmation). The
   * list item is all this writes; its stream record makes the projection flag every group's contact.
   */
  private void carrierOptOut(String org, String phone) {
    optOuts.optOut(org, phone, "carrier", clock.instant());
  }

  /** QUEUED → SENDING; false when another delivery of the same queue message got there first. */
  private boolean claim(Map<String, AttributeValue> messageKey) {
    try {
      dynamo.updateItem(UpdateItemRequest.builder().tableName(table.name()).key(messageKey)
          .updateExpression("SET #s = :sending, #at = :now")
          .conditionExpression("#s = :queued")
          .expressionAttributeNames(Map.of("#s", "status", "#at", "sendingAt"))
          .expressionAttributeValues(Map.of(":sending", s("SENDING"), ":queued", s("QUEUED"),
              ":now", s(clock.instant().toString())))
          .build());
      return true;
    } catch (ConditionalCheckFailedException e) {
      return false;
    }
  }

  /** SENDING → QUEUED after a transient failure, so the retried delivery sends it. */
  private void release(Map<String, AttributeValue> messageKey) {
    dynamo.updateItem(UpdateItemRequest.builder().tableName(table.name()).key(messageKey)
        .updateExpression("SET #s = :queued").conditionExpression("#s = :sending")
        .expressionAttributeNames(Map.of("#s", "status"))
        .expressionAttributeValues(Map.of(":sending", s("SENDING"), ":queued", s("QUEUED"))).build());
  }

  private void sent(OutboundQueue.Ref ref, Map<String, AttributeValue> messageKey, String providerId,
                    String providerName) {
    Instant now = clock.instant();
    Map<String, AttributeValue> lookup = new HashMap<>(providerLookupKey(providerId));
    lookup.put("orgId", s(ref.orgId()));
    lookup.put("threadId", s(ref.threadId()));
    lookup.put("messageSortKey", s(ref.messageSortKey()));
    // Two plain writes (1 WCU each) rather than one transaction (2 × 2 WCU): the lookup first, so a receipt
    // can always find a SENT message; a crash between them leaves the text SENDING with a lookup, which the
    // redelivery settles as any interrupted send (settleSending), and a lookup without its SENT is harmless.
    dynamo.putItem(PutItemRequest.builder().tableName(table.name()).item(lookup).build());
    try {
      dynamo.updateItem(UpdateItemRequest.builder().tableName(table.name()).key(messageKey)
          .updateExpression("SET #s = :sent, #pid = :pid, #prov = :prov, #at = :now")
          .conditionExpression("#s = :sending")
          .expressionAttributeNames(Map.of("#s", "status", "#pid", "providerMessageId", "#prov", "provider",
              "#at", "sentAt"))
          .expressionAttributeValues(Map.of(":sent", s("SENT"), ":pid", s(providerId), ":prov", s(providerName),
              ":now", s(now.toString()), ":sending", s("SENDING")))
          .build());
    } catch (ConditionalCheckFailedException e) {
      LOG.warning("Sent " + ref.messageId() + " but it was settled meanwhile; left as it is");
    }
  }

  private void finish(Map<String, AttributeValue> messageKey, Message.Status status, String providerId, String error) {
    try {
      dynamo.updateItem(UpdateItemRequest.builder().tableName(table.name()).key(messageKey)
          .updateExpression("SET #s = :status, #err = :err")
          .conditionExpression("#s IN (:queued, :sending)")
          .expressionAttributeNames(Map.of("#s", "status", "#err", "error"))
          .expressionAttributeValues(Map.of(":status", s(status.name()), ":err", s(error), ":queued", s("QUEUED"),
              ":sending", s("SENDING")))
          .build());
    } catch (ConditionalCheckFailedException e) {
      // Settled by another delivery meanwhile.
    }
  }

  /**
   * The lookup of a provider's message id. Keyed by the id alone: receipts may reach us through another
   * channel than the one that sent (the local carrier sends as "local" and reports like Twilio).
   */
  public static Map<String, AttributeValue> providerLookupKey(String providerMessageId) {
    return key("PROVIDER#" + providerMessageId, "PROVIDER");
  }
}
