package dev.goalpost.local.resources;

import dev.goalpost.local.template.Dependencies;
import dev.goalpost.local.template.Intrinsics;
import dev.goalpost.local.template.Resource;
import dev.goalpost.local.template.Stack;
import dev.goalpost.local.template.Template;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.logging.Logger;
import java.util.stream.Collectors;

/**
 * Creates the template's tables, queues, event buses, rules, schedule groups and SNS topics (with their SQS
 * subscriptions) in the emulator, each after
 * the resources it references. Types with no local meaning (Cognito, log groups, alarms, IAM, the HTTP API,
 * which {@code HttpApiServer} emulates) are skipped: nothing the functions call depends on them.
 */
public final class ResourceProvisioner {
  private static final Logger LOG = Logger.getLogger(ResourceProvisioner.class.getName());

  private final Template template;
  private final Stack stack;
  private final Map<String, Provisioner> byType;

  public ResourceProvisioner(Template template, Stack stack, EmulatorClients clients) {
    this.template = template;
    this.stack = stack;
    this.byType = List.of(
            new TableProvisioner(clients.dynamo(), stack),
            new QueueProvisioner(clients.sqs(), stack),
            new EventBusProvisioner(clients.events(), stack),
            new RuleProvisioner(clients.events(), stack),
            new ScheduleGroupProvisioner(clients.scheduler(), stack),
            new SnsProvisioner.Topics(clients.sns(), stack),
            new SnsProvisioner.Subscriptions(clients.sns()))
        .stream().collect(Collectors.toMap(Provisioner::type, Function.identity()));
  }

  /** Provisions everything and returns the physical identities, with {@code parameters} overriding defaults. */
  public PhysicalResources provision(Map<String, String> parameters) {
    PhysicalResources out = new PhysicalResources();
    // Functions are not deployed anywhere, but their name and ARN are what a Ref/GetAtt would give.
    for (Resource f : template.ofType("AWS::Serverless::Function")) {
      String name = stack.physicalName(f.logicalId());
      out.put(f.logicalId(), name, Map.of("Arn", stack.arn("lambda", "function:" + name)));
    }
    Intrinsics intrinsics = new Intrinsics(template, stack, out, parameters);
    List<Resource> supported = template.resources().values().stream()
        .filter(r -> byType.containsKey(r.type()))
        .toList();
    for (Resource r : Dependencies.order(supported)) {
      byType.get(r.type()).provision(r, intrinsics, out);
      LOG.fine(() -> "Provisioned " + r.type() + " " + r.logicalId());
    }
    LOG.info(() -> "Provisioned " + supported.size() + " resources with prefix '" + stack.prefix() + "'");
    return out;
  }
}
