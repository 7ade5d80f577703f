package dev.goalpost.messaging.inbound;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.SQSBatchResponse;
import com.amazonaws.services.lambda.runtime.events.SQSEvent;
import dev.goalpost.platform.AwsClients;
import dev.goalpost.platform.Env;
import dev.goalpost.platform.SqsBatch;
import java.util.logging.Logger;

/**
 * The webhook of AWS numbers: AWS never posts to a URL, it publishes replies (two-way SMS) and delivery
 * events (a configuration set's event destination) to SNS topics, which deliver to a standard queue (an SNS
 * standard topic cannot feed a FIFO queue). This function reads that queue, parses each record
 * ({@link AwsSmsEvents}) and puts it on the inbound FIFO queue exactly as the Twilio webhooks do: same
 * message group (the conversation), same deduplication id (the carrier's id), so the processor applies the
 * same idempotency, keyword and per-thread ordering rules. A malformed record is logged and dropped (it can
 * never parse); a failed enqueue is retried by SQS, then kept in the intake DLQ. 1 SendMessage per record.
 */
public final class AwsSmsIntakeHandler implements RequestHandler<SQSEvent, SQSBatchResponse> {
  private static final Logger LOG = Logger.getLogger(AwsSmsIntakeHandler.class.getName());
  /** Held so CRaC (which keeps resources weakly) runs it before the SnapStart snapshot. */
  private dev.goalpost.platform.Priming priming;
  private final WebhooksHandler.Sink sink;

  public AwsSmsIntakeHandler() {
    InboundQueue queue = new InboundQueue(new AwsClients().sqs(), Env.require("INBOUND_QUEUE_URL"));
    this.sink = new WebhooksHandler.Sink() {
      @Override
      public void message(InboundSms sms) {
        queue.message(sms);
      }

      @Override
      public void receipt(DeliveryReceipt receipt) {
        queue.receipt(receipt);
      }
    };
    // Priming parses a subscription notice: the JSON path runs, nothing is enqueued.
    this.priming = dev.goalpost.platform.Priming.register(() -> handle(
        "{\"Type\":\"SubscriptionConfirmation\",\"Message\":\"priming\"}"));
  }

  AwsSmsIntakeHandler(WebhooksHandler.Sink sink) {
    this.sink = sink;
  }

  @Override
  public SQSBatchResponse handleRequest(SQSEvent event, Context context) {
    return SqsBatch.run(event, m -> {
      handle(m.getBody());
      return true;
    });
  }

  private void handle(String body) {
    AwsSmsEvents.Parsed parsed;
    try {
      parsed = AwsSmsEvents.parse(body);
    } catch (MalformedWebhook e) {
      LOG.warning("AWS SMS record dropped: " + e.field() + " " + e.reason());
      return;
    }
    switch (parsed) {
      case AwsSmsEvents.Parsed.Reply r -> sink.message(r.sms());
      case AwsSmsEvents.Parsed.Receipt r -> sink.receipt(r.receipt());
      case AwsSmsEvents.Parsed.Ignored i -> LOG.info("AWS SMS record ignored: " + i.why());
    }
  }
}
