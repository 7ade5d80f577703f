package dev.goalpost.workflows;

import static dev.goalpost.platform.Table.*;

import dev.goalpost.platform.Queries;
import dev.goalpost.platform.Table;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.*;

/**
 * An agent's own canned replies ({@code /me/scripts}); they stay usable when a goal's scripts are not
 * (completed and paused goals).
 * <pre>
 * item          PK                          SK
 * agent script  ORG#{org}#AGENT#{agentId}   SCRIPT#{scriptId}
 * </pre>
 * Costs: create 1 PutItem; list 1 Query; get 1 GetItem (inside the send's BatchGetItem).
 */
public final class AgentScripts {
  public static final int MAX_PER_AGENT = 100;

  public record AgentScript(String id, String name, String body, Instant createdAt) {}

  private final DynamoDbClient dynamo;
  private final Table table;

  public AgentScripts(DynamoDbClient dynamo, Table table) {
    this.dynamo = dynamo;
    this.table = table;
  }

  static String partition(String orgId, String agentId) {
    return orgPartition(orgId) + "#AGENT#" + agentId;
  }

  public static Map<String, AttributeValue> key(String orgId, String agentId, String scriptId) {
    return Table.key(partition(orgId, agentId), "SCRIPT#" + scriptId);
  }

  public void put(String orgId, String agentId, AgentScript s) {
    Map<String, AttributeValue> item = new HashMap<>(key(orgId, agentId, s.id()));
    item.put("scriptId", s(s.id()));
    if (s.name() != null) {
      item.put("name", s(s.name()));
    }
    item.put("body", s(s.body()));
    item.put("createdAt", s(s.createdAt().toString()));
    dynamo.putItem(PutItemRequest.builder().tableName(table.name()).item(item).build());
  }

  public List<AgentScript> list(String orgId, String agentId) {
    var items = Queries.page(dynamo, QueryRequest.builder().tableName(table.name())
        .keyConditionExpression("#pk = :pk AND begins_with(#sk, :prefix)")
        .expressionAttributeNames(Map.of("#pk", PK, "#sk", SK))
        .expressionAttributeValues(Map.of(":pk", s(partition(orgId, agentId)), ":prefix", s("SCRIPT#")))
        .build(), MAX_PER_AGENT + 1, MAX_PER_AGENT + 1).items(); // every script: 1 Query (~100 KB at most)
    return items.stream().map(AgentScripts::fromItem).toList();
  }

  public static Optional<AgentScript> fromNullable(Map<String, AttributeValue> item) {
    return item == null || item.isEmpty() ? Optional.empty() : Optional.of(fromItem(item));
  }

  static AgentScript fromItem(Map<String, AttributeValue> item) {
    return new AgentScript(str(item, "scriptId"), str(item, "name"), str(item, "body"),
        Instant.parse(str(item, "createdAt")));
  }
}
