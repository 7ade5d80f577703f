package dev.goalpost.contacts;

import static dev.goalpost.platform.Table.*;

import dev.goalpost.platform.BatchReads;
import dev.goalpost.platform.Table;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.*;

/**
 * The org-wide opt-out list: a phone that texted STOP to any group of the org is never texted by any of its
 * groups until it texts START (SPEC §6). The contacts of each group also carry {@code optedOut} for display
 * and targeting; this list is what the sender trusts at the last moment.
 * <pre>
 * item     PK          SK               attributes
 * opt-out  ORG#{org}   OPTOUT#{e164}    phone, source (contact | admin | agent), at,
 *                                       groupId?, contactId?, threadId?, goalId? (where it happened)
 * </pre>
 * One item per phone: only that phone's STOP/START and opt-out actions write it (no shared item). Where the
 * opt-out happened is written on the item ({@link Where}). Every change of the item (INSERT, MODIFY, REMOVE) makes
 * the stream projection set every group's copy to what the list says ({@link OrgOptOut#copyFromList}), so no
 * writer of the list has to fan out within its own request. The projection also counts a goal's
 * {@code optedOut} from the item's INSERT whose new image names a {@code goalId} (a STOP on a thread of the goal,
 * an agent's opt-out action there). A take-over by the contact (MODIFY) or an opt-in (REMOVE) counts nothing.
 *
 * <p>Costs: check 0.5 RCU (inside the sender's BatchGetItem); opt out 1 PutItem; opt in 1 DeleteItem. A STOP or
 * START writes the item inside its reply's transaction ({@link #putOptOut}, {@link #deleteOptOut},
 * {@link #takeOverForContact}: 2 WCU). {@link #sourcesOf} reads through {@link BatchReads}.
 */
public final class OptOuts {
  private final DynamoDbClient dynamo;
  private final Table table;
  private final BatchReads reads;

  public OptOuts(DynamoDbClient dynamo, Table table) {
    this.dynamo = dynamo;
    this.table = table;
    this.reads = new BatchReads(dynamo, table);
  }

  private static final String SK_PREFIX = "OPTOUT#";

  public static Map<String, AttributeValue> key(String orgId, String phone) {
    return Table.key(orgPartition(orgId), SK_PREFIX + phone);
  }

  /** The org and phone of an opt-out item's key (a stream record's keys), or empty for any other item. */
  public static java.util.Optional<Phone> phoneOf(String pk, String sk) {
    String org = orgPartition(""); // the org's own partition, not a group's (ORG#{org}#GROUP#…)
    if (pk == null || sk == null || !pk.startsWith(org) || !sk.startsWith(SK_PREFIX) || pk.indexOf('#', org.length()) >= 0) {
      return java.util.Optional.empty();
    }
    return java.util.Optional.of(new Phone(pk.substring(org.length()), sk.substring(SK_PREFIX.length())));
  }

  /** One phone on one org's list. */
  public record Phone(String orgId, String phone) {}

  /** Where an opt-out happened (each part may be null: an admin's PATCH knows no thread or goal). */
  public record Where(String groupId, String contactId, String threadId, String goalId) {
    public static final Where NOWHERE = new Where(null, null, null, null);
  }

  private static Map<String, AttributeValue> item(String orgId, String phone, String source, Where where,
                                                  Instant now) {
    Map<String, AttributeValue> item = new HashMap<>(key(orgId, phone));
    item.put("phone", s(phone));
    item.put("source", s(source));
    item.put("at", s(now.toString()));
    putIfPresent(item, "groupId", where.groupId());
    putIfPresent(item, "contactId", where.contactId());
    putIfPresent(item, "threadId", where.threadId());
    putIfPresent(item, "goalId", where.goalId());
    return item;
  }

  private static void putIfPresent(Map<String, AttributeValue> item, String name, String value) {
    if (value != null) {
      item.put(name, s(value));
    }
  }

  /**
   * Records the opt-out; true when this is the first by {@code source}'s kind: the phone was not opted out, or
   * it was by someone else and now the contact says STOP (the contact's own word replaces an admin's or an
   * agent's, so that only the contact can undo it, and it is confirmed once). Other repeats change nothing.
   * 1 conditional PutItem (1 WCU, also when the condition refuses).
   */
  public boolean optOut(String orgId, String phone, String source, Instant now) {
    return optOut(orgId, phone, source, Where.NOWHERE, now);
  }

  /** {@link #optOut(String, String, String, Instant)}, recording where it happened. */
  public boolean optOut(String orgId, String phone, String source, Where where, Instant now) {
    Map<String, AttributeValue> item = item(orgId, phone, source, where, now);
    boolean byContact = OrgOptOut.BY_CONTACT.equals(source);
    var put = PutItemRequest.builder().tableName(table.name()).item(item);
    if (byContact) {
      put.conditionExpression("attribute_not_exists(#pk) OR #src <> :contact")
          .expressionAttributeNames(Map.of("#pk", PK, "#src", "source"))
          .expressionAttributeValues(Map.of(":contact", s(OrgOptOut.BY_CONTACT)));
    } else {
      put.conditionExpression("attribute_not_exists(#pk)").expressionAttributeNames(Map.of("#pk", PK));
    }
    try {
      dynamo.putItem(put.build());
      return true;
    } catch (ConditionalCheckFailedException e) {
      return false;
    }
  }

  /** The opt-out's Put for a transaction, conditioned on the phone not being opted out (the read said so). */
  public TransactWriteItem putOptOut(String orgId, String phone, String source, Where where, Instant now) {
    Map<String, AttributeValue> item = item(orgId, phone, source, where, now);
    return TransactWriteItem.builder().put(Put.builder().tableName(table.name()).item(item)
        .conditionExpression("attribute_not_exists(#pk)").expressionAttributeNames(Map.of("#pk", PK)).build()).build();
  }

  /**
   * A STOP on a phone an admin or agent opted out already: the contact takes the opt-out over (so only the
   * contact can undo it), conditioned on the item still being someone else's (the read said so).
   */
  public TransactWriteItem takeOverForContact(String orgId, String phone, Where where, Instant now) {
    Map<String, AttributeValue> item = item(orgId, phone, OrgOptOut.BY_CONTACT, where, now);
    return TransactWriteItem.builder().put(Put.builder().tableName(table.name()).item(item)
        .conditionExpression("attribute_exists(#pk) AND #src <> :contact")
        .expressionAttributeNames(Map.of("#pk", PK, "#src", "source"))
        .expressionAttributeValues(Map.of(":contact", s("contact"))).build()).build();
  }

  /** The opt-out's Delete for a transaction, conditioned on the phone being opted out (the read said so). */
  public TransactWriteItem deleteOptOut(String orgId, String phone) {
    return TransactWriteItem.builder().delete(Delete.builder().tableName(table.name()).key(key(orgId, phone))
        .conditionExpression("attribute_exists(#pk)").expressionAttributeNames(Map.of("#pk", PK)).build()).build();
  }

  /** Removes the opt-out (the contact texted START); true when there was one. */
  public boolean optIn(String orgId, String phone) {
    var res = dynamo.deleteItem(DeleteItemRequest.builder().tableName(table.name()).key(key(orgId, phone))
        .returnValues(ReturnValue.ALL_OLD).build());
    return res.hasAttributes() && !res.attributes().isEmpty();
  }

  /**
   * Removes the opt-out unless the contact made it: empty when refused (the contact's STOP stands), else
   * whether there was one. 1 conditional DeleteItem.
   */
  public java.util.Optional<Boolean> optInUnlessByContact(String orgId, String phone) {
    try {
      var res = dynamo.deleteItem(DeleteItemRequest.builder().tableName(table.name()).key(key(orgId, phone))
          .conditionExpression("attribute_not_exists(#pk) OR #src <> :contact")
          .expressionAttributeNames(Map.of("#pk", PK, "#src", "source"))
          .expressionAttributeValues(Map.of(":contact", s(OrgOptOut.BY_CONTACT)))
          .returnValues(ReturnValue.ALL_OLD).build());
      return java.util.Optional.of(res.hasAttributes() && !res.attributes().isEmpty());
    } catch (ConditionalCheckFailedException e) {
      return java.util.Optional.empty();
    }
  }

  /**
   * Which of {@code phones} the org opted out, with who did it: {@link BatchReads} (requests of 100 keys,
   * UnprocessedKeys retried with backoff), eventually consistent (0.5 RCU per phone; an import of 1,000 rows
   * adds 10 requests, 500 RCU). Eventual consistency is enough here: the sender re-checks the list strongly
   * consistent before every text.
   */
  public Map<String, String> sourcesOf(String orgId, java.util.Collection<String> phones) {
    List<Map<String, AttributeValue>> keys = new java.util.LinkedHashSet<>(phones).stream().map(p -> key(orgId, p))
        .toList();
    Map<String, String> out = new HashMap<>();
    reads.get(keys, false).values().forEach(item -> out.put(item.get("phone").s(),
        item.containsKey("source") ? item.get("source").s() : OrgOptOut.BY_ADMIN));
    return out;
  }

  public boolean isOptedOut(String orgId, String phone) {
    return sourceOf(orgId, phone).isPresent();
  }

  /** Who opted the phone out (contact, admin, agent, carrier), empty when it is not; 1 GetItem, strongly consistent. */
  public java.util.Optional<String> sourceOf(String orgId, String phone) {
    var res = dynamo.getItem(GetItemRequest.builder().tableName(table.name()).key(key(orgId, phone))
        .consistentRead(true).build());
    if (!res.hasItem() || res.item().isEmpty()) {
      return java.util.Optional.empty();
    }
    return java.util.Optional.of(res.item().containsKey("source") ? res.item().get("source").s() : OrgOptOut.BY_ADMIN);
  }
}
