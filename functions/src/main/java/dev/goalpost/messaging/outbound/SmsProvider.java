package dev.goalpost.messaging.outbound;

/**
 * Sends one SMS through a carrier. Chosen by configuration ({@code SMS_PROVIDER}): {@code pinpoint} in AWS;
 * other names are looked up with {@link java.util.ServiceLoader} (the local cloud registers {@code local},
 * its recording carrier).
 */
public interface SmsProvider {
  String name();

  SendResult send(OutboundSms sms);

  /** One text to send; {@code messageId} is ours, for the provider's logs and the local outbox. */
  record OutboundSms(String messageId, String from, String to, String body) {}

  /** How a send ended: sent (with the provider's id), worth retrying, or failed for good. */
  sealed interface SendResult {
    record Sent(String providerMessageId) implements SendResult {}

    record Retry(String reason) implements SendResult {}

    record Failed(String reason) implements SendResult {}
  }
}
