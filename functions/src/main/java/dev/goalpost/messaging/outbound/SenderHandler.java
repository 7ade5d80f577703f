package dev.goalpost.messaging.outbound;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.SQSBatchResponse;
import com.amazonaws.services.lambda.runtime.events.SQSEvent;
import dev.goalpost.messaging.OutboundQueue;
import dev.goalpost.platform.AwsClients;
import dev.goalpost.platform.ClockSource;
import dev.goalpost.platform.Json;
import dev.goalpost.platform.SqsBatch;
import dev.goalpost.platform.Table;

/** SQS trigger of the outbound queue; see template.yaml (SenderFunction). */
public final class SenderHandler implements RequestHandler<SQSEvent, SQSBatchResponse> {
  /** Held so CRaC (which keeps resources weakly) runs it before the SnapStart snapshot. */
  private dev.goalpost.platform.Priming priming;
  /** Retry delays double from {@value #FIRST_RETRY_SECONDS}s up to SQS's 15-minute visibility limit. */
  static final int FIRST_RETRY_SECONDS = 10;
  static final int MAX_RETRY_SECONDS = 900;

  private final SenderService sender;
  private final Backoff backoff;

  /** Delays the next delivery of a message that asked for a retry. */
  @FunctionalInterface
  interface Backoff {
    void delay(String receiptHandle, int seconds);
  }

  public SenderHandler() {
    AwsClients aws = new AwsClients();
    this.sender = new SenderService(aws.dynamo(), Table.fromEnv(), SmsProviders.fromEnv(aws), ClockSource.runtimeClock());
    String queueUrl = dev.goalpost.platform.Env.require("OUTBOUND_QUEUE_URL");
    var sqs = aws.sqs();
    this.backoff = (handle, seconds) -> sqs.changeMessageVisibility(b -> b.queueUrl(queueUrl)
        .receiptHandle(handle).visibilityTimeout(seconds));
    // Priming reads a message that does not exist: the real path, no side effect.
    this.priming = dev.goalpost.platform.Priming.register(() -> sender.send(new dev.goalpost.messaging.OutboundQueue.Ref(dev.goalpost.platform.http.PrimingEvents.ORG, "th_priming_priming", "MSG#0", "msg_priming", "+15005550006", "+15005550006")));
  }

  SenderHandler(SenderService sender, Backoff backoff) {
    this.sender = sender;
    this.backoff = backoff;
  }

  /** 10 s, 20 s, 40 s … capped at 15 minutes, by how often SQS has delivered the message. */
  static int retryDelaySeconds(int receiveCount) {
    int exponent = Math.max(0, Math.min(receiveCount - 1, 10));
    return Math.min(MAX_RETRY_SECONDS, FIRST_RETRY_SECONDS << exponent);
  }

  @Override
  public SQSBatchResponse handleRequest(SQSEvent event, Context context) {
    return SqsBatch.run(event, m -> {
      OutboundQueue.Ref ref = Json.MAPPER.readValue(m.getBody(), OutboundQueue.Ref.class);
      if (sender.send(ref) == SenderService.Outcome.DONE) {
        return true;
      }
      // Throttled or a transient carrier error: come back later, later each time, then the DLQ.
      int receives = Integer.parseInt(m.getAttributes() == null ? "1"
          : m.getAttributes().getOrDefault("ApproximateReceiveCount", "1"));
      backoff.delay(m.getReceiptHandle(), retryDelaySeconds(receives));
      return false;
    });
  }
}
