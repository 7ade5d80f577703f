package dev.goalpost.messaging;

import static dev.goalpost.platform.Table.*;

import dev.goalpost.platform.Table;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.*;

/**
 * The org-wide opt-out list: a phone that texted STOP to any group of the org is never texted by any of its
 * groups until it texts START (SPEC §6). The contacts of each group also carry {@code optedOut} for display
 * and targeting; this list is what the sender trusts at the last moment.
 * <pre>
 * item     PK          SK               attributes
 * opt-out  ORG#{org}   OPTOUT#{e164}    source (contact | admin), at
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

  /** Records the opt-out; true when the phone was not opted out before (so exactly one confirmation goes out). */
  public boolean optOut(String orgId, String phone, String source, Instant now) {
    Map<String, AttributeValue> item = new HashMap<>(key(orgId, phone));
    item.put("phone", s(phone));
    item.put("source", s(source));
    item.put("at", s(now.toString()));
    try {
      dynamo.putItem(PutItemRequest.builder().tableName(table.name()).item(item)
          .conditionExpression("attribute_not_exists(#pk)").expressionAttributeNames(Map.of("#pk", PK)).build());
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

  /** The opt-out's Delete for a transaction, conditioned on the phone being opted out (the read said so). */
  public TransactWriteItem deleteOptOut(String orgId, String phone) {
    return TransactWriteItem.builder().delete(Delete.builder().tableName(table.name()).key(key(orgId, phone))
        .conditionExpression("attribute_exists(#pk)").expressionAttributeNames(Map.of("#pk", PK)).build()).build();
  }

  /** Removes the opt-out; true when there was one. */
  public boolean optIn(String orgId, String phone) {
    var res = dynamo.deleteItem(DeleteItemRequest.builder().tableName(table.name()).key(key(orgId, phone))
        .returnValues(ReturnValue.ALL_OLD).build());
    return res.hasAttributes() && !res.attributes().isEmpty();
  }

  public boolean isOptedOut(String orgId, String phone) {
    var res = dynamo.getItem(GetItemRequest.builder().tableName(table.name()).key(key(orgId, phone))
        .consistentRead(true).build());
    return res.hasItem() && !res.item().isEmpty();
  }
}
