package dev.goalpost.local;

import static org.assertj.core.api.Assertions.assertThat;

import dev.goalpost.local.probe.ProbeLog;
import dev.goalpost.local.probe.ProbeStream;
import dev.goalpost.platform.Json;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * {@code Type: DynamoDB} triggers on a table's real stream (moto): Lambda's event shape, batches of at most
 * {@code BatchSize} handed over in order, the batching window, a partial failure retried from the reported
 * record, and the batch described on the on-failure queue once its retries ran out.
 */
@LocalCloudTest
class StreamTriggerIT {
  private static final Duration WAIT = Duration.ofSeconds(30);

  private final LocalCloud cloud;

  StreamTriggerIT(LocalCloud cloud) {
    this.cloud = cloud;
  }

  @SuppressWarnings("unchecked")
  private static List<Map<String, Object>> records(Object event) {
    return (List<Map<String, Object>>) ((Map<String, Object>) event).get("Records");
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> ddb(Map<String, Object> record) {
    return (Map<String, Object>) record.get("dynamodb");
  }

  @SuppressWarnings("unchecked")
  private static String pk(Map<String, Object> record) {
    return String.valueOf(((Map<String, Object>) ((Map<String, Object>) ddb(record).get("Keys")).get("PK")).get("S"));
  }

  private List<Map<String, Object>> deliveriesOf(String pk) {
    List<Map<String, Object>> out = new ArrayList<>();
    ProbeLog.of(ProbeStream.NAME).forEach(e -> records(e).stream().filter(r -> pk(r).equals(pk)).forEach(out::add));
    return out;
  }

  @Test
  void batchesFailuresRetriesAndTheOnFailureQueueBehaveAsLambdasMapping() throws Exception {
    String run = UUID.randomUUID().toString().substring(0, 8);
    String table = cloud.resources().ref("ProbeStreamTable").orElseThrow();
    String streamArn = cloud.resources().attribute("ProbeStreamTable", "StreamArn").orElseThrow();
    var dynamo = cloud.clients().dynamo();
    for (int i = 1; i <= 7; i++) {
      var item = new java.util.HashMap<>(Map.of("PK", AttributeValue.fromS(run + "-" + i)));
      if (i == 4) {
        item.put("fail", AttributeValue.fromBool(true));
      }
      dynamo.putItem(r -> r.tableName(table).item(item));
    }
    String dlq = cloud.resources().ref("ProbeStreamDlq").orElseThrow();
    var sqs = cloud.clients().sqs();
    var dead = Await.until(WAIT, "the failed batch on the on-failure queue", () -> sqs.receiveMessage(r -> r.queueUrl(dlq)
        .waitTimeSeconds(1)).messages().stream().filter(m -> m.body().contains(streamArn)).findFirst().orElse(null),
        m -> m != null);
    cloud.drainTriggers(WAIT);

    // Lambda's event shape, and batches of at most BatchSize records
    List<Object> events = ProbeLog.of(ProbeStream.NAME);
    assertThat(events).allSatisfy(e -> assertThat(records(e)).hasSizeBetween(1, 5));
    Map<String, Object> first = deliveriesOf(run + "-1").getFirst();
    assertThat(first.get("eventName")).isEqualTo("INSERT");
    assertThat(first.get("eventSource")).isEqualTo("aws:dynamodb");
    assertThat(first.get("eventSourceARN")).isEqualTo(streamArn);
    assertThat(ddb(first)).containsKeys("Keys", "NewImage", "SequenceNumber", "SizeBytes", "ApproximateCreationDateTime");
    assertThat(ddb(first).get("StreamViewType")).isEqualTo("NEW_AND_OLD_IMAGES");

    // before the failed record: handed over once; the failed one: the first delivery and one retry
    for (int i = 1; i <= 3; i++) {
      assertThat(deliveriesOf(run + "-" + i)).as("record " + i).hasSize(1);
    }
    List<Map<String, Object>> poison = deliveriesOf(run + "-4");
    assertThat(poison).hasSize(2);
    Map<?, ?> info = (Map<?, ?>) Json.MAPPER.readValue(dead.body(), Map.class).get("DDBStreamBatchInfo");
    assertThat(info.get("startSequenceNumber")).isEqualTo(ddb(poison.getFirst()).get("SequenceNumber"));
    assertThat(info.get("streamArn")).isEqualTo(streamArn);

    // a MODIFY carries both images, a REMOVE the old one; a lone record waits for the batching window
    dynamo.updateItem(r -> r.tableName(table).key(Map.of("PK", AttributeValue.fromS(run + "-1")))
        .updateExpression("SET v = :v").expressionAttributeValues(Map.of(":v", AttributeValue.fromN("2"))));
    dynamo.deleteItem(r -> r.tableName(table).key(Map.of("PK", AttributeValue.fromS(run + "-2"))));
    cloud.drainTriggers(WAIT);
    Map<String, Object> modify = deliveriesOf(run + "-1").getLast();
    assertThat(modify.get("eventName")).isEqualTo("MODIFY");
    assertThat(ddb(modify)).containsKeys("OldImage", "NewImage");
    Map<String, Object> remove = deliveriesOf(run + "-2").getLast();
    assertThat(remove.get("eventName")).isEqualTo("REMOVE");
    assertThat(ddb(remove)).containsKey("OldImage").doesNotContainKey("NewImage");

    long alone = System.nanoTime();
    dynamo.putItem(r -> r.tableName(table).item(Map.of("PK", AttributeValue.fromS(run + "-alone"))));
    cloud.drainTriggers(WAIT);
    assertThat(Duration.ofNanos(ProbeStream.FIRST_SEEN.get(run + "-alone") - alone))
        .as("a batch of one waits for the batching window (the template's 1 s, capped by the suite's setting)")
        .isGreaterThanOrEqualTo(dev.goalpost.local.triggers.StreamPoller.effectiveWindow(1));
  }
}
