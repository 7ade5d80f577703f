package dev.goalpost.messaging.inbound;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The 300xx delivery errors Twilio reports on the status callback (twilio.com/docs/errors/30003 …): each fails
 * the message with its code (the processor stores "carrier {code} {message}" as the reason).
 */
class TwilioDeliveryErrorsTest {
  @ParameterizedTest(name = "{0} {1}")
  @CsvSource({"30003, Unreachable destination handset, undelivered", "30005, Unknown destination handset, undelivered",
      "30006, Landline or unreachable carrier, undelivered", "30007, Message filtered, undelivered",
      "30008, Unknown error, failed"})
  void eachDeliveryErrorFailsTheMessageWithItsCode(String code, String message, String status) throws Exception {
    DeliveryReceipt r = TwilioWebhooks.status(Map.of("MessageSid", List.of("SM0123456789abcdef0123456789abcdef"),
        "MessageStatus", List.of(status), "ErrorCode", List.of(code), "ErrorMessage", List.of(message)));
    assertThat(r.status()).isEqualTo(DeliveryReceipt.Status.FAILED);
    assertThat(r.errorCode()).isEqualTo(code);
    assertThat(r.errorMessage()).isEqualTo(message);
  }
}
