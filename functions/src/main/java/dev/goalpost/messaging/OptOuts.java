package dev.goalpost.messaging;

import static dev.goalpost.platform.Table.*;

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
 * opt-out  ORG#{org}   OPTOUT#{e164}    source (contact | admin | agent), at
 * </pre>
 * Costs: check 0.5 RCU (inside the sender's BatchGetItem); opt out 1 PutItem; opt in 1 DeleteItem. A STOP or
 * START writes the item inside its reply's transaction ({@link #putOptOut}, {@link #deleteOptOut}: 2 WCU).
 */
public final class OptOuts {
  private final DynamoDbClient dynamo;
  private final Table table;

  public OptOuts(DynamoDbClient dynamo, Table table) {
    this.dynamo = dynamo;
    this.table = table;
  }

  public static Map<String, AttributeValue> key(String orgId, String phone) {
    return Table.key(orgPartition(orgId), "OPTOUT#" + phone);
  }

  /**
   * Records the opt-out; true when this is the first by {@code source}'s kind: the phone was not opted out, or
   * it was by someone else and now the contact says STOP (the contact's own word replaces an admin's or an
   * agent's, so that only the contact can undo it, and it is confirmed once). Other repeats change nothing.
   * 1 conditional PutItem (1 WCU, also when the condition refuses).
   */
  public boolean optOut(String orgId, String phone, String source, Instant now) {
    Map<String, AttributeValue> item = new HashMap<>(key(orgId, phone));
    item.put("phone", s(phone));
    item.put("source", s(source));
    item.put("at", s(now.toString()));
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
  public TransactWriteItem putOptOut(String orgId, String phone, String source, Instant now) {
    Map<String, AttributeValue> item = new HashMap<>(key(orgId, phone));
    item.put("phone", s(phone));
    item.put("source", s(source));
    item.put("at", s(now.toString()));
    return TransactWriteItem.builder().put(Put.builder().tableName(table.name()).item(item)
        .conditionExpression("attribute_not_exists(#pk)").expressionAttributeNames(Map.of("#pk", PK)).build()).build();
  }

  /**
   * A STOP on a phone an admin or agent opted out already: the contact takes the opt-out over (so only the
   * contact can undo it), conditioned on the item still being someone else's (the read said so).
   */
  public TransactWriteItem takeOverForContact(String orgId, String phone, Instant now) {
    Map<String, AttributeValue> item = new HashMap<>(key(orgId, phone));
    item.put("phone", s(phone));
    item.put("source", s("contact"));
    item.put("at", s(now.toString()));
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
   * Which of {@code phones} the org opted out, with who did it: BatchGetItem in chunks of 100 keys,
   * eventually consistent (0.5 RCU per phone; an import of 1,000 rows adds 10 requests, 500 RCU). Eventual
   * consistency is enough here: the sender re-checks the list strongly consistent before every text.
   */
  public Map<String, String> sourcesOf(String orgId, java.util.Collection<String> phones) {
    Map<String, String> out = new HashMap<>();
    List<String> all = List.copyOf(new java.util.LinkedHashSet<>(phones));
    for (int from = 0; from < all.size(); from += 100) {
      List<Map<String, AttributeValue>> keys = all.subList(from, Math.min(all.size(), from + 100)).stream()
          .map(p -> key(orgId, p)).toList();
      Map<String, KeysAndAttributes> request = Map.of(table.name(), KeysAndAttributes.builder().keys(keys).build());
      // Retried while DynamoDB returns UnprocessedKeys; only 10 rounds in a row without progress give up.
      int waiting = keys.size();
      for (int idle = 0; !request.isEmpty(); ) {
        if (idle > 10) {
          throw new IllegalStateException("DynamoDB kept opt-out keys unprocessed after 10 attempts");
        }
        if (idle > 0) {
          backoff(idle);
        }
        var res = dynamo.batchGetItem(BatchGetItemRequest.builder().requestItems(request).build());
        res.responses().getOrDefault(table.name(), List.of()).forEach(item -> out.put(item.get("phone").s(),
            item.containsKey("source") ? item.get("source").s() : OrgOptOut.BY_ADMIN));
        request = res.hasUnprocessedKeys() ? res.unprocessedKeys() : Map.of();
        int left = request.isEmpty() ? 0 : request.get(table.name()).keys().size();
        idle = left < waiting ? 0 : idle + 1;
        waiting = left;
      }
    }
    return out;
  }

  /** Full jitter, 50 ms doubling, at most 2 s. */
  private static void backoff(int attempt) {
    long cap = Math.min(2_000, 50L << Math.min(attempt, 6));
    try {
      Thread.sleep(java.util.concurrent.ThreadLocalRandom.current().nextLong(cap + 1));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("Interrupted while retrying unprocessed keys", e);
    }
  }

  public boolean isOptedOut(String orgId, String phone) {
    var res = dynamo.getItem(GetItemRequest.builder().tableName(table.name()).key(key(orgId, phone))
        .consistentRead(true).build());
    return res.hasItem() && !res.item().isEmpty();
  }
}
