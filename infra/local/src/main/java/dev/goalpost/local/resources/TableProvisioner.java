package dev.goalpost.local.resources;

import dev.goalpost.local.template.Intrinsics;
import dev.goalpost.local.template.Resource;
import dev.goalpost.local.template.Stack;
import dev.goalpost.local.template.Yamls;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeDefinition;
import software.amazon.awssdk.services.dynamodb.model.BillingMode;
import software.amazon.awssdk.services.dynamodb.model.CreateTableRequest;
import software.amazon.awssdk.services.dynamodb.model.GlobalSecondaryIndex;
import software.amazon.awssdk.services.dynamodb.model.KeySchemaElement;
import software.amazon.awssdk.services.dynamodb.model.LocalSecondaryIndex;
import software.amazon.awssdk.services.dynamodb.model.Projection;
import software.amazon.awssdk.services.dynamodb.model.ProvisionedThroughput;
import software.amazon.awssdk.services.dynamodb.model.ResourceNotFoundException;
import software.amazon.awssdk.services.dynamodb.model.StreamSpecification;
import software.amazon.awssdk.services.dynamodb.model.TableDescription;
import software.amazon.awssdk.services.dynamodb.model.TimeToLiveStatus;

/** {@code AWS::DynamoDB::Table}: keys, GSIs/LSIs, billing mode, streams and TTL; an existing table is reused. */
final class TableProvisioner implements Provisioner {
  private final DynamoDbClient dynamo;
  private final Stack stack;

  TableProvisioner(DynamoDbClient dynamo, Stack stack) {
    this.dynamo = dynamo;
    this.stack = stack;
  }

  @Override
  public String type() {
    return "AWS::DynamoDB::Table";
  }

  @Override
  public void provision(Resource resource, Intrinsics intrinsics, PhysicalResources out) {
    Map<String, Object> p = Yamls.map(intrinsics.resolve(resource.properties()));
    String name = stack.physicalName(resource.logicalId());
    TableDescription table = describe(name);
    if (table == null) {
      table = dynamo.createTable(createRequest(name, p)).tableDescription();
    }
    enableTtl(name, Yamls.map(p.get("TimeToLiveSpecification")));
    Map<String, String> attributes = new java.util.HashMap<>(Map.of("Arn", table.tableArn()));
    if (table.latestStreamArn() != null) {
      attributes.put("StreamArn", table.latestStreamArn());
    }
    out.put(resource.logicalId(), name, attributes);
  }

  private TableDescription describe(String name) {
    try {
      return dynamo.describeTable(r -> r.tableName(name)).table();
    } catch (ResourceNotFoundException e) {
      return null;
    }
  }

  private static CreateTableRequest createRequest(String name, Map<String, Object> p) {
    // CloudFormation's default billing mode is PROVISIONED; keep it so capacity settings are honoured.
    BillingMode billing = BillingMode.fromValue(String.valueOf(p.getOrDefault("BillingMode", "PROVISIONED")));
    boolean provisioned = billing == BillingMode.PROVISIONED;
    CreateTableRequest.Builder b = CreateTableRequest.builder()
        .tableName(name)
        .billingMode(billing)
        .attributeDefinitions(Yamls.list(p.get("AttributeDefinitions")).stream()
            .map(Yamls::map)
            .map(a -> AttributeDefinition.builder()
                .attributeName(String.valueOf(a.get("AttributeName")))
                .attributeType(String.valueOf(a.get("AttributeType")))
                .build())
            .toList())
        .keySchema(keySchema(p.get("KeySchema")));
    if (provisioned) {
      b.provisionedThroughput(throughput(p.get("ProvisionedThroughput")));
    }
    List<GlobalSecondaryIndex> gsis = Yamls.list(p.get("GlobalSecondaryIndexes")).stream()
        .map(Yamls::map)
        .map(g -> {
          GlobalSecondaryIndex.Builder gb = GlobalSecondaryIndex.builder()
              .indexName(String.valueOf(g.get("IndexName")))
              .keySchema(keySchema(g.get("KeySchema")))
              .projection(projection(g.get("Projection")));
          if (provisioned) {
            gb.provisionedThroughput(throughput(g.get("ProvisionedThroughput")));
          }
          return gb.build();
        })
        .toList();
    if (!gsis.isEmpty()) {
      b.globalSecondaryIndexes(gsis);
    }
    List<LocalSecondaryIndex> lsis = Yamls.list(p.get("LocalSecondaryIndexes")).stream()
        .map(Yamls::map)
        .map(l -> LocalSecondaryIndex.builder()
            .indexName(String.valueOf(l.get("IndexName")))
            .keySchema(keySchema(l.get("KeySchema")))
            .projection(projection(l.get("Projection")))
            .build())
        .toList();
    if (!lsis.isEmpty()) {
      b.localSecondaryIndexes(lsis);
    }
    Map<String, Object> stream = Yamls.map(p.get("StreamSpecification"));
    if (stream.containsKey("StreamViewType")) {
      b.streamSpecification(StreamSpecification.builder()
          .streamEnabled(true)
          .streamViewType(String.valueOf(stream.get("StreamViewType")))
          .build());
    }
    return b.build();
  }

  private void enableTtl(String table, Map<String, Object> ttl) {
    if (!Boolean.parseBoolean(String.valueOf(ttl.get("Enabled")))) {
      return;
    }
    var current = dynamo.describeTimeToLive(r -> r.tableName(table)).timeToLiveDescription();
    if (current != null && current.timeToLiveStatus() == TimeToLiveStatus.ENABLED) {
      return;
    }
    dynamo.updateTimeToLive(r -> r.tableName(table).timeToLiveSpecification(s -> s
        .attributeName(String.valueOf(ttl.get("AttributeName")))
        .enabled(true)));
  }

  private static List<KeySchemaElement> keySchema(Object raw) {
    return Yamls.list(raw).stream()
        .map(Yamls::map)
        .map(k -> KeySchemaElement.builder()
            .attributeName(String.valueOf(k.get("AttributeName")))
            .keyType(String.valueOf(k.get("KeyType")))
            .build())
        .toList();
  }

  private static Projection projection(Object raw) {
    Map<String, Object> p = Yamls.map(raw);
    Projection.Builder b = Projection.builder().projectionType(String.valueOf(p.getOrDefault("ProjectionType", "ALL")));
    List<String> nonKey = Yamls.list(p.get("NonKeyAttributes")).stream().map(String::valueOf).toList();
    if (!nonKey.isEmpty()) {
      b.nonKeyAttributes(nonKey);
    }
    return b.build();
  }

  private static ProvisionedThroughput throughput(Object raw) {
    Map<String, Object> t = Yamls.map(raw);
    return ProvisionedThroughput.builder()
        .readCapacityUnits(Long.parseLong(String.valueOf(t.getOrDefault("ReadCapacityUnits", 5))))
        .writeCapacityUnits(Long.parseLong(String.valueOf(t.getOrDefault("WriteCapacityUnits", 5))))
        .build();
  }
}
