package dev.goalpost.messaging.inbound;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.SQSBatchResponse;
import com.amazonaws.services.lambda.runtime.events.SQSEvent;
import com.fasterxml.jackson.databind.JsonNode;
import dev.goalpost.messaging.OutboundQueue;
import dev.goalpost.platform.AwsClients;
import dev.goalpost.platform.ClockSource;
import dev.goalpost.platform.Env;
import dev.goalpost.platform.Ids;
import dev.goalpost.platform.Json;
import dev.goalpost.platform.SqsBatch;
import dev.goalpost.platform.Table;

/**
 * SQS trigger of the inbound queue: stores replies and receipts (see {@link InboundService}). A record that
 * fails is reported alone; after the queue's maxReceiveCount it moves to the dead-letter queue, which has an
 * alarm — nothing is dropped.
 */
public final class InboundProcessorHandler implements RequestHandler<SQSEvent, SQSBatchResponse> {
  /** Held so CRaC (which keeps resources weakly) runs it before the SnapStart snapshot. */
  private dev.goalpost.platform.Priming priming;
  private final InboundService inbound;

  public InboundProcessorHandler() {
    AwsClients aws = new AwsClients();
    this.inbound = new InboundService(aws.dynamo(), Table.fromEnv(),
        new OutboundQueue(aws.sqs(), Env.require("OUTBOUND_QUEUE_URL")),
        new dev.goalpost.platform.events.DomainEvents(aws.events(), Env.require("EVENT_BUS_NAME")),
        ClockSource.runtimeClock(), new Ids());
    // Priming reads a message that does not exist: the real path, no side effect.
    this.priming = dev.goalpost.platform.Priming.register(() -> inbound.receipt(new DeliveryReceipt("priming", "SMpriming", DeliveryReceipt.Status.DELIVERED, null, null)));
  }

  InboundProcessorHandler(InboundService inbound) {
    this.inbound = inbound;
  }

  @Override
  public SQSBatchResponse handleRequest(SQSEvent event, Context context) {
    return SqsBatch.run(event, m -> {
      JsonNode body = Json.read(m.getBody());
      return switch (body.path("kind").asText()) {
        case "message" -> {
          inbound.receive(Json.MAPPER.treeToValue(body.get("sms"), InboundSms.class));
          yield true;
        }
        case "receipt" -> inbound.receipt(Json.MAPPER.treeToValue(body.get("receipt"), DeliveryReceipt.class));
        default -> throw new IllegalArgumentException("Unknown inbound record kind " + body.path("kind"));
      };
    });
  }
}
