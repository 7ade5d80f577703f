package dev.goalpost.messaging;

import dev.goalpost.platform.Json;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.SendMessageBatchRequestEntry;
import software.amazon.awssdk.services.sqs.model.SendMessageRequest;

/**
 * The FIFO queue between the API (which stores a message QUEUED) and the sender. Message group = the thread,
 * so one thread's texts leave in order while threads go in parallel; deduplication id = the message id, so a
 * retried enqueue within five minutes is dropped by SQS, and the sender is idempotent beyond that (it only sends
 * what it moves from QUEUED to SENDING). 1 SendMessage per text; the stream projection's safety net queues a
 * batch's texts with SendMessageBatch, up to {@value #BATCH} per request.
 */
public final class OutboundQueue {
  /** SQS's limit of entries per SendMessageBatch. */
  public static final int BATCH = 10;

  /** What the sender needs to find the stored message. */
  public record Ref(String orgId, String threadId, String messageSortKey, String messageId, String from, String to) {}

  private final SqsClient sqs;
  private final String queueUrl;

  public OutboundQueue(SqsClient sqs, String queueUrl) {
    this.sqs = sqs;
    this.queueUrl = queueUrl;
  }

  private static String body(Ref ref) {
    return Json.write(Map.of("orgId", ref.orgId(), "threadId", ref.threadId(),
        "messageSortKey", ref.messageSortKey(), "messageId", ref.messageId(), "from", ref.from(), "to", ref.to()));
  }

  public void send(Ref ref) {
    sqs.sendMessage(SendMessageRequest.builder().queueUrl(queueUrl)
        .messageBody(body(ref))
        .messageGroupId(ref.threadId())
        .messageDeduplicationId(ref.messageId())
        .build());
  }

  /**
   * Queues {@code refs} with SendMessageBatch ({@value #BATCH} per request, in order, so one thread's texts keep
   * their order); answers the message ids SQS did not take (a failed entry, or a whole request that failed).
   * Entries that failed as sender faults are not retried here: the caller reports them and they come again.
   */
  public Set<String> sendAll(List<Ref> refs) {
    Set<String> failed = new LinkedHashSet<>();
    Map<String, Ref> byId = new java.util.LinkedHashMap<>();
    refs.forEach(r -> byId.putIfAbsent(r.messageId(), r));
    List<Ref> unique = new ArrayList<>(byId.values());
    for (int from = 0; from < unique.size(); from += BATCH) {
      List<Ref> chunk = unique.subList(from, Math.min(unique.size(), from + BATCH));
      List<SendMessageBatchRequestEntry> entries = new ArrayList<>();
      for (int i = 0; i < chunk.size(); i++) {
        Ref r = chunk.get(i);
        entries.add(SendMessageBatchRequestEntry.builder().id("m" + i).messageBody(body(r))
            .messageGroupId(r.threadId()).messageDeduplicationId(r.messageId()).build());
      }
      try {
        var res = sqs.sendMessageBatch(b -> b.queueUrl(queueUrl).entries(entries));
        res.failed().forEach(f -> failed.add(chunk.get(Integer.parseInt(f.id().substring(1))).messageId()));
      } catch (SdkException e) {
        chunk.forEach(r -> failed.add(r.messageId()));
      }
    }
    return failed;
  }
}
