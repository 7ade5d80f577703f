package dev.goalpost.messaging;

import dev.goalpost.platform.Json;
import java.util.Map;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.SendMessageRequest;

/**
 * The FIFO queue between the API (which stores a message QUEUED) and the sender. Message group = the thread,
 * so one thread's texts leave in order while threads go in parallel; deduplication id = the message id, so a
 * retried enqueue within five minutes is dropped by SQS, and the sender is idempotent beyond that.
 * 1 SendMessage per text.
 */
public final class OutboundQueue {
  /** What the sender needs to find the stored message. */
  public record Ref(String orgId, String threadId, String messageSortKey, String messageId, String from, String to) {}

  private final SqsClient sqs;
  private final String queueUrl;

  public OutboundQueue(SqsClient sqs, String queueUrl) {
    this.sqs = sqs;
    this.queueUrl = queueUrl;
  }

  public void send(Ref ref) {
    sqs.sendMessage(SendMessageRequest.builder().queueUrl(queueUrl)
        .messageBody(Json.write(Map.of("orgId", ref.orgId(), "threadId", ref.threadId(),
            "messageSortKey", ref.messageSortKey(), "messageId", ref.messageId(), "from", ref.from(),
            "to", ref.to())))
        .messageGroupId(ref.threadId())
        .messageDeduplicationId(ref.messageId())
        .build());
  }
}
