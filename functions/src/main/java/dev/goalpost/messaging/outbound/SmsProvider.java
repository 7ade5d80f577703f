package dev.goalpost.messaging.outbound;

import dev.goalpost.groups.NumberProvider;

/**
 * Sends one SMS through a carrier. Each group number names its provider ({@link NumberProvider}); the
 * sender picks the provider through {@link SmsProviders}: {@code aws} (End User Messaging SMS {@code SendTextMessage}) and {@code twilio} are built
 * in, other names are looked up with {@link java.util.ServiceLoader} (the local cloud registers {@code local}).
 *
 * <p>A provider never throws for what the carrier answered: every answer maps to a {@link SendResult}. A send
 * whose outcome cannot be known (the request may have left, no answer came) is {@link SendResult.Failed}: a
 * text goes out at most once per message id, so it is never retried blindly.
 */
public interface SmsProvider {
  String name();

  SendResult send(OutboundSms sms);

  /**
   * One text to send; {@code messageId} is ours, for the provider's logs and the local outbox; {@code via} is
   * the sending number's provider setting (the account, a Messaging Service).
   */
  record OutboundSms(String messageId, String from, String to, String body, NumberProvider via) {
    public OutboundSms(String messageId, String from, String to, String body) {
      this(messageId, from, to, body, null);
    }
  }

  /** How a send ended: sent (with the provider's id), worth retrying, failed for good, or opted out. */
  sealed interface SendResult {
    record Sent(String providerMessageId) implements SendResult {}

    /** Nothing was sent (throttled, a 5xx, no connection): the queue delivers it again, later. */
    record Retry(String reason) implements SendResult {}

    record Failed(String reason) implements SendResult {}

    /** The carrier says the recipient unsubscribed (Twilio 21610): failed, and the contact is opted out. */
    record OptedOut(String reason) implements SendResult {}
  }
}
