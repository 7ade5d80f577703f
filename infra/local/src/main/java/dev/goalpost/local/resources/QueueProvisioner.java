package dev.goalpost.local.resources;

import dev.goalpost.local.template.Intrinsics;
import dev.goalpost.local.template.Resource;
import dev.goalpost.local.template.Stack;
import dev.goalpost.local.template.Yamls;
import dev.goalpost.platform.Json;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;
import software.amazon.awssdk.services.sqs.model.QueueDoesNotExistException;

/**
 * {@code AWS::SQS::Queue}. The template's property names are SQS attribute names; {@code RedrivePolicy} (an
 * object in the template) becomes the JSON string SQS expects. An existing queue is reused and its mutable
 * attributes updated, so a changed visibility timeout or redrive policy applies on the next start.
 */
final class QueueProvisioner implements Provisioner {
  private static final Set<String> ATTRIBUTES = Set.of(
      "DelaySeconds", "MaximumMessageSize", "MessageRetentionPeriod", "ReceiveMessageWaitTimeSeconds",
      "VisibilityTimeout", "RedrivePolicy", "RedriveAllowPolicy", "FifoQueue", "ContentBasedDeduplication",
      "DeduplicationScope", "FifoThroughputLimit", "KmsMasterKeyId", "KmsDataKeyReusePeriodSeconds",
      "SqsManagedSseEnabled");
  /** Settable only at creation. */
  private static final Set<String> CREATE_ONLY = Set.of("FifoQueue");

  private final SqsClient sqs;
  private final Stack stack;

  QueueProvisioner(SqsClient sqs, Stack stack) {
    this.sqs = sqs;
    this.stack = stack;
  }

  @Override
  public String type() {
    return "AWS::SQS::Queue";
  }

  @Override
  public void provision(Resource resource, Intrinsics intrinsics, PhysicalResources out) {
    Map<String, Object> p = Yamls.map(intrinsics.resolve(resource.properties()));
    boolean fifo = Boolean.parseBoolean(String.valueOf(p.get("FifoQueue")));
    String name = stack.physicalName(resource.logicalId()) + (fifo ? ".fifo" : "");
    Map<String, String> attributes = attributes(p);
    String url = existingUrl(name);
    if (url == null) {
      url = sqs.createQueue(r -> r.queueName(name).attributesWithStrings(attributes)).queueUrl();
    } else {
      Map<String, String> mutable = new LinkedHashMap<>(attributes);
      mutable.keySet().removeAll(CREATE_ONLY);
      if (!mutable.isEmpty()) {
        String existing = url;
        sqs.setQueueAttributes(r -> r.queueUrl(existing).attributesWithStrings(mutable));
      }
    }
    String queueUrl = url;
    String arn = sqs.getQueueAttributes(r -> r.queueUrl(queueUrl).attributeNames(QueueAttributeName.QUEUE_ARN))
        .attributes().get(QueueAttributeName.QUEUE_ARN);
    out.put(resource.logicalId(), url, Map.of("Arn", arn, "QueueName", name, "QueueUrl", url));
  }

  private String existingUrl(String name) {
    try {
      return sqs.getQueueUrl(r -> r.queueName(name)).queueUrl();
    } catch (QueueDoesNotExistException e) {
      return null;
    }
  }

  private static Map<String, String> attributes(Map<String, Object> p) {
    Map<String, String> out = new LinkedHashMap<>();
    p.forEach((k, v) -> {
      if (!ATTRIBUTES.contains(k) || v == null) {
        return;
      }
      out.put(k, v instanceof Map<?, ?> || v instanceof java.util.List<?> ? Json.write(v) : String.valueOf(v));
    });
    // Fault mode's time compression: a failed delivery comes back after at most this many seconds.
    java.time.Duration cap = dev.goalpost.local.faults.Faults.shared().plan().redelivery();
    if (!cap.isZero() && out.containsKey("VisibilityTimeout")
        && Long.parseLong(out.get("VisibilityTimeout")) > cap.toSeconds()) {
      out.put("VisibilityTimeout", String.valueOf(cap.toSeconds()));
    }
    // SQS accepts FifoQueue only when true.
    if ("false".equals(out.get("FifoQueue"))) {
      out.remove("FifoQueue");
    }
    return out;
  }
}
