package dev.goalpost.local.resources;

import dev.goalpost.local.template.Intrinsics;
import dev.goalpost.local.template.Resource;
import dev.goalpost.local.template.Stack;
import dev.goalpost.local.template.Yamls;
import dev.goalpost.platform.Json;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.services.eventbridge.EventBridgeClient;
import software.amazon.awssdk.services.eventbridge.model.PutRuleRequest;
import software.amazon.awssdk.services.eventbridge.model.Target;

/**
 * {@code AWS::Events::Rule} with its targets. PutRule/PutTargets are upserts, so this is idempotent. The
 * emulator delivers matching events to SQS targets itself; a rule's own {@code ScheduleExpression} is created
 * but not fired (schedules run on the local clock, see {@code ScheduleTicker}).
 */
final class RuleProvisioner implements Provisioner {
  private final EventBridgeClient events;
  private final Stack stack;

  RuleProvisioner(EventBridgeClient events, Stack stack) {
    this.events = events;
    this.stack = stack;
  }

  @Override
  public String type() {
    return "AWS::Events::Rule";
  }

  @Override
  public void provision(Resource resource, Intrinsics intrinsics, PhysicalResources out) {
    Map<String, Object> p = Yamls.map(intrinsics.resolve(resource.properties()));
    String name = stack.physicalName(resource.logicalId());
    String bus = busName(Yamls.string(p.get("EventBusName")));
    PutRuleRequest.Builder rule = PutRuleRequest.builder()
        .name(name)
        .eventBusName(bus)
        .state(String.valueOf(p.getOrDefault("State", "ENABLED")));
    if (p.get("EventPattern") != null) {
      Object pattern = p.get("EventPattern");
      rule.eventPattern(pattern instanceof String s ? s : Json.write(pattern));
    }
    if (p.get("ScheduleExpression") != null) {
      rule.scheduleExpression(String.valueOf(p.get("ScheduleExpression")));
    }
    if (p.get("Description") != null) {
      rule.description(String.valueOf(p.get("Description")));
    }
    String arn = events.putRule(rule.build()).ruleArn();
    List<Target> targets = Yamls.list(p.get("Targets")).stream().map(Yamls::map).map(RuleProvisioner::target).toList();
    if (!targets.isEmpty()) {
      events.putTargets(r -> r.rule(name).eventBusName(bus).targets(targets));
    }
    out.put(resource.logicalId(), name, Map.of("Arn", arn));
  }

  /** EventBusName may be a name or an ARN (a {@code !GetAtt Bus.Arn}); absent means the default bus. */
  private static String busName(String raw) {
    if (raw == null || raw.isBlank()) {
      return "default";
    }
    int slash = raw.lastIndexOf('/');
    return raw.startsWith("arn:") && slash >= 0 ? raw.substring(slash + 1) : raw;
  }

  private static Target target(Map<String, Object> t) {
    Target.Builder b = Target.builder()
        .id(String.valueOf(t.get("Id")))
        .arn(String.valueOf(t.get("Arn")));
    if (t.get("Input") != null) {
      b.input(t.get("Input") instanceof String s ? s : Json.write(t.get("Input")));
    }
    if (t.get("InputPath") != null) {
      b.inputPath(String.valueOf(t.get("InputPath")));
    }
    Map<String, Object> sqs = Yamls.map(t.get("SqsParameters"));
    if (sqs.get("MessageGroupId") != null) {
      b.sqsParameters(s -> s.messageGroupId(String.valueOf(sqs.get("MessageGroupId"))));
    }
    Map<String, Object> transformer = Yamls.map(t.get("InputTransformer"));
    if (transformer.get("InputTemplate") != null) {
      b.inputTransformer(x -> x
          .inputTemplate(String.valueOf(transformer.get("InputTemplate")))
          .inputPathsMap(Yamls.map(transformer.get("InputPathsMap")).entrySet().stream()
              .collect(java.util.stream.Collectors.toMap(Map.Entry::getKey, e -> String.valueOf(e.getValue())))));
    }
    return b.build();
  }
}
