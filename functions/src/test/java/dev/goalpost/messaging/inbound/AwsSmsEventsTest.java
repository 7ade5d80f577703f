package dev.goalpost.messaging.inbound;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.goalpost.messaging.inbound.DeliveryReceipt.Status;
import dev.goalpost.platform.Json;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The documented AWS End User Messaging SMS payloads, raw, in SNS's envelope, and as EventBridge events. */
class AwsSmsEventsTest {
  /** docs.aws.amazon.com/sms-voice/latest/userguide/two-way-sms-payload.html */
  static final String REPLY = "{\"originationNumber\":\"+14255550182\",\"destinationNumber\":\"+12125550101\","
      + "\"messageKeyword\":\"JOIN\",\"messageBody\":\"EXAMPLE\",\"inboundMessageId\":\"cae173d2-66b9-564c-8309-21f858e9fb84\","
      + "\"previousPublishedMessageId\":\"wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY\"}";

  /** docs.aws.amazon.com/sms-voice/latest/userguide/configuration-sets-event-format.html */
  static String event(String type, String status) {
    return "{\"eventType\":\"" + type + "\",\"eventVersion\":\"1.0\",\"eventTimestamp\":1686975103470,\"isFinal\":true,"
        + "\"originationPhoneNumber\":\"+12065550152\",\"destinationPhoneNumber\":\"+14255550156\",\"isInternationalSend\":false,"
        + "\"mcc\":\"310\",\"mnc\":\"800\",\"messageId\":\"862a8790-60c0-4430-9b2b-658bdexample\",\"messageRequestTimestamp\":1686975103170,"
        + "\"messageEncoding\":\"GSM\",\"messageType\":\"PROMOTIONAL\",\"messageStatus\":\"" + status + "\","
        + "\"messageStatusDescription\":\"Message has been accepted by phone carrier\",\"context\":{\"account\":\"bar\"},"
        + "\"totalMessageParts\":1,\"totalMessagePrice\":0.09582,\"totalCarrierFee\":0.0}";
  }

  static String snsEnvelope(String message) {
    return Json.write(Map.of("Type", "Notification", "MessageId", "95df01b4-ee98-5cb9-9903-4c221d41eb5e",
        "TopicArn", "arn:aws:sns:us-east-1:123456789012:InboundSms", "Message", message,
        "Timestamp", "2026-12-02T16:00:00.000Z", "SignatureVersion", "1"));
  }

  @Test
  void aTwoWayReplyInSnssEnvelopeIsAnInboundTextKeyedByItsInboundId() throws Exception {
    var parsed = (AwsSmsEvents.Parsed.Reply) AwsSmsEvents.parse(snsEnvelope(REPLY));
    assertThat(parsed.sms()).isEqualTo(new InboundSms("aws", "cae173d2-66b9-564c-8309-21f858e9fb84", "+14255550182",
        "+12125550101", "EXAMPLE", 0, java.util.List.of()));
    assertThat(AwsSmsEvents.parse(REPLY)).isEqualTo(parsed); // raw delivery reads the same
  }

  @ParameterizedTest(name = "{0} -> {2}")
  @CsvSource({"TEXT_DELIVERED, DELIVERED, DELIVERED, ", "TEXT_SUCCESSFUL, SUCCESSFUL, SENT, ",
      "TEXT_QUEUED, QUEUED, QUEUED, ", "TEXT_PENDING, PENDING, QUEUED, ",
      "TEXT_BLOCKED, BLOCKED, FAILED, BLOCKED", "TEXT_CARRIER_UNREACHABLE, CARRIER_UNREACHABLE, FAILED, CARRIER_UNREACHABLE",
      "TEXT_INVALID, INVALID, FAILED, INVALID", "TEXT_SPAM, SPAM, FAILED, SPAM", "TEXT_TTL_EXPIRED, TTL_EXPIRED, FAILED, TTL_EXPIRED",
      "TEXT_UNKNOWN, UNKNOWN, FAILED, UNKNOWN"})
  void eachSmsEventTypeMapsToOurStatus(String type, String status, Status ours, String code) throws Exception {
    var parsed = (AwsSmsEvents.Parsed.Receipt) AwsSmsEvents.parse(snsEnvelope(event(type, status)));
    assertThat(parsed.receipt().provider()).isEqualTo("aws");
    assertThat(parsed.receipt().providerMessageId()).isEqualTo("862a8790-60c0-4430-9b2b-658bdexample");
    assertThat(parsed.receipt().status()).isEqualTo(ours);
    assertThat(parsed.receipt().errorCode()).isEqualTo(code);
  }

  @Test
  void aFinalFailureCarriesAwsReasonAndAnIntermediateOneChangesNothing() throws Exception {
    String failed = event("TEXT_CARRIER_UNREACHABLE", "CARRIER_UNREACHABLE")
        .replace("Message has been accepted by phone carrier", "The carrier could not reach the handset");
    DeliveryReceipt r = ((AwsSmsEvents.Parsed.Receipt) AwsSmsEvents.parse(snsEnvelope(failed))).receipt();
    assertThat(r).isEqualTo(new DeliveryReceipt("aws", "862a8790-60c0-4430-9b2b-658bdexample", Status.FAILED,
        "CARRIER_UNREACHABLE", "The carrier could not reach the handset"));

    DeliveryReceipt pending = ((AwsSmsEvents.Parsed.Receipt) AwsSmsEvents.parse(
        failed.replace("\"isFinal\":true", "\"isFinal\":false"))).receipt();
    assertThat(pending.status()).isEqualTo(Status.QUEUED); // AWS may still deliver it
    assertThat(pending.errorCode()).isNull();

    DeliveryReceipt accepted = ((AwsSmsEvents.Parsed.Receipt) AwsSmsEvents.parse(
        event("TEXT_SUCCESSFUL", "SUCCESSFUL").replace("\"isFinal\":true", "\"isFinal\":false"))).receipt();
    assertThat(accepted.status()).isEqualTo(Status.SENT);
  }

  @Test
  void anEventBridgeEventIsReadFromItsDetail() throws Exception {
    String eb = "{\"version\":\"0\",\"detail-type\":\"Text Message Delivery Status Updated\",\"source\":\"aws.sms-voice\","
        + "\"detail\":" + event("TEXT_DELIVERED", "DELIVERED") + "}";
    assertThat(((AwsSmsEvents.Parsed.Receipt) AwsSmsEvents.parse(eb)).receipt().status()).isEqualTo(Status.DELIVERED);
  }

  @Test
  void subscriptionNoticesAndVoiceEventsAreIgnoredAndGarbageIsRefusedNamingTheField() throws Exception {
    assertThat(AwsSmsEvents.parse("{\"Type\":\"SubscriptionConfirmation\",\"Message\":\"x\"}"))
        .isInstanceOf(AwsSmsEvents.Parsed.Ignored.class);
    assertThat(AwsSmsEvents.parse(event("VOICE_COMPLETED", "COMPLETED"))).isInstanceOf(AwsSmsEvents.Parsed.Ignored.class);
    assertThatThrownBy(() -> AwsSmsEvents.parse(REPLY.replace("+14255550182", "not-a-phone")))
        .isInstanceOf(MalformedWebhook.class).hasMessageContaining("originationNumber");
    assertThatThrownBy(() -> AwsSmsEvents.parse("{\"hello\":1}")).isInstanceOf(MalformedWebhook.class);
    assertThatThrownBy(() -> AwsSmsEvents.parse(event("TEXT_EXPLODED", "X"))).isInstanceOf(MalformedWebhook.class)
        .hasMessageContaining("eventType");
  }
}
