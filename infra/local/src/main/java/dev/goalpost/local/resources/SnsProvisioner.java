package dev.goalpost.local.resources;

import dev.goalpost.local.template.Intrinsics;
import dev.goalpost.local.template.Resource;
import dev.goalpost.local.template.Stack;
import dev.goalpost.local.template.Yamls;
import java.util.Map;
import software.amazon.awssdk.services.sns.SnsClient;

/**
 * {@code AWS::SNS::Topic} (Ref = the topic ARN, as in CloudFormation; CreateTopic is idempotent by name) and
 * {@code AWS::SNS::Subscription} with protocol {@code sqs}, so the emulator's SNS delivers what is published
 * into the template's queues (moto delivers SNS → SQS in server mode). Subscriptions of other protocols
 * (the alarm e-mail) have no local meaning and are skipped. {@code RawMessageDelivery} and
 * {@code FilterPolicy} become subscription attributes.
 */
final class SnsProvisioner {
  private SnsProvisioner() {}

  static final class Topics implements Provisioner {
    private final SnsClient sns;
    private final Stack stack;

    Topics(SnsClient sns, Stack stack) {
      this.sns = sns;
      this.stack = stack;
    }

    @Override
    public String type() {
      return "AWS::SNS::Topic";
    }

    @Override
    public void provision(Resource resource, Intrinsics intrinsics, PhysicalResources out) {
      Map<String, Object> p = Yamls.map(intrinsics.resolve(resource.properties()));
      boolean fifo = Boolean.parseBoolean(String.valueOf(p.get("FifoTopic")));
      String name = stack.physicalName(resource.logicalId()) + (fifo ? ".fifo" : "");
      String arn = sns.createTopic(r -> {
        r.name(name);
        if (fifo) {
          r.attributes(Map.of("FifoTopic", "true"));
        }
      }).topicArn();
      out.put(resource.logicalId(), arn, Map.of("TopicArn", arn, "TopicName", name));
    }
  }

  static final class Subscriptions implements Provisioner {
    private final SnsClient sns;

    Subscriptions(SnsClient sns) {
      this.sns = sns;
    }

    @Override
    public String type() {
      return "AWS::SNS::Subscription";
    }

    @Override
    public void provision(Resource resource, Intrinsics intrinsics, PhysicalResources out) {
      Map<String, Object> p = Yamls.map(intrinsics.resolve(resource.properties()));
      if (!"sqs".equals(String.valueOf(p.get("Protocol")))) {
        return;
      }
      String topic = String.valueOf(p.get("TopicArn"));
      String endpoint = String.valueOf(p.get("Endpoint"));
      // Subscribe is idempotent for the same topic, protocol and endpoint: a restart reuses the subscription.
      String arn = sns.subscribe(r -> r.topicArn(topic).protocol("sqs").endpoint(endpoint).returnSubscriptionArn(true))
          .subscriptionArn();
      for (String attribute : new String[] {"RawMessageDelivery", "FilterPolicy"}) {
        Object v = p.get(attribute);
        if (v != null) {
          String value = v instanceof Map<?, ?> ? dev.goalpost.platform.Json.write(v) : String.valueOf(v);
          sns.setSubscriptionAttributes(r -> r.subscriptionArn(arn).attributeName(attribute).attributeValue(value));
        }
      }
      out.put(resource.logicalId(), arn, Map.of());
    }
  }
}
