package dev.goalpost.local.iam;

import static org.assertj.core.api.Assertions.assertThat;

import dev.goalpost.local.iam.Authorization.Check;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.SdkRequest;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.BatchGetItemRequest;
import software.amazon.awssdk.services.dynamodb.model.BatchWriteItemRequest;
import software.amazon.awssdk.services.dynamodb.model.ConditionCheck;
import software.amazon.awssdk.services.dynamodb.model.Delete;
import software.amazon.awssdk.services.dynamodb.model.GetItemRequest;
import software.amazon.awssdk.services.dynamodb.model.KeysAndAttributes;
import software.amazon.awssdk.services.dynamodb.model.Put;
import software.amazon.awssdk.services.dynamodb.model.PutRequest;
import software.amazon.awssdk.services.dynamodb.model.QueryRequest;
import software.amazon.awssdk.services.dynamodb.model.ScanRequest;
import software.amazon.awssdk.services.dynamodb.model.TransactGetItem;
import software.amazon.awssdk.services.dynamodb.model.TransactGetItemsRequest;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItem;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItemsRequest;
import software.amazon.awssdk.services.dynamodb.model.Update;
import software.amazon.awssdk.services.dynamodb.model.WriteRequest;
import software.amazon.awssdk.services.eventbridge.model.PutEventsRequest;
import software.amazon.awssdk.services.eventbridge.model.PutEventsRequestEntry;
import software.amazon.awssdk.services.pinpointsmsvoicev2.model.SendTextMessageRequest;
import software.amazon.awssdk.services.sqs.model.ChangeMessageVisibilityBatchRequest;
import software.amazon.awssdk.services.sqs.model.SendMessageRequest;
import software.amazon.awssdk.services.ssm.model.GetParameterRequest;
import software.amazon.awssdk.services.ssm.model.GetParametersRequest;

class AuthorizationTest {
  private static final Caller CALLER = new Caller("Fn", "arn:aws:sts::123456789012:assumed-role/p-FnRole/p-Fn",
      new Policy(List.of()), "eu-west-1", "123456789012");
  private static final String T = "arn:aws:dynamodb:eu-west-1:123456789012:table/";
  private static final Map<String, AttributeValue> KEY = Map.of("PK", AttributeValue.fromS("k"));

  private static List<Check> checks(SdkRequest r, String op) {
    return Authorization.of(r, op, CALLER);
  }

  @Test
  void aTransactWriteIsAuthorizedItemByItemOnEachItemsTable() {
    TransactWriteItemsRequest r = TransactWriteItemsRequest.builder().transactItems(
        TransactWriteItem.builder().put(Put.builder().tableName("A").item(KEY).build()).build(),
        TransactWriteItem.builder().update(Update.builder().tableName("A").key(KEY).updateExpression("SET x = :x").build()).build(),
        TransactWriteItem.builder().delete(Delete.builder().tableName("B").key(KEY).build()).build(),
        TransactWriteItem.builder().conditionCheck(ConditionCheck.builder().tableName("A").key(KEY)
            .conditionExpression("attribute_exists(PK)").build()).build()).build();

    assertThat(checks(r, "TransactWriteItems")).containsExactly(
        new Check("dynamodb:PutItem", T + "A"),
        new Check("dynamodb:UpdateItem", T + "A"),
        new Check("dynamodb:DeleteItem", T + "B"),
        new Check("dynamodb:ConditionCheckItem", T + "A"));
  }

  @Test
  void aTransactGetIsAuthorizedAsGetItem() {
    TransactGetItemsRequest r = TransactGetItemsRequest.builder().transactItems(
        TransactGetItem.builder().get(g -> g.tableName("A").key(KEY)).build(),
        TransactGetItem.builder().get(g -> g.tableName("A").key(KEY)).build()).build();

    assertThat(checks(r, "TransactGetItems")).containsExactly(new Check("dynamodb:GetItem", T + "A"));
  }

  @Test
  void batchesAreAuthorizedOncePerTable() {
    BatchGetItemRequest get = BatchGetItemRequest.builder().requestItems(Map.of(
        "A", KeysAndAttributes.builder().keys(KEY).build())).build();
    BatchWriteItemRequest write = BatchWriteItemRequest.builder().requestItems(Map.of(
        "B", List.of(WriteRequest.builder().putRequest(PutRequest.builder().item(KEY).build()).build()))).build();

    assertThat(checks(get, "BatchGetItem")).containsExactly(new Check("dynamodb:BatchGetItem", T + "A"));
    assertThat(checks(write, "BatchWriteItem")).containsExactly(new Check("dynamodb:BatchWriteItem", T + "B"));
  }

  @Test
  void queriesAndScansOfAnIndexAreAuthorizedOnTheIndexArn() {
    assertThat(checks(QueryRequest.builder().tableName("A").indexName("GSI1").build(), "Query"))
        .containsExactly(new Check("dynamodb:Query", T + "A/index/GSI1"));
    assertThat(checks(QueryRequest.builder().tableName("A").build(), "Query"))
        .containsExactly(new Check("dynamodb:Query", T + "A"));
    assertThat(checks(ScanRequest.builder().tableName("A").indexName("GSI1").build(), "Scan"))
        .containsExactly(new Check("dynamodb:Scan", T + "A/index/GSI1"));
    assertThat(checks(GetItemRequest.builder().tableName(T + "A").key(KEY).build(), "GetItem"))
        .containsExactly(new Check("dynamodb:GetItem", T + "A"));
  }

  @Test
  void sqsCallsAreAuthorizedOnTheQueueArnOfTheirUrlBatchesAsTheSingleAction() {
    assertThat(checks(SendMessageRequest.builder().queueUrl("http://127.0.0.1:4566/123456789012/p-Out.fifo").build(), "SendMessage"))
        .containsExactly(new Check("sqs:SendMessage", "arn:aws:sqs:eu-west-1:123456789012:p-Out.fifo"));
    assertThat(checks(ChangeMessageVisibilityBatchRequest.builder()
        .queueUrl("https://sqs.eu-west-1.amazonaws.com/123456789012/q").build(), "ChangeMessageVisibilityBatch"))
        .containsExactly(new Check("sqs:ChangeMessageVisibility", "arn:aws:sqs:eu-west-1:123456789012:q"));
  }

  @Test
  void putEventsIsAuthorizedOnEachEntrysBusTheDefaultOneWhenUnnamed() {
    PutEventsRequest r = PutEventsRequest.builder().entries(
        PutEventsRequestEntry.builder().eventBusName("p-events").build(),
        PutEventsRequestEntry.builder().eventBusName("arn:aws:events:eu-west-1:123456789012:event-bus/other").build(),
        PutEventsRequestEntry.builder().build()).build();

    assertThat(checks(r, "PutEvents")).containsExactly(
        new Check("events:PutEvents", "arn:aws:events:eu-west-1:123456789012:event-bus/p-events"),
        new Check("events:PutEvents", "arn:aws:events:eu-west-1:123456789012:event-bus/other"),
        new Check("events:PutEvents", "arn:aws:events:eu-west-1:123456789012:event-bus/default"));
  }

  @Test
  void ssmParametersAndTextMessagesHaveTheirOwnArns() {
    assertThat(checks(GetParameterRequest.builder().name("/goalpost/twilio-auth-token").build(), "GetParameter"))
        .containsExactly(new Check("ssm:GetParameter", "arn:aws:ssm:eu-west-1:123456789012:parameter/goalpost/twilio-auth-token"));
    assertThat(checks(GetParametersRequest.builder().names("a", "/b").build(), "GetParameters")).containsExactly(
        new Check("ssm:GetParameters", "arn:aws:ssm:eu-west-1:123456789012:parameter/a"),
        new Check("ssm:GetParameters", "arn:aws:ssm:eu-west-1:123456789012:parameter/b"));
    assertThat(checks(SendTextMessageRequest.builder().configurationSetName("p-SmsConfigurationSet")
        .originationIdentity("+15125550100").destinationPhoneNumber("+15125550199").build(), "SendTextMessage"))
        .containsExactly(
            new Check("sms-voice:SendTextMessage", "arn:aws:sms-voice:eu-west-1:123456789012:configuration-set/p-SmsConfigurationSet"),
            new Check("sms-voice:SendTextMessage", "arn:aws:sms-voice:eu-west-1:123456789012:phone-number/+15125550100"));
    assertThat(checks(SendTextMessageRequest.builder().originationIdentity("pool-abc").build(), "SendTextMessage"))
        .containsExactly(new Check("sms-voice:SendTextMessage", "arn:aws:sms-voice:eu-west-1:123456789012:pool/pool-abc"));
  }
}
