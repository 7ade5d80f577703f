package dev.goalpost.local.carrier;

import dev.goalpost.local.LocalClock;
import dev.goalpost.local.faults.FaultPlan;
import dev.goalpost.local.faults.Faults;
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

  /**
   * In fault mode the carrier may answer a send with a transient error before the text leaves
   * ({@code carrier-fail}: a {@link SendResult.Retry}), or time out after the text left
   * ({@code carrier-timeout}: the text is in the outbox, the sender gets the SDK's timeout exception and
   * cannot know).
   */
  @Override
  public SendResult send(OutboundSms sms) {
    if (Faults.shared().inject(FaultPlan.Kind.CARRIER_FAIL, "send")) {
      return new SendResult.Retry("carrier answered 503 Service Unavailable [fault injected]");
    }
    String id = "SM" + UUID.randomUUID().toString().replace("-", "");
    LocalOutbox.shared().add(new LocalOutbox.Sent(id, sms.messageId(), sms.from(), sms.to(), sms.body(),
        LocalClock.shared().instant()));
    if (Faults.shared().inject(FaultPlan.Kind.CARRIER_TIMEOUT, "send")) {
      throw software.amazon.awssdk.core.exception.ApiCallTimeoutException.create(10_000);
    }
    return new SendResult.Sent(id);
  }
}
