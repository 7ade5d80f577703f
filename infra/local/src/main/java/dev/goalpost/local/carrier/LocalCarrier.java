package dev.goalpost.local.carrier;

import dev.goalpost.local.LocalClock;
import dev.goalpost.messaging.outbound.SmsProvider;
import java.util.UUID;

/**
 * The SMS provider named {@code local}: it records each text in the {@link LocalOutbox} and answers with a
 * Twilio-like message id, so the whole path (API → queue → sender → provider → receipts) runs locally.
 */
public final class LocalCarrier implements SmsProvider {
  @Override
  public String name() {
    return "local";
  }

  @Override
  public SendResult send(OutboundSms sms) {
    String id = "SM" + UUID.randomUUID().toString().replace("-", "");
    LocalOutbox.shared().add(new LocalOutbox.Sent(id, sms.messageId(), sms.from(), sms.to(), sms.body(),
        LocalClock.shared().instant()));
    return new SendResult.Sent(id);
  }
}
