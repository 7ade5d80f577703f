package dev.goalpost.messaging.inbound;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.goalpost.messaging.inbound.DeliveryReceipt.Status;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;

class TwilioWebhooksTest {
  static final String SID = "SM1342fe1b2c904d1ab04f0fc7a58abca9";

  /** An incoming SMS as Twilio posts it (parameter set of twilio.com/docs/messaging/guides/webhook-request). */
  static final String INCOMING_SMS = "ToCountry=US&ToState=TX&SmsMessageSid=" + SID + "&NumMedia=0&ToCity=AUSTIN"
      + "&FromZip=78701&SmsSid=" + SID + "&FromState=TX&SmsStatus=received&FromCity=AUSTIN&Body=Stop."
      + "&FromCountry=US&To=%2B15125550100&MessagingServiceSid=MG00000000000000000000000000000000&ToZip=78701"
      + "&NumSegments=1&MessageSid=" + SID + "&AccountSid=AC00000000000000000000000000000000"
      + "&From=%2B15125550123&ApiVersion=2010-04-01";

  static Map<String, List<String>> form(String body) {
    try {
      return FormBody.parse(body);
    } catch (MalformedWebhook e) {
      throw new AssertionError(e);
    }
  }

  @Nested
  class IncomingMessages {

    @Test
    void readsAnIncomingSms() throws MalformedWebhook {
      assertThat(TwilioWebhooks.message(form(INCOMING_SMS))).isEqualTo(
          new InboundSms("twilio", SID, "+15125550123", "+15125550100", "Stop.", 0, List.of()));
    }

    @Test
    void readsAMediaOnlyMmsWithAnEmptyBody() throws MalformedWebhook {
      String mms = "MessageSid=MM" + SID.substring(2) + "&From=%2B15125550123&To=%2B15125550100&Body=&NumMedia=2"
          + "&MediaContentType0=image%2Fjpeg&MediaUrl0=https%3A%2F%2Fapi.twilio.com%2F2010-04-01%2FAccounts%2FAC1"
          + "%2FMessages%2FMM1%2FMedia%2FME1&MediaContentType1=image%2Fpng"
          + "&MediaUrl1=https%3A%2F%2Fapi.twilio.com%2FME2";
      InboundSms sms = TwilioWebhooks.message(form(mms));
      assertThat(sms.body()).isEmpty();
      assertThat(sms.mediaCount()).isEqualTo(2);
      assertThat(sms.mediaUrls()).containsExactly(
          "https://api.twilio.com/2010-04-01/Accounts/AC1/Messages/MM1/Media/ME1", "https://api.twilio.com/ME2");
    }

    @Test
    void fallsBackToTheDeprecatedSmsSid() throws MalformedWebhook {
      InboundSms sms = TwilioWebhooks.message(form("SmsSid=" + SID + "&From=%2B15125550123&To=%2B15125550100&Body=hi"));
      assertThat(sms.providerMessageId()).isEqualTo(SID);
      assertThat(sms.mediaCount()).isZero();
    }

    @Test
    void keepsTheBodyExactlyButTrimsPhones() throws MalformedWebhook {
      InboundSms sms = TwilioWebhooks.message(
          form("MessageSid=" + SID + "&From=+%2B15125550123+&To=%2B15125550100&Body=++hi++"));
      assertThat(sms.from()).isEqualTo("+15125550123");
      assertThat(sms.body()).isEqualTo("  hi  ");
    }

    @Test
    void acceptsABodyOfExactly1600CharactersCountingEmojiAsOne() throws MalformedWebhook {
      String body = "😀".repeat(1600);
      InboundSms sms = TwilioWebhooks.message(Map.of("MessageSid", List.of(SID), "From", List.of("+15125550123"),
          "To", List.of("+15125550100"), "Body", List.of(body)));
      assertThat(sms.body()).isEqualTo(body);
    }

    static Stream<Arguments> malformed() {
      String ok = "MessageSid=" + SID + "&From=%2B15125550123&To=%2B15125550100&Body=hi";
      return Stream.of(
          Arguments.of("From=%2B15125550123&To=%2B15125550100&Body=hi", "MessageSid", "required"),
          Arguments.of(ok.replace("MessageSid=" + SID, "MessageSid=SM%20bad"), "MessageSid", "letters, digits"),
          Arguments.of(ok.replace(SID, "SM" + "a".repeat(200)), "MessageSid", "at most 128"),
          Arguments.of(ok.replace("From=%2B15125550123&", ""), "From", "required"),
          Arguments.of(ok.replace("From=%2B15125550123", "From=+15125550123"), "From", "E.164"),
          Arguments.of(ok.replace("From=%2B15125550123", "From=5125550123"), "From", "E.164"),
          Arguments.of(ok.replace("From=%2B15125550123", "From=%2B1512555"), "From", "E.164"),
          Arguments.of(ok.replace("From=%2B15125550123", "From=%2B1234567890123456"), "From", "E.164"),
          Arguments.of(ok.replace("From=%2B15125550123", "From=%2B05125550123"), "From", "E.164"),
          Arguments.of(ok.replace("From=%2B15125550123", "From=whatsapp%3A%2B15125550123"), "From", "E.164"),
          Arguments.of(ok.replace("To=%2B15125550100", "To=%2B1+512+555+0100"), "To", "E.164"),
          Arguments.of(ok.replace("&Body=hi", ""), "Body", "required"),
          Arguments.of(ok.replace("Body=hi", "Body=" + "x".repeat(1601)), "Body", "at most 1600"),
          Arguments.of(ok + "&NumMedia=abc", "NumMedia", "whole number"),
          Arguments.of(ok + "&NumMedia=-1", "NumMedia", "whole number"),
          Arguments.of(ok + "&NumMedia=11", "NumMedia", "0 to 10"),
          Arguments.of(ok + "&NumMedia=99999999999", "NumMedia", "whole number"),
          Arguments.of(ok + "&NumMedia=1", "MediaUrl0", "required"),
          Arguments.of(ok + "&NumMedia=2&MediaUrl0=https%3A%2F%2Fa.example%2F1", "MediaUrl1", "required"),
          Arguments.of(ok + "&NumMedia=1&MediaUrl0=http%3A%2F%2Fa.example%2F1", "MediaUrl0", "https"),
          Arguments.of(ok + "&NumMedia=1&MediaUrl0=javascript%3Aalert(1)", "MediaUrl0", "https"),
          Arguments.of(ok + "&NumMedia=1&MediaUrl0=https%3A%2F%2F", "MediaUrl0", "https"),
          Arguments.of(ok + "&From=%2B15125550199", "From", "more than once"));
    }

    @ParameterizedTest(name = "{1}: {2}")
    @MethodSource("malformed")
    void refusesAMalformedMessageNamingTheField(String body, String field, String reason) {
      assertThatThrownBy(() -> TwilioWebhooks.message(form(body)))
          .isInstanceOfSatisfying(MalformedWebhook.class, e -> {
            assertThat(e.field()).isEqualTo(field);
            assertThat(e.reason()).contains(reason);
          });
    }

    @Test
    void refusesMissingParameters() {
      assertThatThrownBy(() -> TwilioWebhooks.message(null)).isInstanceOf(MalformedWebhook.class);
    }
  }

  @Nested
  class StatusCallbacks {

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource({
        "accepted, QUEUED", "scheduled, QUEUED", "queued, QUEUED", "sending, QUEUED",
        "sent, SENT", "partially_delivered, SENT",
        "delivered, DELIVERED", "read, DELIVERED",
        "undelivered, FAILED", "failed, FAILED", "canceled, FAILED"})
    void mapsEveryTwilioOutboundStatus(String twilio, Status ours) throws MalformedWebhook {
      DeliveryReceipt receipt = TwilioWebhooks.status(form("MessageSid=" + SID + "&MessageStatus=" + twilio));
      assertThat(receipt).isEqualTo(new DeliveryReceipt("twilio", SID, ours, null, null));
    }

    @Test
    void readsAnUndeliveredCallbackWithItsErrorCode() throws MalformedWebhook {
      // The parameters of an outbound status callback (twilio.com/docs/messaging/guides/track-outbound-message-status).
      String callback = "ErrorCode=30003&SmsSid=" + SID + "&SmsStatus=undelivered&MessageStatus=undelivered"
          + "&To=%2B15125550123&MessagingServiceSid=MG0&MessageSid=" + SID + "&AccountSid=AC0"
          + "&From=%2B15125550100&ApiVersion=2010-04-01&ErrorMessage=Unreachable+destination+handset";
      assertThat(TwilioWebhooks.status(form(callback))).isEqualTo(
          new DeliveryReceipt("twilio", SID, Status.FAILED, "30003", "Unreachable destination handset"));
    }

    @Test
    void fallsBackToSmsStatusAndTreatsAnEmptyErrorCodeAsNone() throws MalformedWebhook {
      DeliveryReceipt receipt = TwilioWebhooks.status(form("SmsSid=" + SID + "&SmsStatus=Delivered&ErrorCode="));
      assertThat(receipt.status()).isEqualTo(Status.DELIVERED);
      assertThat(receipt.errorCode()).isNull();
    }

    static Stream<Arguments> malformed() {
      return Stream.of(
          Arguments.of("MessageStatus=sent", "MessageSid", "required"),
          Arguments.of("MessageSid=" + SID, "MessageStatus", "required"),
          Arguments.of("MessageSid=" + SID + "&MessageStatus=bounced", "MessageStatus", "not a Twilio message status"),
          Arguments.of("MessageSid=" + SID + "&MessageStatus=received", "MessageStatus", "incoming message"),
          Arguments.of("MessageSid=" + SID + "&MessageStatus=receiving", "MessageStatus", "incoming message"),
          Arguments.of("MessageSid=" + SID + "&MessageStatus=failed&ErrorCode=oops", "ErrorCode", "numeric"));
    }

    @ParameterizedTest(name = "{1}: {2}")
    @MethodSource("malformed")
    void refusesAMalformedCallbackNamingTheField(String body, String field, String reason) {
      assertThatThrownBy(() -> TwilioWebhooks.status(form(body)))
          .isInstanceOfSatisfying(MalformedWebhook.class, e -> {
            assertThat(e.field()).isEqualTo(field);
            assertThat(e.reason()).contains(reason);
          });
    }
  }
}
