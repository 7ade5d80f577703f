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
  private final SenderService sender;

  public SenderHandler() {
    AwsClients aws = new AwsClients();
    this.sender = new SenderService(aws.dynamo(), Table.fromEnv(), SmsProviders.fromEnv(aws), ClockSource.runtimeClock());
    // Priming reads a message that does not exist: the real path, no side effect.
    this.priming = dev.goalpost.platform.Priming.register(() -> sender.send(new dev.goalpost.messaging.OutboundQueue.Ref(dev.goalpost.platform.http.PrimingEvents.ORG, "th_priming_priming", "MSG#0", "msg_priming", "+15005550006", "+15005550006")));
  }

  SenderHandler(SenderService sender) {
    this.sender = sender;
  }

  @Override
  public SQSBatchResponse handleRequest(SQSEvent event, Context context) {
    return SqsBatch.run(event, m -> {
      OutboundQueue.Ref ref = Json.MAPPER.readValue(m.getBody(), OutboundQueue.Ref.class);
      return sender.send(ref) == SenderService.Outcome.DONE;
    });
  }
}
