package dev.goalpost.messaging.inbound;

import dev.goalpost.platform.Json;
import java.util.LinkedHashMap;
import java.util.Map;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.SendMessageRequest;

/**
 * The FIFO queue between the webhooks (which only verify and enqueue, so carriers get a fast answer) and the
 * processor. Texts are grouped by conversation ({@code to|from}: the group's number and the contact's phone,
 * which is exactly one thread) so a thread's replies are stored in order; receipts by the message they are
 * about. The deduplication id is the carrier's id, so a carrier's retry within five minutes is dropped by SQS
 * and the processor's idempotency covers the rest. 1 SendMessage per webhook.
 */
public final class InboundQueue {
  private final SqsClient sqs;
  private final String queueUrl;

  public InboundQueue(SqsClient sqs, String queueUrl) {
    this.sqs = sqs;
    this.queueUrl = queueUrl;
  }

  public void message(InboundSms sms) {
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("kind", "message");
    body.put("sms", sms);
    sqs.sendMessage(SendMessageRequest.builder().queueUrl(queueUrl).messageBody(Json.write(body))
        .messageGroupId(dedupSafe(sms.to() + "|" + sms.from()))
        .messageDeduplicationId(dedupSafe(sms.provider() + ":" + sms.providerMessageId()))
        .build());
  }

  public void receipt(DeliveryReceipt receipt) {
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("kind", "receipt");
    body.put("receipt", receipt);
    sqs.sendMessage(SendMessageRequest.builder().queueUrl(queueUrl).messageBody(Json.write(body))
        .messageGroupId(dedupSafe(receipt.provider() + ":" + receipt.providerMessageId()))
        .messageDeduplicationId(dedupSafe(receipt.provider() + ":" + receipt.providerMessageId() + ":"
            + receipt.status()))
        .build());
  }

  /** SQS ids allow 128 characters of [A-Za-z0-9] and punctuation; longer carrier ids are hashed. */
  static String dedupSafe(String raw) {
    String cleaned = raw.replaceAll("[^A-Za-z0-9!\"#$%&'()*+,\\-./:;<=>?@\\[\\\\\\]^_`{|}~]", "_");
    if (cleaned.length() <= 128) {
      return cleaned;
    }
    return dev.goalpost.platform.Ids.derived("h", cleaned);
  }
}
