package dev.goalpost.messaging.outbound;

import static dev.goalpost.platform.Table.*;

import dev.goalpost.contacts.Contact;
import dev.goalpost.contacts.ContactRepository;
import dev.goalpost.messaging.OptOuts;
import dev.goalpost.messaging.OutboundQueue;
import dev.goalpost.platform.BatchReads;
import dev.goalpost.platform.Table;
import dev.goalpost.workflows.Message;
import dev.goalpost.workflows.MessageMapper;
import dev.goalpost.workflows.ThreadIds;
import dev.goalpost.workflows.ThreadRepository;
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
 * (a duplicate delivery finds it taken and does nothing), calls the provider, and records SENT with the
 * provider's id (plus a lookup item for delivery receipts) or FAILED with the reason.
 *
 * <pre>
 * item              PK                          SK                       attributes
 * provider lookup   PROVIDER#{providerId}       PROVIDER                 orgId, threadId, messageSortKey
 * </pre>
 * Cost per text: 1 BatchGetItem (message, contact, org opt-out) + 1 UpdateItem (claim) + 1 provider call +
 * 1 TransactWriteItems (message SENT + lookup).
 */
public final class SenderService {
  private static final Logger LOG = Logger.getLogger(SenderService.class.getName());

  /** The outcome for the queue: done (delete the message) or retry later. */
  public enum Outcome { DONE, RETRY }

  private final DynamoDbClient dynamo;
  private final Table table;
  private final BatchReads reads;
  private final SmsProvider provider;
  private final Clock clock;

  public SenderService(DynamoDbClient dynamo, Table table, SmsProvider provider, Clock clock) {
    this.dynamo = dynamo;
    this.table = table;
    this.reads = new BatchReads(dynamo, table);
    this.provider = provider;
    this.clock = clock;
  }

  public Outcome send(OutboundQueue.Ref ref) {
    ThreadIds.Parts parts = ThreadIds.parse(ref.threadId());
    Map<String, AttributeValue> messageKey = key(ThreadRepository.threadPartition(ref.orgId(), ref.threadId()),
        ref.messageSortKey());
    Map<String, AttributeValue> contactKey = key(groupPartition(ref.orgId(), parts.groupId()), "CONTACT#" + parts.contactId());
    Map<String, AttributeValue> optOutKey = OptOuts.key(ref.orgId(), ref.to());
    var items = reads.get(List.of(messageKey, contactKey, optOutKey));
    var messageItem = items.get(BatchReads.id(messageKey));
    if (messageItem == null) {
      LOG.warning("Queued message " + ref.messageId() + " is not stored; nothing to send");
      return Outcome.DONE;
    }
    Message message = MessageMapper.fromItem(messageItem);
    if (message.status() != Message.Status.QUEUED) {
      return Outcome.DONE; // a duplicate delivery: already sent, failed, or being sent
    }
    boolean system = "system".equals(message.workflow());
    Contact contact = items.containsKey(BatchReads.id(contactKey))
        ? ContactRepository.fromItemPublic(items.get(BatchReads.id(contactKey))) : null;
    if (!system && (items.containsKey(BatchReads.id(optOutKey)) || (contact != null && contact.optedOut()))) {
      finish(messageKey, Message.Status.FAILED, null, "The contact opted out before the text left; it was not sent");
      return Outcome.DONE;
    }
    if (!claim(messageKey)) {
      return Outcome.DONE;
    }
    SmsProvider.SendResult result = provider.send(new SmsProvider.OutboundSms(message.id(), ref.from(), ref.to(),
        message.body()));
    return switch (result) {
      case SmsProvider.SendResult.Sent sent -> {
        sent(ref, messageKey, sent.providerMessageId());
        yield Outcome.DONE;
      }
      case SmsProvider.SendResult.Failed failed -> {
        finish(messageKey, Message.Status.FAILED, null, failed.reason());
        yield Outcome.DONE;
      }
      case SmsProvider.SendResult.Retry retry -> {
        LOG.warning("Send of " + message.id() + " will be retried: " + retry.reason());
        release(messageKey);
        yield Outcome.RETRY;
      }
    };
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

  private void sent(OutboundQueue.Ref ref, Map<String, AttributeValue> messageKey, String providerId) {
    Instant now = clock.instant();
    Map<String, AttributeValue> lookup = new HashMap<>(providerLookupKey(providerId));
    lookup.put("orgId", s(ref.orgId()));
    lookup.put("threadId", s(ref.threadId()));
    lookup.put("messageSortKey", s(ref.messageSortKey()));
    dynamo.transactWriteItems(TransactWriteItemsRequest.builder().transactItems(
        TransactWriteItem.builder().update(Update.builder().tableName(table.name()).key(messageKey)
            .updateExpression("SET #s = :sent, #pid = :pid, #prov = :prov, #at = :now")
            .conditionExpression("#s = :sending")
            .expressionAttributeNames(Map.of("#s", "status", "#pid", "providerMessageId", "#prov", "provider",
                "#at", "sentAt"))
            .expressionAttributeValues(Map.of(":sent", s("SENT"), ":pid", s(providerId), ":prov", s(provider.name()),
                ":now", s(now.toString()), ":sending", s("SENDING")))
            .build()).build(),
        TransactWriteItem.builder().put(Put.builder().tableName(table.name()).item(lookup).build()).build())
        .build());
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
