package dev.goalpost.messaging.inbound;

import static org.assertj.core.api.Assertions.assertThat;

import com.amazonaws.services.lambda.runtime.events.SQSEvent;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The intake hands each AWS record to the same sink as the webhooks; garbage is dropped, not redelivered forever. */
class AwsSmsIntakeHandlerTest {
  private static SQSEvent.SQSMessage record(String id, String body) {
    SQSEvent.SQSMessage m = new SQSEvent.SQSMessage();
    m.setMessageId(id);
    m.setBody(body);
    m.setAttributes(Map.of("ApproximateReceiveCount", "1"));
    return m;
  }

  @Test
  void repliesAndReceiptsGoToTheInboundSinkAndMalformedRecordsAreDropped() {
    List<Object> sunk = new ArrayList<>();
    var handler = new AwsSmsIntakeHandler(new WebhooksHandler.Sink() {
      @Override
      public void message(InboundSms sms) {
        sunk.add(sms);
      }

      @Override
      public void receipt(DeliveryReceipt receipt) {
        sunk.add(receipt);
      }
    });
    SQSEvent event = new SQSEvent();
    event.setRecords(List.of(
        record("1", AwsSmsEventsTest.snsEnvelope(AwsSmsEventsTest.REPLY)),
        record("2", AwsSmsEventsTest.snsEnvelope(AwsSmsEventsTest.event("TEXT_DELIVERED", "DELIVERED"))),
        record("3", "not json"),
        record("4", "{\"Type\":\"SubscriptionConfirmation\",\"Message\":\"confirm\"}")));
    var response = handler.handleRequest(event, null);
    assertThat(response.getBatchItemFailures()).isEmpty();
    assertThat(sunk).hasSize(2);
    assertThat(((InboundSms) sunk.get(0)).providerMessageId()).isEqualTo("cae173d2-66b9-564c-8309-21f858e9fb84");
    assertThat(((DeliveryReceipt) sunk.get(1)).status()).isEqualTo(DeliveryReceipt.Status.DELIVERED);
  }
}
