package dev.goalpost.local.triggers;

import com.amazonaws.services.lambda.runtime.events.SQSBatchResponse;
import com.amazonaws.services.lambda.runtime.events.SQSEvent;
import dev.goalpost.local.faults.FaultPlan;
import dev.goalpost.local.faults.Faults;
import dev.goalpost.local.functions.EventSource;
import dev.goalpost.local.functions.HostedFunction;
import dev.goalpost.platform.Json;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.logging.Level;
import java.util.logging.Logger;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.DeleteMessageBatchRequestEntry;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.MessageSystemAttributeName;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;

/**
 * A Lambda SQS event source mapping for one {@code Type: SQS} event: long-polls the queue, invokes the function
 * with a batch, and deletes what succeeded — every message when the function returns normally, all but the
 * {@code batchItemFailures} with {@code ReportBatchItemFailures}, none when it throws. Undeleted messages come
 * back after the queue's visibility timeout and, past {@code maxReceiveCount}, the emulator moves them to the
 * DLQ: retries and dead-lettering are the queue's own, as in AWS.
 */
public final class SqsPoller implements AutoCloseable {
  private static final Logger LOG = Logger.getLogger(SqsPoller.class.getName());
  private static final int WAIT_SECONDS = 1;

  private final SqsClient sqs;
  private final HostedFunction function;
  private final EventSource.Sqs source;
  private final String queueUrl;
  private final String region;
  private final AtomicBoolean running = new AtomicBoolean(true);
  private final AtomicInteger inFlight = new AtomicInteger();
  private final CountDownLatch closing = new CountDownLatch(1);
  private final Thread thread;

  public SqsPoller(SqsClient sqs, HostedFunction function, EventSource.Sqs source, String region) {
    this.sqs = sqs;
    this.function = function;
    this.source = source;
    this.region = region;
    String queueName = source.queueArn().substring(source.queueArn().lastIndexOf(':') + 1);
    this.queueUrl = sqs.getQueueUrl(r -> r.queueName(queueName)).queueUrl();
    this.thread = Thread.ofPlatform().daemon().name("sqs-" + function.spec().logicalId() + "-" + source.name())
        .unstarted(this::loop);
  }

  public void start() {
    thread.start();
  }

  private void loop() {
    while (running.get()) {
      try {
        pollOnce();
      } catch (RuntimeException e) {
        if (!running.get()) {
          return; // the emulator is going away with us
        }
        LOG.log(Level.WARNING, "Polling " + queueUrl + " failed; retrying", e);
        pause();
      }
    }
  }

  private void pollOnce() {
    List<Message> messages = sqs.receiveMessage(r -> r
            .queueUrl(queueUrl)
            .maxNumberOfMessages(Math.min(10, Math.max(1, source.batchSize())))
            .waitTimeSeconds(WAIT_SECONDS)
            .messageSystemAttributeNames(MessageSystemAttributeName.ALL)
            .messageAttributeNames("All"))
        .messages();
    if (messages.isEmpty() || !running.get()) {
      return;
    }
    inFlight.incrementAndGet();
    try {
      Set<String> failed = invoke(messages);
      if (Faults.shared().inject(FaultPlan.Kind.DUPLICATE, source.queueArn())) {
        // At-least-once delivery: the same batch reaches the function again (as when SQS hands a message to a
        // second poller before the first one deletes it). A message is done if either delivery succeeded.
        LOG.info(() -> "fault mode: delivering a batch of " + messages.size() + " from " + source.name() + " twice");
        Set<String> again = invoke(messages);
        failed = new HashSet<>(failed);
        failed.retainAll(again);
      }
      Set<String> leave = failed;
      List<DeleteMessageBatchRequestEntry> done = messages.stream()
          .filter(m -> !leave.contains(m.messageId()))
          .map(m -> DeleteMessageBatchRequestEntry.builder().id(m.messageId()).receiptHandle(m.receiptHandle()).build())
          .toList();
      if (!done.isEmpty()) {
        sqs.deleteMessageBatch(r -> r.queueUrl(queueUrl).entries(done));
      }
    } finally {
      inFlight.decrementAndGet();
    }
  }

  /** The ids to leave on the queue: none on success, the reported failures, or the whole batch. */
  private Set<String> invoke(List<Message> messages) {
    Set<String> all = new HashSet<>(messages.stream().map(Message::messageId).toList());
    Object result;
    try {
      result = function.invoke(event(messages));
    } catch (RuntimeException e) {
      LOG.log(Level.WARNING, function.spec().logicalId() + " failed a batch of " + messages.size()
          + " from " + source.name() + "; the messages return after the visibility timeout", e);
      return all;
    }
    if (!source.reportBatchItemFailures() || result == null) {
      return Set.of();
    }
    SQSBatchResponse response = result instanceof SQSBatchResponse r ? r : Json.MAPPER.convertValue(result, SQSBatchResponse.class);
    if (response.getBatchItemFailures() == null) {
      return Set.of();
    }
    Set<String> failed = new HashSet<>();
    for (var f : response.getBatchItemFailures()) {
      String id = f.getItemIdentifier();
      if (id == null || id.isBlank() || !all.contains(id)) {
        // Lambda treats a malformed failure report as a failure of the whole batch.
        LOG.warning(() -> function.spec().logicalId() + " reported unknown item '" + id + "'; failing the whole batch");
        return all;
      }
      failed.add(id);
    }
    return failed;
  }

  private SQSEvent event(List<Message> messages) {
    return event(messages, source.queueArn(), region);
  }

  /** The event Lambda's SQS event source mapping hands a function for {@code messages} of that queue. */
  public static SQSEvent event(List<Message> messages, String queueArn, String region) {
    List<SQSEvent.SQSMessage> records = new ArrayList<>();
    for (Message m : messages) {
      SQSEvent.SQSMessage r = new SQSEvent.SQSMessage();
      r.setMessageId(m.messageId());
      r.setReceiptHandle(m.receiptHandle());
      r.setBody(m.body());
      r.setMd5OfBody(m.md5OfBody());
      r.setMd5OfMessageAttributes(m.md5OfMessageAttributes());
      r.setEventSource("aws:sqs");
      r.setEventSourceArn(queueArn);
      r.setAwsRegion(region);
      r.setAttributes(new LinkedHashMap<>(m.attributesAsStrings()));
      Map<String, SQSEvent.MessageAttribute> attributes = new LinkedHashMap<>();
      m.messageAttributes().forEach((k, v) -> {
        SQSEvent.MessageAttribute a = new SQSEvent.MessageAttribute();
        a.setDataType(v.dataType());
        a.setStringValue(v.stringValue());
        if (v.binaryValue() != null) {
          a.setBinaryValue(v.binaryValue().asByteBuffer());
        }
        a.setStringListValues(v.stringListValues());
        attributes.put(k, a);
      });
      r.setMessageAttributes(attributes);
      records.add(r);
    }
    SQSEvent event = new SQSEvent();
    event.setRecords(records);
    return event;
  }

  /**
   * True when nothing is being processed and the queue holds no visible, in-flight or delayed message —
   * i.e. the work this trigger would do has been done (or dead-lettered).
   */
  public boolean isDrained() {
    if (inFlight.get() > 0) {
      return false;
    }
    Map<QueueAttributeName, String> a = sqs.getQueueAttributes(r -> r.queueUrl(queueUrl).attributeNames(
        QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES,
        QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_NOT_VISIBLE,
        QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_DELAYED)).attributes();
    return a.values().stream().allMatch("0"::equals) && inFlight.get() == 0;
  }

  /** Backs off after an error without busy-looping; returns early on close. */
  private void pause() {
    try {
      closing.await(1, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** Asks the poller to stop after its current long poll, without waiting. */
  public void requestStop() {
    running.set(false);
    closing.countDown();
  }

  @Override
  public void close() {
    requestStop();
    try {
      thread.join(TimeUnit.SECONDS.toMillis(WAIT_SECONDS + 5));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
