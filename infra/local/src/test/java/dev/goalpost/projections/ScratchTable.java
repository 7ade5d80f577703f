package dev.goalpost.projections;

import dev.goalpost.local.LocalCloud;
import dev.goalpost.platform.Table;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.BillingMode;
import software.amazon.awssdk.services.dynamodb.model.GlobalSecondaryIndex;
import software.amazon.awssdk.services.dynamodb.model.TableDescription;

/**
 * A real DynamoDB table of one test's own on the local cloud's emulator, created through the SDK with the key
 * schema and indexes of the provisioned GoalpostTable (read from it) but no stream: the local cloud's stream
 * poller never sees what the test writes or what the projection under test derives, so a test's counters and
 * results hold exactly what its own calls made. Items are read back with strongly consistent GetItem and Scan.
 */
final class ScratchTable {
  private final DynamoDbClient dynamo;
  private final String name;

  private ScratchTable(DynamoDbClient dynamo, String name) {
    this.dynamo = dynamo;
    this.name = name;
  }

  static ScratchTable create(LocalCloud cloud) {
    DynamoDbClient dynamo = cloud.clients().dynamo();
    TableDescription live = dynamo.describeTable(r -> r.tableName(
        cloud.resources().ref("GoalpostTable").orElseThrow())).table();
    String name = cloud.stack().prefix() + "scratch-" + UUID.randomUUID().toString().substring(0, 8);
    List<GlobalSecondaryIndex> gsis = live.globalSecondaryIndexes().stream()
        .map(g -> GlobalSecondaryIndex.builder().indexName(g.indexName()).keySchema(g.keySchema())
            .projection(g.projection()).build())
        .toList();
    dynamo.createTable(b -> {
      b.tableName(name).billingMode(BillingMode.PAY_PER_REQUEST)
          .attributeDefinitions(live.attributeDefinitions()).keySchema(live.keySchema());
      if (!gsis.isEmpty()) {
        b.globalSecondaryIndexes(gsis);
      }
    });
    dynamo.waiter().waitUntilTableExists(r -> r.tableName(name));
    return new ScratchTable(dynamo, name);
  }

  Table table() {
    return new Table(name);
  }

  /** The item at {@code key} (strongly consistent), or an empty map. */
  Map<String, AttributeValue> item(Map<String, AttributeValue> key) {
    var res = dynamo.getItem(r -> r.tableName(name).key(key).consistentRead(true));
    return res.hasItem() ? res.item() : Map.of();
  }

  void put(Map<String, AttributeValue> item) {
    dynamo.putItem(r -> r.tableName(name).item(item));
  }

  /** Every item of the table (every page of a consistent Scan). */
  List<Map<String, AttributeValue>> items() {
    List<Map<String, AttributeValue>> out = new ArrayList<>();
    dynamo.scanPaginator(r -> r.tableName(name).consistentRead(true)).items().forEach(out::add);
    return out;
  }

  void delete() {
    dynamo.deleteTable(r -> r.tableName(name));
  }
}
