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
  private final SenderService sender;

  public SenderHandler() {
    AwsClients aws = new AwsClients();
    this.sender = new SenderService(aws.dynamo(), Table.fromEnv(), SmsProviders.fromEnv(aws), ClockSource.runtimeClock());
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
