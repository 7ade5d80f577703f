package dev.goalpost.projections;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.BatchResultErrorEntry;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;
import software.amazon.awssdk.services.sqs.model.SendMessageBatchRequest;
import software.amazon.awssdk.services.sqs.model.SendMessageBatchRequestEntry;
import software.amazon.awssdk.services.sqs.model.SendMessageBatchResponse;

/**
 * A FIFO queue of one test's own on the emulator (created through the SDK; no poller of the local cloud reads
 * it), behind a decorator of the real {@link SqsClient}: SendMessageBatch goes to the real queue, except the
 * entries whose deduplication id was {@link #refuse}d, which are answered as failed ({@code InternalError}, not
 * the sender's fault) without being sent. It records each request and each entry the real queue accepted.
 */
final class RecordingQueue implements SqsClient {
  private final SqsClient real;
  private final String url;
  private final Set<String> refused = ConcurrentHashMap.newKeySet();
  private final List<SendMessageBatchRequestEntry> accepted = Collections.synchronizedList(new ArrayList<>());
  private final AtomicInteger requests = new AtomicInteger();

  private RecordingQueue(SqsClient real, String url) {
    this.real = real;
    this.url = url;
  }

  static RecordingQueue create(SqsClient real, String prefix) {
    String name = prefix + "scratch-" + UUID.randomUUID().toString().substring(0, 8) + ".fifo";
    String url = real.createQueue(r -> r.queueName(name)
        .attributes(Map.of(QueueAttributeName.FIFO_QUEUE, "true"))).queueUrl();
    return new RecordingQueue(real, url);
  }

  String url() {
    return url;
  }

  /** The next entry with this deduplication id (message id) is answered as failed and not sent. */
  void refuse(String deduplicationId) {
    refused.add(deduplicationId);
  }

  /** The entries the real queue accepted, in the order they were sent. */
  List<SendMessageBatchRequestEntry> accepted() {
    synchronized (accepted) {
      return List.copyOf(accepted);
    }
  }

  /** SendMessageBatch requests made so far. */
  int requests() {
    return requests.get();
  }

  @Override
  public SendMessageBatchResponse sendMessageBatch(SendMessageBatchRequest r) {
    requests.incrementAndGet();
    List<BatchResultErrorEntry> failed = new ArrayList<>();
    List<SendMessageBatchRequestEntry> forward = new ArrayList<>();
    for (var e : r.entries()) {
      if (refused.remove(e.messageDeduplicationId())) {
        failed.add(BatchResultErrorEntry.builder().id(e.id()).code("InternalError").senderFault(false).build());
      } else {
        forward.add(e);
      }
    }
    if (forward.isEmpty()) {
      return SendMessageBatchResponse.builder().failed(failed).build();
    }
    SendMessageBatchResponse res = real.sendMessageBatch(r.toBuilder().entries(forward).build());
    Set<String> ok = new java.util.HashSet<>();
    res.successful().forEach(s -> ok.add(s.id()));
    forward.stream().filter(e -> ok.contains(e.id())).forEach(accepted::add);
    failed.addAll(res.failed());
    return res.toBuilder().failed(failed).build();
  }

  void delete() {
    real.deleteQueue(r -> r.queueUrl(url));
  }

  @Override
  public String serviceName() {
    return real.serviceName();
  }

  @Override
  public void close() {
    // the real client is the local cloud's, shared
  }
}
