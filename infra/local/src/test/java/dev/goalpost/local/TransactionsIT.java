package dev.goalpost.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.CancellationReason;
import software.amazon.awssdk.services.dynamodb.model.DynamoDbException;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItem;
import software.amazon.awssdk.services.dynamodb.model.TransactionCanceledException;

/**
 * TransactWriteItems behaves as DynamoDB documents it, whatever the backend: all or nothing, conditions
 * judged on the state before the transaction, and a cancelled one leaves every item (and the index) exactly
 * as it found them. On moto this also covers the launcher's item-level backup (emulator/goalpost_moto.py).
 */
@LocalCloudTest
class TransactionsIT {
  private final DynamoDbClient dynamo;
  private final String table;
  private final String pk = "TXTEST#" + UUID.randomUUID();

  TransactionsIT(LocalCloud cloud) {
    this.dynamo = cloud.clients().dynamo();
    this.table = cloud.resources().ref("GoalpostTable").orElseThrow();
  }

  private static AttributeValue s(String v) {
    return AttributeValue.fromS(v);
  }

  private Map<String, AttributeValue> key(String sk) {
    return Map.of("PK", s(pk), "SK", s(sk));
  }

  private Map<String, AttributeValue> get(String sk) {
    var item = dynamo.getItem(b -> b.tableName(table).key(key(sk)).consistentRead(true));
    return item.hasItem() ? item.item() : null;
  }

  private void put(String sk, String n) {
    dynamo.putItem(b -> b.tableName(table).item(Map.of("PK", s(pk), "SK", s(sk), "n", AttributeValue.fromN(n),
        "GSI1PK", s(pk + "#idx"), "GSI1SK", s(sk), "tags", AttributeValue.fromSs(java.util.List.of("a", "b")))));
  }

  private TransactWriteItem addOne(String sk) {
    return TransactWriteItem.builder().update(u -> u.tableName(table).key(key(sk)).updateExpression("ADD n :one")
        .expressionAttributeValues(Map.of(":one", AttributeValue.fromN("1")))).build();
  }

  private int indexed() {
    return dynamo.queryPaginator(b -> b.tableName(table).indexName("GSI1").keyConditionExpression("GSI1PK = :p")
        .expressionAttributeValues(Map.of(":p", s(pk + "#idx")))).stream().mapToInt(r -> r.count()).sum();
  }

  @Test
  void aCancelledTransactionLeavesEveryItemAndTheIndexAsTheyWere() {
    put("A", "1");
    put("B", "1");
    put("D", "1");
    var before = Map.of("A", get("A"), "B", get("B"), "D", get("D"));

    var changeA = TransactWriteItem.builder().update(u -> u.tableName(table).key(key("A"))
        .updateExpression("SET n = :z REMOVE tags, GSI1PK").expressionAttributeValues(Map.of(":z", AttributeValue.fromN("99")))).build();
    var putC = TransactWriteItem.builder().put(p -> p.tableName(table).item(Map.of("PK", s(pk), "SK", s("C"),
        "GSI1PK", s(pk + "#idx"), "GSI1SK", s("C")))).build();
    var deleteB = TransactWriteItem.builder().delete(d -> d.tableName(table).key(key("B"))).build();
    var failingCheck = TransactWriteItem.builder().conditionCheck(c -> c.tableName(table).key(key("D"))
        .conditionExpression("n = :no").expressionAttributeValues(Map.of(":no", AttributeValue.fromN("7")))).build();

    assertThatThrownBy(() -> dynamo.transactWriteItems(b -> b.transactItems(changeA, putC, deleteB, failingCheck)))
        .isInstanceOfSatisfying(TransactionCanceledException.class, e -> assertThat(e.cancellationReasons())
            .extracting(CancellationReason::code).containsExactly("None", "None", "None", "ConditionalCheckFailed"));

    assertThat(get("A")).isEqualTo(before.get("A"));
    assertThat(get("B")).isEqualTo(before.get("B"));
    assertThat(get("D")).isEqualTo(before.get("D"));
    assertThat(get("C")).isNull();
    assertThat(indexed()).isEqualTo(3);
  }

  @Test
  void aCommittedTransactionAppliesEveryItemOnce() {
    put("A", "1");
    put("B", "5");

    dynamo.transactWriteItems(b -> b.transactItems(addOne("A"), addOne("B")));

    assertThat(get("A").get("n").n()).isEqualTo("2");
    assertThat(get("B").get("n").n()).isEqualTo("6");
  }

  @Test
  void twoActionsOnOneItemAreRefusedWithoutChangingIt() {
    put("A", "1");

    assertThatThrownBy(() -> dynamo.transactWriteItems(b -> b.transactItems(addOne("A"), addOne("A"))))
        .isInstanceOfSatisfying(DynamoDbException.class,
            e -> assertThat(e.awsErrorDetails().errorCode()).isEqualTo("ValidationException"));

    assertThat(get("A").get("n").n()).isEqualTo("1");
  }
}
