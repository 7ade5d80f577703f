package dev.goalpost.platform;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.BatchGetItemRequest;
import software.amazon.awssdk.services.dynamodb.model.KeysAndAttributes;

/**
 * Reads several items of the table in one BatchGetItem (hot paths read goal, state and lease together: one
 * request instead of three). Strongly consistent; unprocessed keys are retried. Missing items are absent.
 */
public final class BatchReads {
  private final DynamoDbClient dynamo;
  private final Table table;

  public BatchReads(DynamoDbClient dynamo, Table table) {
    this.dynamo = dynamo;
    this.table = table;
  }

  /** Items by "PK|SK". At most 100 keys. */
  public Map<String, Map<String, AttributeValue>> get(List<Map<String, AttributeValue>> keys) {
    Map<String, Map<String, AttributeValue>> out = new HashMap<>();
    Map<String, KeysAndAttributes> request = Map.of(table.name(),
        KeysAndAttributes.builder().keys(new ArrayList<>(keys)).consistentRead(true).build());
    for (int attempt = 0; !request.isEmpty(); attempt++) {
      if (attempt > 10) {
        throw new IllegalStateException("DynamoDB kept keys unprocessed after 10 attempts");
      }
      var res = dynamo.batchGetItem(BatchGetItemRequest.builder().requestItems(request).build());
      res.responses().getOrDefault(table.name(), List.of()).forEach(item -> out.put(id(item), item));
      request = res.hasUnprocessedKeys() ? res.unprocessedKeys() : Map.of();
    }
    return out;
  }

  public static String id(Map<String, AttributeValue> keyOrItem) {
    return keyOrItem.get(Table.PK).s() + "|" + keyOrItem.get(Table.SK).s();
  }
}
